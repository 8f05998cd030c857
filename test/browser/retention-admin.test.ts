import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  axeViolations,
  describeViolations,
  launchBrowser,
  newPersonContext,
} from '../helpers/browser.js';

const PLATFORM_ADMIN = {
  email: 'admin@cabinet-office.example.gov.uk',
  password: 'demo-platform-admin',
};

describe('the retention admin pages in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const checked: string[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.close();
  }, 40_000);

  async function check(page: Page, label: string): Promise<void> {
    await page.waitForLoadState('load');
    const violations = await axeViolations(page);
    checked.push(label);
    if (violations.length)
      problems.push(describeViolations(`${label} (${page.url()})`, violations));
  }

  it(
    'an admin changes a period and places and lifts a legal hold; axe finds nothing, in Welsh too',
    { timeout: 120_000 },
    async () => {
      const context = await newPersonContext(browser, app.baseUrl);
      contexts.push(context);
      const page = await context.newPage();
      await page.goto('/sign-in');
      await page.getByLabel('E-mail address').fill(PLATFORM_ADMIN.email);
      await page.getByLabel('Password', { exact: true }).fill(PLATFORM_ADMIN.password);
      await Promise.all([
        page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 15_000 }),
        page.getByRole('button', { name: 'Sign in', exact: true }).click(),
      ]);

      await page.getByRole('link', { name: 'Retention' }).first().click();
      await check(page, 'choose an organisation');
      await page.getByRole('link', { name: 'Stroud District Council' }).click();
      await page.waitForURL('**/admin/retention/stroud');
      await check(page, 'overview');

      await page.getByRole('link', { name: 'Change Inbox messages' }).click();
      await page.getByLabel(/How many months/).fill('2');
      await page.getByRole('button', { name: 'Save' }).click();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'The number of months must be between 6 and 120',
      );
      await check(page, 'policy with error');
      await page.getByLabel(/How many months/).fill('12');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('The retention period has been saved.').waitFor();
      expect(await page.locator('#policies').textContent()).toContain(
        '1 year after the message being sent',
      );

      await page.getByRole('button', { name: 'Place a legal hold' }).click();
      await check(page, 'new hold');
      await page.getByRole('button', { name: 'Place hold' }).click();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Choose whether to hold a person’s records or one record',
      );
      await check(page, 'new hold with errors');
      await page.getByLabel('Every record about a person').check();
      await page
        .getByLabel('The e-mail address of the person’s account')
        .fill('citizen@example.com');
      await page.getByLabel('Reason for the hold').fill('Complaint to the ombudsman');
      await page.getByRole('button', { name: 'Place hold' }).click();
      await page.getByText('The legal hold has been placed.').waitFor();
      expect(await page.locator('#holds').textContent()).toContain(
        'Every record about citizen@example.com',
      );
      await check(page, 'overview with a hold');

      await page.goto('/admin/retention/stroud?lang=cy');
      await check(page, 'overview in Welsh');
      expect(await page.locator('h1').textContent()).toContain('Cadw cofnodion');
      await page.goto('/admin/retention/stroud?lang=en');
      await page.getByRole('button', { name: 'Lift the hold on citizen@example.com' }).click();
      await page.getByText('The legal hold has been lifted.').waitFor();
      await check(page, 'overview after lifting');

      expect(checked.length).toBeGreaterThan(5);
      expect(problems, problems.join('\n\n')).toEqual([]);
    },
  );
});
