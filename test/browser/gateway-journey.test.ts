import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../../src/main/platform.js';
import { seedDemo } from '../../src/main/seed.js';
import { DEMO_COUNCIL_TAX } from '../../src/modules/enrolment/seed.js';
import { DEMO_CITIZEN_FACTS } from '../../src/modules/registers/demo/generator.js';
import { loadConfig, type Config } from '../../src/platform/config/config.js';
import { letterFile, LETTER_TOPIC } from '../../src/platform/letters/letters.js';
import { pdfTextLines } from '../../src/platform/letters/pdf.js';
import { MAIL_TOPIC } from '../../src/platform/mail/mailer.js';
import { accessibilityChecker, launchBrowser, newPersonContext } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/database.js';

/** Resolves with the promise, or rejects with `message` once `ms` have passed. */
function within<T>(ms: number, promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)),
  );
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Asks `probe` every 100 ms until it gives a value, or fails with `message` after `ms`. */
async function eventually<T>(
  ms: number,
  probe: () => Promise<T | undefined>,
  message: string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A code of the same length that is certainly not `code`. */
function wrongCode(code: string): string {
  return `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;
}

/**
 * The code an authenticator app shows for `secret` at `at` (ms). Computed with otplib's
 * defaults (SHA-1, 6 digits, 30 s), as a phone app would, not with the app's own helper.
 */
function appCode(secret: string, at: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(at / 1000) });
}

describe('the Gateway in a browser: register, second factor, verify, enrol', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let platform: Platform;
  let config: Config;
  let browser: Browser;
  let context: BrowserContext;
  let baseUrl: string;
  const letterFiles: string[] = [];
  /** Every page the story visits is checked against WCAG 2.2 A and AA; all failures are reported at the end. */
  const { checkedPages, checkAccessibility } = accessibilityChecker();

  const person = {
    name: `${DEMO_CITIZEN_FACTS.givenName} ${DEMO_CITIZEN_FACTS.familyName}`,
    email: `sam.gateway.${randomBytes(4).toString('hex')}@example.com`,
    password: 'lantern orchard pebble harbour',
  };

  /** Performs an action that navigates, waits for the new page, then checks it. */
  async function navigate(
    page: Page,
    label: string,
    action: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 15_000 }), action()]);
    } catch (error) {
      await within(
        3_000,
        sql`select 1`.execute(database.db),
        'The database stopped answering (a query waited 3 s): something holds its only connection.',
      );
      throw error;
    }
    await checkAccessibility(page, label);
  }

  function pathOf(page: Page): string {
    return new URL(page.url()).pathname;
  }

  async function userId(): Promise<string> {
    const row = await database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', person.email)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** The six-digit code in the newest e-mail to the person after outbox message `afterId`. */
  async function mailedCode(afterId: number): Promise<{ code: string; id: number }> {
    return eventually(
      5_000,
      async () => {
        const rows = await database.db
          .selectFrom('outbox')
          .select(['id', 'payload'])
          .where('topic', '=', MAIL_TOPIC)
          .where('id', '>', afterId)
          .orderBy('id', 'desc')
          .execute();
        for (const row of rows) {
          const { to, text } = row.payload as { to?: string; text?: string };
          const code = to === person.email ? /\b(\d{6})\b/.exec(text ?? '')?.[1] : undefined;
          if (code) return { code, id: row.id };
        }
        return undefined;
      },
      `No e-mail with a 6-digit code reached ${person.email}`,
    );
  }

  async function lastOutboxId(): Promise<number> {
    const row = await database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  async function auditActions(subject: string): Promise<string[]> {
    const rows = await database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('subject_user_id', '=', subject)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.action);
  }

  async function newestSessionLevel(subject: string): Promise<string | undefined> {
    const row = await database.db
      .selectFrom('sessions')
      .select('credential_level')
      .where('user_id', '=', subject)
      .where('expires_at', '>', new Date())
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row?.credential_level;
  }

  beforeAll(async () => {
    database = await freshDatabase();
    config = loadConfig({
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
    context = await newPersonContext(browser, baseUrl);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await within(10_000, platform?.close() ?? Promise.resolve(), 'platform did not close').catch(
      (e: Error) => console.error(e.message),
    );
    await within(10_000, database?.close() ?? Promise.resolve(), 'database did not close').catch(
      (e: Error) => console.error(e.message),
    );
    await Promise.all(letterFiles.map((file) => rm(file, { force: true })));
  }, 40_000);

  it(
    'takes one new person from an account to a verified identity and a linked council tax account, accessibly',
    { timeout: 120_000 },
    async () => {
      const page = await context.newPage();

      // 1. Create an account: name, e-mail, password.
      await navigate(page, 'create an account', () => page.goto('/register'));
      await page.getByLabel('Full name').fill(person.name);
      await page.getByLabel('E-mail address').fill(person.email);
      await page.getByLabel('Create a password').fill(person.password);
      const beforeRegistering = await lastOutboxId();
      await navigate(page, 'check your e-mail', () =>
        page.getByRole('button', { name: 'Create account' }).click(),
      );
      expect(pathOf(page)).toBe('/register/confirm');
      const confirmation = await mailedCode(beforeRegistering);

      // A wrong code first: the error summary, and nothing confirmed.
      await page.getByLabel('Code', { exact: true }).fill(wrongCode(confirmation.code));
      await navigate(page, 'check your e-mail with a wrong code', () =>
        page.getByRole('button', { name: 'Continue' }).click(),
      );
      expect(await page.title()).toMatch(/^Error:/);
      expect(await page.locator('.govuk-error-summary').innerText()).toContain(
        'The code is not right',
      );
      const id = await userId();
      expect(await newestSessionLevel(id)).toBeUndefined();

      // The right code: signed in at once (level 1, password only).
      await page.getByLabel('Code', { exact: true }).fill(confirmation.code);
      await navigate(page, 'home page, signed in', () =>
        page.getByRole('button', { name: 'Continue' }).click(),
      );
      expect(pathOf(page)).toBe('/');
      await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
      expect(await newestSessionLevel(id)).toBe('Cl');

      // 2. A second factor: an authenticator app.
      await navigate(page, 'your second factor', () => page.goto('/account/second-factor'));
      await page.getByLabel('Authenticator app').check();
      await navigate(page, 'set up an authenticator app', () =>
        page.getByRole('button', { name: 'Continue' }).click(),
      );
      expect(pathOf(page)).toBe('/account/second-factor/app');
      const secret = (await page.locator('#secret').innerText()).replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

      const setupCode = await appCode(secret, Date.now());
      await page.getByLabel('Code from the app').fill(wrongCode(setupCode));
      await navigate(page, 'set up an authenticator app with a wrong code', () =>
        page.getByRole('button', { name: 'Set up app' }).click(),
      );
      expect(await page.locator('.govuk-error-summary').innerText()).toContain(
        'The security code is not right',
      );
      await page.getByLabel('Code from the app').fill(await appCode(secret, Date.now()));
      await navigate(page, 'second factor set up', () =>
        page.getByRole('button', { name: 'Set up app' }).click(),
      );
      expect(pathOf(page)).toBe('/account/second-factor');
      expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
        'Your authenticator app is set up',
      );
      expect(await newestSessionLevel(id)).toBe('Cl.Cm');

      // 3. Sign out, and in again with the password and a code from the app.
      await navigate(page, 'home page, signed out', () =>
        page.getByRole('button', { name: 'Sign out' }).click(),
      );
      expect(await newestSessionLevel(id)).toBeUndefined();
      await navigate(page, 'sign in', () => page.goto('/sign-in'));
      await page.getByLabel('E-mail address').fill(person.email);
      await page.getByLabel('Password', { exact: true }).fill(person.password);
      await navigate(page, 'enter the code from your authenticator app', () =>
        page.getByRole('button', { name: 'Sign in' }).click(),
      );
      expect(pathOf(page)).toBe('/sign-in/second-factor');
      expect(await newestSessionLevel(id)).toBeUndefined();
      // The setup code's 30-second step is spent: the app's next code is within the window.
      await page.getByLabel('Security code').fill(await appCode(secret, Date.now() + 30_000));
      await navigate(page, 'home page, signed in with a second factor', () =>
        page.getByRole('button', { name: 'Continue' }).click(),
      );
      // Signed in with no page to go back to: a citizen lands on their personal home page.
      expect(pathOf(page)).toBe('/home');
      expect(await newestSessionLevel(id)).toBe('Cl.Cm');

      // 4. Prove who they are online, against DWP's register, coming back to "Your services".
      await navigate(page, 'prove your identity', () => page.goto('/verify?returnTo=/enrol'));
      await navigate(page, 'what is your name?', () =>
        page.getByRole('button', { name: 'Start now' }).click(),
      );
      expect(pathOf(page)).toBe('/verify/name');
      await page.getByLabel('First name').fill(DEMO_CITIZEN_FACTS.givenName);
      await page.getByLabel('Last name').fill(DEMO_CITIZEN_FACTS.familyName);
      await navigate(page, 'what is your date of birth?', () =>
        page.getByRole('button', { name: 'Continue' }).click(),
      );
      expect(pathOf(page)).toBe('/verify/date-of-birth');
      const [year, month, day] = DEMO_CITIZEN_FACTS.dateOfBirth.split('-') as [
        string,
        string,
        string,
      ];
      await page.getByLabel('Day').fill(String(Number(day)));
      await page.getByLabel('Month').fill(String(Number(month)));
      await page.getByLabel('Year').fill(year);
      await navigate(page, 'what is your National Insurance number?', () =>
        page.getByRole('button', { name: 'Continue' }).click(),
      );
      expect(pathOf(page)).toBe('/verify/national-insurance-number');
      await page.getByLabel('What is your National Insurance number?').fill('JG 10 37 59 A');
      await navigate(page, 'what is your postcode?', () =>
        page.getByRole('button', { name: 'Continue' }).click(),
      );
      expect(pathOf(page)).toBe('/verify/postcode');
      await page.getByLabel('What is your postcode?').fill('gl5 4ub');
      await navigate(page, 'check your answers (identity)', () =>
        page.getByRole('button', { name: 'Continue' }).click(),
      );
      expect(pathOf(page)).toBe('/verify/check');
      const answers = await page.locator('.govuk-summary-list').innerText();
      expect(answers).toContain('Sam Citizen');
      expect(answers).toContain('14 July 1985');
      expect(answers).toContain('GL5 4UB');
      await navigate(page, 'your services, after proving identity', () =>
        page.getByRole('button', { name: 'Check my details' }).click(),
      );
      expect(pathOf(page)).toBe('/enrol');
      const verified = await database.db
        .selectFrom('users')
        .select(['identity_level'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(verified.identity_level).toBe('P2');

      // 5. Enrol: Stroud council tax, with the account number and postcode from the bill.
      await navigate(page, 'add your council tax account', () =>
        page
          .getByRole('link', { name: /Council Tax account with Stroud District Council/ })
          .click(),
      );
      expect(pathOf(page)).toBe('/enrol/stroud/council-tax');
      await page.getByLabel('Council Tax account number').fill(DEMO_COUNCIL_TAX.reference);
      await page.getByLabel('Postcode of the property').fill(DEMO_COUNCIL_TAX.postcode);
      const beforeEnrolling = await lastOutboxId();
      await navigate(page, 'we have posted you an activation code', () =>
        page.getByRole('button', { name: 'Continue' }).click(),
      );
      expect(pathOf(page)).toMatch(/^\/enrol\/enrolments\/[^/]+\/letter-sent$/);

      // The letter goes to the register's name and address; the worker keeps the PDF.
      const letter = await database.db
        .selectFrom('outbox')
        .select(['idempotency_key', 'payload'])
        .where('topic', '=', LETTER_TOPIC)
        .where('id', '>', beforeEnrolling)
        .executeTakeFirstOrThrow();
      expect((letter.payload as { to: { name: string } }).to.name).toBe(
        DEMO_COUNCIL_TAX.holderName,
      );
      const file = letterFile(config, letter.idempotency_key);
      letterFiles.push(file);
      await eventually(
        10_000,
        async () => (existsSync(file) ? true : undefined),
        `The outbox worker did not write the letter ${file} within 10 s`,
      );
      const letterText = pdfTextLines(await readFile(file)).join('\n');
      const activationCode = /Activation code: (\d{8})/.exec(letterText)?.[1];
      expect(activationCode, `no activation code in the letter:\n${letterText}`).toBeDefined();
      expect(letterText).toContain('1 High Street');

      await navigate(page, 'enter your activation code', () =>
        page.getByRole('link', { name: 'I have my letter: enter the activation code' }).click(),
      );
      expect(pathOf(page)).toBe('/enrol/activate');
      await page.getByLabel('Activation code').fill(wrongCode(activationCode!));
      await navigate(page, 'enter your activation code with a wrong code', () =>
        page.getByRole('button', { name: 'Activate' }).click(),
      );
      expect(await page.locator('.govuk-error-summary').innerText()).toContain(
        'The activation code is not right',
      );
      await page.getByLabel('Activation code').fill(activationCode!);
      await navigate(page, 'service added to your account', () =>
        page.getByRole('button', { name: 'Activate' }).click(),
      );
      expect(pathOf(page)).toMatch(/^\/enrol\/enrolments\/[^/]+\/activated$/);
      expect(await page.locator('.govuk-panel').innerText()).toContain(
        'Service added to your account',
      );
      await navigate(page, 'your services, with the enrolment', () =>
        page.getByRole('link', { name: 'Go to your services' }).click(),
      );
      const card = page.locator('.govuk-summary-card', { hasText: DEMO_COUNCIL_TAX.reference });
      expect(await card.locator('.govuk-tag').innerText()).toBe('Active');
      const enrolment = await database.db
        .selectFrom('enrolments')
        .select(['status'])
        .where('user_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(enrolment.status).toBe('active');

      // 6. The Security page lists what happened, in English and in Welsh.
      await navigate(page, 'security', () => page.goto('/account/security'));
      const events = await page.locator('#events').innerText();
      expect(events).toMatch(/Signed in using /);
      expect(events).toContain('Signed out');
      expect(await page.locator('#sessions tbody tr').count()).toBe(1);
      await navigate(page, 'security in Welsh', () =>
        page.getByRole('link', { name: 'Cymraeg' }).click(),
      );
      expect(await page.locator('html').getAttribute('lang')).toBe('cy');
      expect(await page.locator('h1').innerText()).toBe('Diogelwch');
      await navigate(page, 'security back in English', () =>
        page.getByRole('link', { name: 'English' }).click(),
      );
      expect(await page.locator('h1').innerText()).toBe('Security');

      // Every step is in the audit log, about this person.
      const actions = await auditActions(id);
      for (const action of [
        'account.registered',
        'account.email_confirmed',
        'account.second_factor_failed',
        'account.second_factor_changed',
        'account.second_factor_passed',
        'account.signed_out',
        'account.signed_in',
        'identity.verification_attempted',
        'identity.verified',
      ])
        expect(actions, `audit entry ${action}`).toContain(action);
      const enrolmentAudit = await database.db
        .selectFrom('audit_log')
        .select('action')
        .where('actor_user_id', '=', id)
        .where('action', 'like', 'enrolment.%')
        .orderBy('id')
        .execute();
      expect(enrolmentAudit.map((r) => r.action)).toEqual([
        'enrolment.requested',
        'enrolment.activation-refused',
        'enrolment.activated',
      ]);

      expect(checkedPages.length).toBeGreaterThanOrEqual(25);
    },
  );
});
