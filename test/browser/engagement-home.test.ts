import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, browserSession } from '../helpers/browser.js';

describe('the engagement home ("Have your say") in a browser', () => {
  const session = browserSession();

  async function find(postcode: string): Promise<void> {
    await session.page.getByLabel('Your postcode').fill(postcode);
    await Promise.all([
      session.page.waitForLoadState('load'),
      session.page.getByRole('button', { name: 'Find petitions' }).click(),
    ]);
  }

  it('is reached from the navigation and lists the petitions open near a postcode, with no accessibility problems', async () => {
    await session.page.goto('/');
    await Promise.all([
      session.page.waitForURL('**/engage'),
      session.page.getByRole('link', { name: 'Have your say' }).first().click(),
    ]);
    await expectNoAxeViolations(session.page);
    await find('gl5 4ub');
    await expect
      .poll(() => session.page.locator('h2').allTextContents())
      .toContain('Open petitions to the councils serving GL5 4UB');
    expect(await session.page.locator('main').innerText()).toContain(
      'Reopen the Stratford Park lido for summer swimming',
    );
    await expectNoAxeViolations(session.page);
  }, 30_000);

  it('a bad postcode shows an error summary that takes the person to the box', async () => {
    await session.page.goto('/engage');
    await find('GL5 2ZZ');
    const summary = session.page.locator('.govuk-error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    expect(await summary.innerText()).toContain('GL5 2ZZ is no longer used');
    await expectNoAxeViolations(session.page);
    await summary.getByRole('link').click();
    await expect
      .poll(() => session.page.evaluate(() => document.activeElement?.id))
      .toBe('postcode');
  }, 30_000);

  it('the subscribe form works in Welsh and shows its errors, with no accessibility problems', async () => {
    await session.page.goto('/engage/subscribe?lang=cy');
    await expectNoAxeViolations(session.page);
    await Promise.all([
      session.page.waitForLoadState('load'),
      session.page.getByRole('button', { name: 'Tanysgrifio' }).click(),
    ]);
    const summary = session.page.locator('.govuk-error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    expect(await summary.innerText()).toContain('Rhowch eich cyfeiriad e-bost');
    await expectNoAxeViolations(session.page);
    await session.page.getByLabel('Ger cod post').check();
    await session.page.getByLabel('Cod post', { exact: true }).fill('GL5 4UB');
    await session.page.getByLabel('Cyfeiriad e-bost').fill('porwr@example.com');
    await Promise.all([
      session.page.waitForURL('**/engage/subscribe/sent'),
      session.page.getByRole('button', { name: 'Tanysgrifio' }).click(),
    ]);
    expect(await session.page.locator('h1').textContent()).toContain('Gwiriwch eich e-bost');
  }, 30_000);
});
