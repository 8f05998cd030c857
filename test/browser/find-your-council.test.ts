import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser, newPersonContext } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('finding your council by postcode in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    context = await newPersonContext(browser, app.baseUrl);
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  }, 40_000);

  async function find(postcode: string): Promise<void> {
    await page.getByLabel('Find your council').fill(postcode);
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Find council' }).click(),
    ]);
  }

  it('shows the county and district councils for a Stroud postcode, with no accessibility problems', async () => {
    await page.goto('/find-your-council');
    await expectNoAxeViolations(page);
    await find('gl5 4ub');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Councils for GL5 4UB');
    await expect
      .poll(() => page.locator('.govuk-summary-list').innerText())
      .toMatch(/Gloucestershire County Council[\s\S]*Stroud District Council/);
    await expectNoAxeViolations(page);
  }, 30_000);

  it('shows an error summary that takes the person to the postcode box, with no accessibility problems', async () => {
    await page.goto('/find-your-council');
    await find('GL5 2ZZ');
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    expect(await summary.innerText()).toContain('GL5 2ZZ stopped being used in April 2015');
    await expectNoAxeViolations(page);
    await summary.getByRole('link').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('postcode');
  }, 30_000);

  it('sends a person to the body that provides a service at their address, in Welsh too', async () => {
    await page.goto('/find-your-council?service=request-a-bulky-waste-collection&lang=cy');
    await expectNoAxeViolations(page);
    await page.getByLabel('Dod o hyd i bwy sy’n darparu').fill('GL5 4UB');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Dod o hyd i’r cyngor' }).click(),
    ]);
    await expect
      .poll(() => page.locator('h1').textContent())
      .toContain('Cyngor Dosbarth Stroud sy’n darparu');
    await expectNoAxeViolations(page);
    await Promise.all([
      page.waitForURL('**/services/request-a-bulky-waste-collection'),
      page.getByRole('button', { name: 'Ewch i’r gwasanaeth' }).click(),
    ]);
  }, 30_000);
});
