import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/main/seed.js';
import { accessibilityChecker, launchBrowser, newPersonContext } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const OWNER = DEMO_ACCOUNTS.find((a) => a.email === 'owner@stroud.example.gov.uk')!;
const SLUG = 'hire-a-community-hall';

describe('a Stroud service owner adds, edits and publishes a service in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every page the story visits is checked against WCAG 2.2 A and AA; all failures are reported at the end. */
  const { checkedPages, checkAccessibility } = accessibilityChecker();

  /** Performs an action that navigates, waits for the new page, then checks it. */
  async function navigate(label: string, action: () => Promise<unknown>): Promise<void> {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 15_000 }), action()]);
    await checkAccessibility(page, label);
  }

  const heading = () => page.locator('h1').textContent();
  const banner = () => page.locator('.govuk-notification-banner').textContent();

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

  it(
    'adds a service as a draft, completes it, publishes it and sees its history and public page, with no accessibility violations',
    { timeout: 120_000 },
    async () => {
      await navigate('sign in', () => page.goto('/sign-in?returnTo=%2Fcatalogue%2Fstaff'));
      await page.getByLabel('E-mail address').fill(OWNER.email);
      await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
      await navigate('staff list', () => page.getByRole('button', { name: 'Sign in' }).click());
      await expect.poll(heading).toBe('Your services');

      await navigate('add a service', () =>
        page.getByRole('button', { name: 'Add a service' }).click(),
      );
      await expect.poll(heading).toBe('Add a service');
      await navigate('add a service with errors', () =>
        page.getByRole('button', { name: 'Add the service as a draft' }).click(),
      );
      const summary = page.locator('.govuk-error-summary');
      await expect
        .poll(() => summary.textContent())
        .toContain('Enter the web address of the service');
      expect(await summary.textContent()).toContain('Enter the title in English');
      await summary.getByRole('link', { name: 'Enter the web address of the service' }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('slug');

      await page.getByLabel('Web address').fill(SLUG);
      await page.getByLabel('Title in English').fill('Hire a community hall');
      await page
        .getByLabel('Summary in English')
        .fill('Book one of Stroud’s community halls for a meeting or a party.');
      await page.getByLabel('Citizens and businesses', { exact: true }).check();
      expect(await page.getByLabel('Which tier of body provides it?').inputValue()).toBe(
        'district',
      );
      await page.getByLabel('Service key (optional)').fill('hire-a-community-hall');
      await navigate('edit the new draft', () =>
        page.getByRole('button', { name: 'Add the service as a draft' }).click(),
      );
      await expect.poll(heading).toBe('Edit service');
      await expect.poll(banner).toContain('The service is added as a draft');
      // Nobody outside sees the draft.
      expect((await fetch(`${app.baseUrl}/services/${SLUG}`)).status).toBe(404);

      await page.getByLabel('Title in Welsh', { exact: true }).fill('Llogi neuadd gymunedol');
      await page.getByLabel('Online on this site').check();
      await navigate('draft saved', () =>
        page.getByRole('button', { name: 'Save as draft' }).click(),
      );
      await expect.poll(banner).toContain('Your changes are saved as a draft');
      await navigate('published', () =>
        page.getByRole('button', { name: 'Publish the draft' }).click(),
      );
      await expect.poll(banner).toContain('Published as version 1.');
      const editPath = new URL(page.url()).pathname;

      await navigate('change history', () =>
        page.getByRole('link', { name: 'See the change history' }).click(),
      );
      await expect.poll(heading).toBe('Change history');
      expect(await page.locator('table').innerText()).toMatch(
        /1\s+.*Priya Owner\s+Hire a community hall/s,
      );

      await navigate('public page', () => page.goto(`/services/${SLUG}`));
      await expect.poll(heading).toContain('Hire a community hall');
      expect(await page.locator('main').innerText()).toContain(
        'Book one of Stroud’s community halls',
      );

      // The same key pages in Welsh.
      await navigate('staff list in Welsh', () => page.goto('/catalogue/staff?lang=cy'));
      await expect.poll(heading).toBe('Eich gwasanaethau');
      await navigate('add a service in Welsh', () =>
        page.getByRole('button', { name: 'Ychwanegu gwasanaeth' }).click(),
      );
      await expect.poll(heading).toBe('Ychwanegu gwasanaeth');
      await navigate('add a service with errors in Welsh', () =>
        page.getByRole('button', { name: 'Ychwanegu’r gwasanaeth fel drafft' }).click(),
      );
      await expect.poll(() => summary.textContent()).toContain('Rhowch gyfeiriad gwe’r gwasanaeth');
      await navigate('edit in Welsh', () => page.goto(editPath));
      await expect.poll(heading).toBe('Golygu gwasanaeth');
      await navigate('change history in Welsh', () => page.goto(`${editPath}/history`));
      await expect.poll(heading).toBe('Hanes y newidiadau');
      await navigate('public page in Welsh', () => page.goto(`/services/${SLUG}`));
      await expect.poll(heading).toContain('Llogi neuadd gymunedol');

      expect(checkedPages.length).toBeGreaterThanOrEqual(15);
    },
  );
});
