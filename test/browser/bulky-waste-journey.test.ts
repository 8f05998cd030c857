import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../../src/main/platform.js';
import { BULKY_WASTE_SLUG, DEMO_ACCOUNTS, seedDemo } from '../../src/main/seed.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { accessibilityChecker, launchBrowser, newPersonContext } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/database.js';

/** Today's date in the UK, as YYYY-MM-DD, whatever the machine's time zone. */
function ukToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function isWeekday(iso: string): boolean {
  const day = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

/** The first weekday from `from` days to `to` days after today (UK time): always exists for a 7-day window. */
function weekdayBetween(from: number, to: number): string {
  const today = ukToday();
  for (let days = from; days <= to; days++) {
    const candidate = addDays(today, days);
    if (isWeekday(candidate)) return candidate;
  }
  throw new Error(`No weekday between ${from} and ${to} days from ${today}`);
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "24 November 2026", as the app writes dates. */
function longDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

async function fillDate(page: Page, prefix: string, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  await page.locator(`#${prefix}-day`).fill(String(day));
  await page.locator(`#${prefix}-month`).fill(String(month));
  await page.locator(`#${prefix}-year`).fill(String(year));
}

/** Resolves with the promise, or rejects with `message` once `ms` have passed. */
function within<T>(ms: number, promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)),
  );
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

const citizenAccount = DEMO_ACCOUNTS.find((a) => a.email === 'citizen@example.com')!;
const caseworkerAccount = DEMO_ACCOUNTS.find(
  (a) => a.email === 'caseworker@stroud.example.gov.uk',
)!;

describe('bulky waste: a citizen applies, a Stroud caseworker approves, the citizen follows it', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let platform: Platform;
  let browser: Browser;
  let citizenContext: BrowserContext;
  let caseworkerContext: BrowserContext;
  let baseUrl: string;
  /** Every page the story visits is checked against WCAG 2.2 A and AA; all failures are reported at the end. */
  const { checkedPages, checkAccessibility } = accessibilityChecker();

  /** Performs an action that navigates, waits for the new page, then checks it. */
  async function navigate(
    page: Page,
    label: string,
    action: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 15_000 }), action()]);
    } catch (error) {
      await databaseAnswers();
      throw error;
    }
    await checkAccessibility(page, label);
  }

  /** When a page hangs, says so plainly if the cause is that the database has stopped answering. */
  async function databaseAnswers(): Promise<void> {
    await within(
      3_000,
      sql`select 1`.execute(database.db),
      'The database stopped answering (a query waited 3 s): something holds its only connection, e.g. an outbox handler querying `db` inside its own transaction (PGlite has one connection).',
    );
  }

  async function signIn(
    page: Page,
    label: string,
    account: { email: string; password: string },
  ): Promise<void> {
    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await navigate(page, label, () => page.getByRole('button', { name: 'Sign in' }).click());
  }

  beforeAll(async () => {
    database = await freshDatabase();
    const config = loadConfig({
      DATA_DIR: ':memory:',
      LOG_LEVEL: 'silent',
      PORT: '0',
      WORKER: 'on',
      WORKER_POLL_MS: '100',
    });
    platform = await createPlatform(config, { database });
    await seedDemo(database.db);
    await platform.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = platform.app.server.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    browser = await launchBrowser();
    citizenContext = await newPersonContext(browser, baseUrl);
    caseworkerContext = await newPersonContext(browser, baseUrl);
  });

  afterAll(async () => {
    await citizenContext?.close();
    await caseworkerContext?.close();
    await browser?.close();
    // If the outbox worker is stuck, closing would wait on it for ever: give up after a while.
    await within(10_000, platform?.close() ?? Promise.resolve(), 'platform did not close').catch(
      (e: Error) => console.error(e.message),
    );
    await within(10_000, database?.close() ?? Promise.resolve(), 'database did not close').catch(
      (e: Error) => console.error(e.message),
    );
  }, 40_000);

  it('runs the whole journey, accessibly, in English and Welsh', { timeout: 120_000 }, async () => {
    const citizen = await citizenContext.newPage();
    const caseworker = await caseworkerContext.newPage();
    const preferredDate = weekdayBetween(7, 14);
    const collectionDate = weekdayBetween(7, 14);

    // The citizen finds the service from the home page.
    await navigate(citizen, 'home', () => citizen.goto('/'));
    await citizen.getByLabel('Search for a service').fill('bulky waste');
    await navigate(citizen, 'search results', () =>
      citizen.getByRole('button', { name: 'Search' }).click(),
    );
    await expect
      .poll(() => citizen.locator('h2').first().textContent())
      .toMatch(/results? for ‘bulky waste’/);
    await navigate(citizen, 'service start page', () =>
      citizen.getByRole('link', { name: 'Request a bulky waste collection' }).click(),
    );
    expect(new URL(citizen.url()).pathname).toBe(`/services/${BULKY_WASTE_SLUG}`);

    // Starting needs an account: sign in, and come back to the form.
    await navigate(citizen, 'sign in (from Start now)', () =>
      citizen.getByRole('button', { name: 'Start now' }).click(),
    );
    expect(new URL(citizen.url()).pathname).toBe('/sign-in');
    await signIn(citizen, 'items question', citizenAccount);
    expect(new URL(citizen.url()).pathname).toBe(`/services/${BULKY_WASTE_SLUG}/apply/items`);

    // Items.
    await citizen.getByLabel('Sofa or armchair').check();
    await navigate(citizen, 'address question', () =>
      citizen.getByRole('button', { name: 'Continue' }).click(),
    );
    expect(new URL(citizen.url()).pathname).toBe(`/services/${BULKY_WASTE_SLUG}/apply/address`);

    // Address: first sent empty, to see the error summary.
    await navigate(citizen, 'address question with errors', () =>
      citizen.getByRole('button', { name: 'Continue' }).click(),
    );
    await expect.poll(() => citizen.locator('.govuk-error-summary').count()).toBe(1);
    expect(await citizen.title()).toMatch(/^Error:/);
    const summary = citizen.locator('.govuk-error-summary');
    expect(await summary.getByRole('link').count()).toBeGreaterThanOrEqual(3);
    await citizen.getByLabel('Address line 1').fill('1 High Street');
    await citizen.getByLabel('Town or city').fill('Stroud');
    await citizen.getByLabel('Postcode').fill('gl5 4ub');
    await navigate(citizen, 'date question', () =>
      citizen.getByRole('button', { name: 'Continue' }).click(),
    );
    expect(new URL(citizen.url()).pathname).toBe(`/services/${BULKY_WASTE_SLUG}/apply/date`);

    // Date: a weekday 7 to 14 days away.
    await fillDate(citizen, 'preferredDate', preferredDate);
    await navigate(citizen, 'check your answers', () =>
      citizen.getByRole('button', { name: 'Continue' }).click(),
    );
    expect(new URL(citizen.url()).pathname).toBe(
      `/services/${BULKY_WASTE_SLUG}/apply/check-answers`,
    );
    const answers = await citizen.locator('.govuk-summary-list').innerText();
    expect(answers).toContain('GL5 4UB');
    expect(answers).toContain('Sofa or armchair');

    await navigate(citizen, 'confirmation', () =>
      citizen.getByRole('button', { name: 'Accept and send' }).click(),
    );
    const panel = await citizen.locator('.govuk-panel').innerText();
    const reference = /JU-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(panel)?.[0];
    expect(reference, `no reference in the confirmation panel: ${panel}`).toBeDefined();

    // The outbox delivers it to Stroud ("received"); the database must keep answering meanwhile.
    const receivedBy = Date.now() + 10_000;
    for (;;) {
      const row = await within(
        10_000,
        database.db
          .selectFrom('submissions')
          .select('status')
          .where('reference', '=', reference!)
          .executeTakeFirst(),
        'The database stopped answering once the application was sent: the outbox worker holds its only connection (deadlock in an outbox handler?)',
      );
      if (row?.status === 'received') break;
      if (Date.now() > receivedBy)
        throw new Error(
          `${reference} is still ${row?.status ?? 'missing'} 10 s after sending: the outbox did not deliver it`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // The Stroud caseworker finds it in the queue once the outbox has delivered it.
    await navigate(caseworker, 'sign in (caseworker)', () => caseworker.goto('/sign-in'));
    await signIn(caseworker, 'after caseworker sign in', caseworkerAccount);
    await navigate(caseworker, 'casework queue', () => caseworker.goto('/casework'));
    const caseLink = caseworker.getByRole('link', { name: reference! });
    const deadline = Date.now() + 10_000;
    while ((await caseLink.count()) === 0) {
      if (Date.now() > deadline)
        throw new Error(`${reference} did not reach the Stroud casework queue within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      await caseworker.reload({ waitUntil: 'load' });
    }
    await checkAccessibility(caseworker, 'casework queue with the application');
    await navigate(caseworker, 'case', () => caseLink.click());
    await checkAccessibility(caseworker, 'case with its actions');
    // The bulky waste workflow's "approve" action asks for the collection date.
    await fillDate(caseworker, 'action-approve-collectionDate', collectionDate);
    await navigate(caseworker, 'case after decision', () =>
      caseworker.getByRole('button', { name: 'Approve and book a collection' }).click(),
    );
    await expect
      .poll(() => caseworker.locator('.govuk-summary-list .govuk-tag').first().innerText())
      .toBe('Collection booked');

    // The citizen follows the application.
    await navigate(citizen, 'your applications', () =>
      citizen.getByRole('link', { name: 'Your applications' }).click(),
    );
    expect(new URL(citizen.url()).pathname).toBe('/applications');

    // Once in Welsh, then back to English.
    await navigate(citizen, 'your applications in Welsh', () =>
      citizen.getByRole('link', { name: 'Cymraeg' }).click(),
    );
    expect(await citizen.locator('html').getAttribute('lang')).toBe('cy');
    expect(await citizen.locator('h1').innerText()).toBe('Eich ceisiadau');
    await navigate(citizen, 'your applications back in English', () =>
      citizen.getByRole('link', { name: 'English' }).click(),
    );
    expect(await citizen.locator('html').getAttribute('lang')).toBe('en');
    expect(await citizen.locator('h1').innerText()).toBe('Your applications');

    await navigate(citizen, 'application', () =>
      citizen.getByRole('link', { name: 'Request a bulky waste collection' }).click(),
    );
    expect(new URL(citizen.url()).pathname).toBe(`/applications/${reference}`);
    const main = await citizen.locator('main').innerText();
    expect(await citizen.locator('.govuk-tag').first().innerText()).toBe('Approved');
    expect(main).toContain('Received by Stroud District Council');
    expect(main).toContain(`Collection on ${longDate(collectionDate)}`);
    expect(main).toMatch(/^Viewed by Stroud District Council, caseworker, /m);

    expect(checkedPages.length).toBeGreaterThanOrEqual(17);
  });
});
