import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/main/seed.js';
import { accessibilityChecker, launchBrowser, newPersonContext } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const OWNER = DEMO_ACCOUNTS.find((a) => a.email === 'owner@stroud.example.gov.uk')!;

describe('a Stroud service owner edits the bulky waste form in a browser', () => {
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
  const editor = () => page.getByLabel('The form as JSON');
  const preview = () => page.locator('#form-preview').innerText();

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
    'previews the form in English and Welsh, shows a JSON error in the error summary, and publishes the fix as version 2, with no accessibility violations',
    { timeout: 120_000 },
    async () => {
      await navigate('sign in', () => page.goto('/sign-in?returnTo=%2Fforms%2Fstaff'));
      await page.getByLabel('E-mail address').fill(OWNER.email);
      await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
      await navigate('forms list', () => page.getByRole('button', { name: 'Sign in' }).click());
      await expect.poll(heading).toBe('Your services’ forms');
      expect(await page.locator('table').innerText()).toMatch(
        /Request a bulky waste collection[\s\S]*Version 1/,
      );

      await navigate('editor', () =>
        page.getByRole('link', { name: 'Request a bulky waste collection' }).click(),
      );
      await expect.poll(heading).toBe('Edit the form: Request a bulky waste collection');
      const original = await editor().inputValue();
      expect(original).toContain('"key": "bulky-waste"');
      expect(await preview()).toContain('What do you want collected?');

      await navigate('checked and previewed', () =>
        page.getByRole('button', { name: 'Check and preview' }).click(),
      );
      await expect.poll(banner).toContain('No problems found');
      expect(await preview()).toContain('When would you like the collection?');
      // Nothing in the preview can be filled in.
      expect(await page.locator('#form-preview').getByLabel('Sofa or armchair').isDisabled()).toBe(
        true,
      );

      await navigate('preview in Welsh', () =>
        page.getByRole('button', { name: 'Show the preview in Welsh' }).click(),
      );
      await expect.poll(() => page.locator('#preview').textContent()).toBe('Preview in Welsh');
      expect(await preview()).toContain('Beth ydych chi eisiau i ni ei gasglu?');
      expect(await preview()).toContain('Soffa neu gadair freichiau');

      // A comma goes missing: the error summary says where, and takes the owner there.
      await editor().fill(original.replace('"key": "bulky-waste",', '"key": "bulky-waste"'));
      await navigate('JSON error', () =>
        page.getByRole('button', { name: 'Check and preview' }).click(),
      );
      const summary = page.locator('.govuk-error-summary');
      await expect
        .poll(() => summary.textContent())
        .toContain('Line 3, column 3: expected a comma (,) or a closing }');
      await summary.getByRole('link').first().click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('definition');

      // Fixed, and changed: with JavaScript the preview follows the typing.
      const changed = original
        .replace(
          '"en": "What do you want collected?"',
          '"en": "Which items do you want collected?"',
        )
        .replace(
          '"cy": "Beth ydych chi eisiau i ni ei gasglu?"',
          '"cy": "Pa eitemau ydych chi eisiau i ni eu casglu?"',
        );
      await editor().fill(changed);
      // The preview is still in Welsh.
      await expect
        .poll(preview, { timeout: 10_000 })
        .toContain('Pa eitemau ydych chi eisiau i ni eu casglu?');

      await navigate('published', () =>
        page.getByRole('button', { name: 'Publish as version 2' }).click(),
      );
      await expect.poll(banner).toContain('Version 2 is published');
      expect(await page.locator('#history ~ table').innerText()).toMatch(
        /2\s+Published\s+Priya Owner/,
      );
      expect(await page.getByRole('button', { name: 'Publish as version 3' }).count()).toBe(1);

      // The citizen's journey asks the new version.
      const citizen = await app.platform.database.db
        .selectFrom('form_definitions')
        .select(['version', 'status'])
        .where('key', '=', 'bulky-waste')
        .orderBy('version')
        .execute();
      expect(citizen).toEqual([
        { version: 1, status: 'published' },
        { version: 2, status: 'published' },
      ]);

      // The same pages in Welsh.
      await navigate('forms list in Welsh', () => page.goto('/forms/staff?lang=cy'));
      await expect.poll(heading).toBe('Ffurflenni eich gwasanaethau');
      await navigate('editor in Welsh', () => page.goto('/forms/staff/bulky-waste'));
      await expect.poll(heading).toBe('Golygu’r ffurflen: Gofyn am gasgliad gwastraff swmpus');

      expect(checkedPages.length).toBeGreaterThanOrEqual(8);
    },
  );
});
