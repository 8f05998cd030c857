import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, browserSession } from '../helpers/browser.js';

describe('finding your council by postcode in a browser', () => {
  const session = browserSession();

  async function find(postcode: string): Promise<void> {
    await session.page.getByLabel('Find your council').fill(postcode);
    await Promise.all([
      session.page.waitForLoadState('load'),
      session.page.getByRole('button', { name: 'Find council' }).click(),
    ]);
  }

  it('shows the county and district councils for a Stroud postcode, with no accessibility problems', async () => {
    await session.page.goto('/find-your-council');
    await expectNoAxeViolations(session.page);
    await find('gl5 4ub');
    await expect.poll(() => session.page.locator('h1').textContent()).toBe('Councils for GL5 4UB');
    await expect
      .poll(() => session.page.locator('.govuk-summary-list').innerText())
      .toMatch(/Gloucestershire County Council[\s\S]*Stroud District Council/);
    await expectNoAxeViolations(session.page);
  }, 30_000);

  it('shows an error summary that takes the person to the postcode box, with no accessibility problems', async () => {
    await session.page.goto('/find-your-council');
    await find('GL5 2ZZ');
    const summary = session.page.locator('.govuk-error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    expect(await summary.innerText()).toContain('GL5 2ZZ stopped being used in April 2015');
    await expectNoAxeViolations(session.page);
    await summary.getByRole('link').click();
    await expect
      .poll(() => session.page.evaluate(() => document.activeElement?.id))
      .toBe('postcode');
  }, 30_000);

  it('sends a person to the body that provides a service at their address, in Welsh too', async () => {
    await session.page.goto('/find-your-council?service=request-a-bulky-waste-collection&lang=cy');
    await expectNoAxeViolations(session.page);
    await session.page.getByLabel('Dod o hyd i bwy sy’n darparu').fill('GL5 4UB');
    await Promise.all([
      session.page.waitForLoadState('load'),
      session.page.getByRole('button', { name: 'Dod o hyd i’r cyngor' }).click(),
    ]);
    await expect
      .poll(() => session.page.locator('h1').textContent())
      .toContain('Cyngor Dosbarth Stroud sy’n darparu');
    await expectNoAxeViolations(session.page);
    await Promise.all([
      session.page.waitForURL('**/services/request-a-bulky-waste-collection'),
      session.page.getByRole('button', { name: 'Ewch i’r gwasanaeth' }).click(),
    ]);
  }, 30_000);
});
