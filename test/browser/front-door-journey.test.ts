import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityChecker, launchBrowser, newPersonContext } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** The words a journey reads and clicks, in the language it is taken in. */
const WORDS = {
  en: {
    heading: 'Public services in one place',
    topic: 'Bins, waste and recycling',
    search: 'Search for a service',
    searchButton: 'Search',
    councilTax: 'Pay your Council Tax',
    checkButton: 'Check postcode',
    confirmed: 'This is the service for GL5 4UB',
    stroud: 'Stroud District Council',
    signIn: 'Sign in',
    home: 'Your services',
    applications: 'Your applications',
  },
  cy: {
    heading: 'Gwasanaethau cyhoeddus mewn un lle',
    topic: 'Biniau, gwastraff ac ailgylchu',
    search: 'Chwilio am wasanaeth',
    searchButton: 'Chwilio',
    councilTax: 'Talu eich Treth Gyngor',
    checkButton: 'Gwirio’r cod post',
    confirmed: 'Dyma’r gwasanaeth ar gyfer GL5 4UB',
    stroud: 'Cyngor Dosbarth Stroud',
    signIn: 'Mewngofnodi',
    home: 'Eich gwasanaethau',
    applications: 'Eich ceisiadau',
  },
} as const;

async function navigate(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), action()]);
}

describe('the front door in a browser: browse, search, postcode, service, sign in, home page', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  }, 40_000);

  for (const lang of ['en', 'cy'] as const) {
    it(`takes a person from the home page to their own council’s service and their home page, in ${lang === 'en' ? 'English' : 'Welsh'}, with no accessibility problems`, async () => {
      const words = WORDS[lang];
      const { checkedPages, checkAccessibility } = accessibilityChecker();
      const context = await newPersonContext(browser, app.baseUrl);
      const page = await context.newPage();
      try {
        // Browse: the home page's topics lead to a topic page.
        await navigate(page, () => page.goto(`/?lang=${lang}`));
        expect(await page.locator('h1').textContent()).toBe(words.heading);
        await checkAccessibility(page, 'home page');
        await navigate(page, () =>
          page.getByRole('link', { name: new RegExp(`^${words.topic}`) }).click(),
        );
        expect(new URL(page.url()).pathname).toBe('/browse/waste');
        await checkAccessibility(page, 'topic page');
        for (const path of ['/business-services', '/bodies', '/life-events/having-a-baby']) {
          await navigate(page, () => page.goto(path));
          await checkAccessibility(page, path);
        }

        // Search for the need, not the body.
        await navigate(page, () => page.goto('/'));
        await page.getByLabel(words.search).fill('council tax');
        await navigate(page, () =>
          page.getByRole('button', { name: words.searchButton, exact: true }).click(),
        );
        await checkAccessibility(page, 'search results');
        const results = page.getByRole('link', { name: words.councilTax, exact: true });
        expect(await results.count()).toBe(4); // one for each billing authority on the platform
        // Pick a council that is not the person's own: the page's postcode question sorts it out.
        const cardiff = page
          .locator('.app-service-list__item')
          .filter({ hasText: lang === 'en' ? 'Cardiff' : 'Caerdydd' })
          .getByRole('link', { name: words.councilTax, exact: true });
        await navigate(page, () => cardiff.click());
        expect(new URL(page.url()).pathname).toBe('/services/pay-council-tax-cardiff');
        await checkAccessibility(page, 'Cardiff’s service page');

        // Postcode: the person lives in Stroud, so is sent to Stroud's version of the service.
        await page.locator('#postcode').fill('gl5 4ub');
        await navigate(page, () => page.getByRole('button', { name: words.checkButton }).click());
        expect(new URL(page.url()).pathname).toBe('/services/pay-council-tax-stroud');
        expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
          words.confirmed,
        );
        expect(await page.locator('.govuk-caption-l').innerText()).toBe(words.stroud);
        await checkAccessibility(page, 'Stroud’s service page, confirmed for the postcode');

        // Sign in: with nowhere else to go, a citizen lands on their personal home page.
        await navigate(page, () => page.goto('/sign-in'));
        await checkAccessibility(page, 'sign in');
        await page.locator('#email').fill('citizen@example.com');
        await page.locator('#password').fill('demo-citizen-password');
        await navigate(page, () =>
          page.getByRole('button', { name: words.signIn, exact: true }).click(),
        );
        expect(new URL(page.url()).pathname).toBe('/home');
        expect(await page.locator('h1').textContent()).toContain(words.home);
        expect(await page.getByRole('heading', { name: words.applications }).count()).toBe(1);
        await checkAccessibility(page, 'personal home page');
        for (const path of [
          '/home/interests',
          '/reminders/new?service=pay-council-tax-stroud',
          '/reminders',
        ]) {
          await navigate(page, () => page.goto(path));
          expect(new URL(page.url()).pathname).toBe(path.split('?')[0]);
          await checkAccessibility(page, path);
        }
        expect(checkedPages.length).toBeGreaterThanOrEqual(13);
      } finally {
        await context.close();
      }
    }, 90_000);
  }
});
