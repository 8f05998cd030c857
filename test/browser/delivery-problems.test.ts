import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser, newPersonContext } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const CITIZEN = { email: 'citizen@example.com', password: 'demo-citizen-password' };

describe('the prompt to check an address we could not deliver to, in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  const db = () => app.platform.database.db;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    context = await newPersonContext(browser, app.baseUrl);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  }, 40_000);

  it('shows both prompts on Your account, in English and Welsh, axe-clean, and "is right" clears one', async () => {
    await db()
      .updateTable('users')
      .set({
        email_bounced_at: new Date(),
        phone: '+447700900123',
        phone_failed_at: new Date(),
      })
      .where('email', '=', CITIZEN.email)
      .execute();
    const page = await context.newPage();
    await page.goto('/sign-in?returnTo=%2Faccount');
    await page.getByLabel('E-mail address').fill(CITIZEN.email);
    await page.getByLabel('Password', { exact: true }).fill(CITIZEN.password);
    await Promise.all([
      page.waitForURL('**/account', { timeout: 15_000 }),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
    const banner = page.getByRole('region', { name: 'Important' });
    await expect(banner.textContent()).resolves.toContain(
      'We could not deliver e-mails to citizen@example.com — check your e-mail address',
    );
    await expect(banner.textContent()).resolves.toContain(
      'We could not send text messages to +447700900123 — check your mobile number',
    );
    await expectNoAxeViolations(page);

    await page.goto('/account?lang=cy');
    await expect(page.getByRole('region', { name: 'Pwysig' }).textContent()).resolves.toContain(
      'gwiriwch eich rhif ffôn symudol',
    );
    await expectNoAxeViolations(page);
    await page.goto('/account?lang=en');

    await Promise.all([
      page.waitForURL('**/account'),
      page.getByRole('button', { name: 'My mobile number is right' }).click(),
    ]);
    const text = await page.locator('main').textContent();
    expect(text).not.toContain('We could not send text messages');
    expect(text).toContain('We could not deliver e-mails');
  });
});
