import { describe, expect, it } from 'vitest';
import { browserSession, expectNoAxeViolations } from '../helpers/browser.js';

// Stroud's demo Council Tax Reduction rules (src/modules/rules/demo), on its service's
// "Check if you can get this" page: no account needed.
const CHECK = '/services/housing-benefit-stroud/check';

describe('"Check if you can get this" in Welsh, in a browser', () => {
  const session = browserSession();

  async function answer(answers: Record<string, string>, savings: string): Promise<void> {
    const page = session.page;
    for (const [name, value] of Object.entries(answers))
      await page.locator(`input[name="answer-${name}"][value="${value}"]`).check();
    await page.locator('input[name="answer-savings"]').fill(savings);
    await Promise.all([page.waitForLoadState('load'), page.locator('#check-submit').click()]);
  }

  it('gives the outcome and the reason in Welsh, with no accessibility problems', async () => {
    const page = session.page;
    await page.goto(`${CHECK}?lang=cy`);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('cy');
    expect(await page.locator('h1').innerText()).toContain('Gwirio a allwch gael hyn');
    await expectNoAxeViolations(page);

    await answer(
      { liveInStroud: 'yes', paysCouncilTax: 'yes', benefit: 'universal-credit' },
      '2500',
    );
    const result = await page.locator('main').innerText();
    expect(result).toContain('Gallwch gael hyn');
    expect(result).toContain('Pam');
    expect(result).toMatch(/Credyd Cynhwysol/);
    await expectNoAxeViolations(page);
  }, 60_000);

  it('says in Welsh why not, and shows an error summary in Welsh for a missing answer', async () => {
    const page = session.page;
    await page.goto(`${CHECK}?lang=cy`);
    await answer({ liveInStroud: 'no', paysCouncilTax: 'yes', benefit: 'none' }, '0');
    expect(await page.locator('main').innerText()).toContain(
      'Ni allwch gael Gostyngiad y Dreth Gyngor gan Gyngor Dosbarth Stroud oherwydd nid ydych yn byw yn ardal Stroud.',
    );
    await expectNoAxeViolations(page);

    await page.goto(`${CHECK}?lang=cy`);
    await page.locator('input[name="answer-savings"]').fill('llawer');
    await Promise.all([page.waitForLoadState('load'), page.locator('#check-submit').click()]);
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    expect(await summary.innerText()).toContain('Mae problem');
    await expectNoAxeViolations(page);
  }, 60_000);
});
