import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  describeViolations,
  launchBrowser,
  newPersonContext,
} from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

// A one-minute session that warns 55 s before it goes idle: the dialog opens about 6 s after a
// page loads (the script allows a second's grace), so the story runs in seconds, not minutes.
const IDLE_MINUTES = 1;
const WARNING_SECONDS = 55;
const CITIZEN = { email: 'citizen@example.com', password: 'demo-citizen-password' };

describe('the time-out warning in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  const db = () => app.platform.database.db;

  beforeAll(async () => {
    app = await startTestApp({
      SESSION_IDLE_MINUTES: String(IDLE_MINUTES),
      SESSION_WARNING_SECONDS: String(WARNING_SECONDS),
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  }, 40_000);

  async function signIn(page: Page): Promise<void> {
    await page.goto('/sign-in?returnTo=%2Faccount');
    await page.getByLabel('E-mail address').fill(CITIZEN.email);
    await page.getByLabel('Password', { exact: true }).fill(CITIZEN.password);
    await Promise.all([
      page.waitForURL('**/account', { timeout: 15_000 }),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
  }

  async function citizenSession(): Promise<{ id_hash: string; last_seen_at: Date } | undefined> {
    return db()
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id_hash', 'sessions.last_seen_at'])
      .where('users.email', '=', CITIZEN.email)
      .orderBy('sessions.created_at', 'desc')
      .executeTakeFirst();
  }

  async function focusedText(page: Page): Promise<string | undefined> {
    return page.evaluate(() => document.activeElement?.textContent?.trim());
  }

  async function expectAccessible(page: Page, label: string): Promise<void> {
    const violations = await axeViolations(page);
    expect(violations, describeViolations(`${label} (${page.url()})`, violations)).toEqual([]);
  }

  it(
    'warns before the session goes idle, keeps it alive on request, and signs out when time runs out',
    { timeout: 90_000 },
    async () => {
      context = await newPersonContext(browser, app.baseUrl);
      const page = await context.newPage();
      // The page's clock runs in real time, but the test may move it on.
      await page.clock.install();
      await signIn(page);
      const loadedAt = Date.now();
      const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' });
      expect(await dialog.isVisible()).toBe(false);

      // 1. About 6 s after the page loaded, the warning opens, as a modal, focus inside it.
      await dialog.waitFor({ state: 'visible', timeout: 12_000 });
      expect(Date.now() - loadedAt).toBeGreaterThan(3_000);
      expect(await dialog.getAttribute('aria-modal')).toBe('true');
      await expect
        .poll(() => dialog.locator('#app-timeout-dialog-message').textContent())
        .toMatch(/^For your security, we will sign you out in \d+ seconds\.$/);
      expect(await focusedText(page)).toBe('Stay signed in');
      await page.keyboard.press('Tab');
      expect(await focusedText(page)).toBe('Sign out');
      await page.keyboard.press('Tab');
      expect(await focusedText(page)).toBe('Stay signed in');
      await page.keyboard.press('Shift+Tab');
      expect(await focusedText(page)).toBe('Sign out');
      await expectAccessible(page, 'the time-out warning');

      // Screen readers hear the time now and then, not every second: at 45 s, not at 44 s.
      // The page's clock is paused and run on second by second, so no moment is skipped.
      const message = dialog.locator('#app-timeout-dialog-message');
      const announcement = dialog.locator('#app-timeout-dialog-announcement');
      expect(await announcement.getAttribute('aria-live')).toBe('polite');
      const pageNow = await page.evaluate(() => Date.now());
      await page.clock.pauseAt(pageNow + 100);
      await page.clock.runFor(300);
      const shown = Number(/(\d+) seconds/.exec((await message.textContent()) ?? '')?.[1]);
      expect(shown).toBeGreaterThan(45);
      await page.clock.runFor((shown - 46) * 1000);
      expect(await announcement.textContent()).toBe('');
      await page.clock.runFor(1000);
      expect(await message.textContent()).toBe(
        'For your security, we will sign you out in 45 seconds.',
      );
      expect(await announcement.textContent()).toBe(
        'For your security, we will sign you out in 45 seconds.',
      );
      await page.clock.runFor(1000);
      expect(await message.textContent()).toBe(
        'For your security, we will sign you out in 44 seconds.',
      );
      expect(await announcement.textContent()).toBe(
        'For your security, we will sign you out in 45 seconds.',
      );
      await page.clock.resume();

      // 2. "Stay signed in": the dialog closes and the session is marked as used now.
      const before = (await citizenSession())!.last_seen_at;
      await page.getByRole('button', { name: 'Stay signed in' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect
        .poll(async () => (await citizenSession())!.last_seen_at.getTime())
        .toBeGreaterThan(before.getTime());

      // 3. In Welsh, the warning comes again; Escape also means "stay signed in".
      await page.goto('/account?lang=cy');
      const welsh = page.getByRole('dialog', { name: 'Rydych ar fin cael eich allgofnodi' });
      await welsh.waitFor({ state: 'visible', timeout: 12_000 });
      expect(await focusedText(page)).toBe('Parhau i fod wedi’ch mewngofnodi');
      await expectAccessible(page, 'the time-out warning in Welsh');
      const beforeEscape = (await citizenSession())!.last_seen_at;
      await page.keyboard.press('Escape');
      await welsh.waitFor({ state: 'hidden' });
      await expect
        .poll(async () => (await citizenSession())!.last_seen_at.getTime())
        .toBeGreaterThan(beforeEscape.getTime());

      // 4. Nobody answers: when the time is up the page goes to "You have been signed out".
      // The page's clock is moved on a minute, and the session is made a minute older to match.
      await page.goto('/account?lang=en');
      await dialog.waitFor({ state: 'visible', timeout: 12_000 });
      const session = (await citizenSession())!;
      await db()
        .updateTable('sessions')
        .set({ last_seen_at: new Date(session.last_seen_at.getTime() - 60_000) })
        .where('id_hash', '=', session.id_hash)
        .execute();
      await Promise.all([
        page.waitForURL('**/signed-out?reason=idle*', { timeout: 15_000 }),
        page.clock.fastForward(60_000),
      ]);
      expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/account?lang=en');
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('You have been signed out');
      expect(await page.locator('#app-timeout-dialog').count()).toBe(0);
      expect(await citizenSession()).toBeUndefined();
      const ended = await db()
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('action', '=', 'account.signed_out')
        .where('resource_id', '=', (await userId())!)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      expect(ended?.details).toEqual({ reason: 'idle' });
      await expectAccessible(page, 'signed out after the warning');
    },
  );

  it('signs the person out from the warning with "Sign out"', { timeout: 60_000 }, async () => {
    const other = await newPersonContext(browser, app.baseUrl);
    try {
      const page = await other.newPage();
      await signIn(page);
      const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' });
      await dialog.waitFor({ state: 'visible', timeout: 12_000 });
      const mine = (await citizenSession())!.id_hash;
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/', { timeout: 15_000 }),
        dialog.getByRole('button', { name: 'Sign out' }).click(),
      ]);
      const left = await db()
        .selectFrom('sessions')
        .select('id_hash')
        .where('id_hash', '=', mine)
        .execute();
      expect(left).toEqual([]);
      expect(await page.getByRole('link', { name: 'Sign in' }).count()).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  async function userId(): Promise<string | undefined> {
    const row = await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN.email)
      .executeTakeFirst();
    return row?.id;
  }
});
