import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubmission } from '../../src/modules/submissions/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { accessibilityChecker, launchBrowser, newPersonContext } from '../helpers/browser.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('the account inbox: a caseworker sends a message with a letter, the person reads and replies', () => {
  let app: TestApp;
  let browser: Browser;
  let citizenContext: BrowserContext;
  let caseworkerContext: BrowserContext;
  let reference: string;

  /** Every page the story visits is checked against WCAG 2.2 A and AA. */
  const { navigate } = accessibilityChecker();

  async function signIn(page: Page, email: string, password: string, path: string) {
    await navigate(page, 'sign in', () =>
      page.goto(`/sign-in?returnTo=${encodeURIComponent(path)}`),
    );
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await navigate(page, path, () => page.getByRole('button', { name: 'Sign in' }).click());
  }

  beforeAll(async () => {
    app = await startTestApp();
    const db = app.platform.database.db;
    const citizen = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'citizen@example.com')
      .executeTakeFirstOrThrow();
    const service = await db
      .selectFrom('services as s')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select(['s.id', 's.organisation_id'])
      .where('o.slug', '=', 'stroud')
      .executeTakeFirstOrThrow();
    reference = (
      await createSubmission(
        db,
        {
          draftId: randomUUID(),
          serviceId: service.id,
          organisationId: service.organisation_id,
          applicantUserId: citizen.id,
          answers: { values: {}, summary: { en: [], cy: [] } },
        },
        { userId: citizen.id, organisationId: null, role: 'citizen' },
      )
    ).reference;
    browser = await launchBrowser();
    citizenContext = await newPersonContext(browser, app.baseUrl);
    caseworkerContext = await newPersonContext(browser, app.baseUrl);
  });

  afterAll(async () => {
    await citizenContext?.close();
    await caseworkerContext?.close();
    await browser?.close();
    await app?.close();
  }, 40_000);

  it(
    'works without problems for either person, with no accessibility violations',
    { timeout: 120_000 },
    async () => {
      const caseworker = await caseworkerContext.newPage();
      const citizen = await citizenContext.newPage();

      // The caseworker writes a message about the application, with a letter attached.
      await signIn(
        caseworker,
        'caseworker@stroud.example.gov.uk',
        'demo-stroud-caseworker',
        '/inbox/staff',
      );
      await expect.poll(() => caseworker.locator('h1').textContent()).toBe('Sent messages');
      await navigate(caseworker, 'send a message', () =>
        caseworker.getByRole('button', { name: 'Send a message' }).click(),
      );
      await navigate(caseworker, 'send a message with errors', () =>
        caseworker.getByRole('button', { name: 'Send message' }).click(),
      );
      await expect
        .poll(() => caseworker.locator('.govuk-error-summary').textContent())
        .toContain('Enter the application reference');
      await caseworker.getByLabel('Application reference').fill(reference);
      await caseworker.getByLabel('Subject').fill('Your collection is booked');
      await caseworker
        .getByLabel('Message', { exact: true })
        .fill('We will collect on Monday.\n\nYour letter is attached.');
      await caseworker
        .getByLabel('Attachments (optional)')
        .setInputFiles({ name: 'booking.pdf', mimeType: 'application/pdf', buffer: PDF });
      await caseworker.getByLabel('The person can reply to this message').check();
      await navigate(caseworker, 'message sent', () =>
        caseworker.getByRole('button', { name: 'Send message' }).click(),
      );
      expect(new URL(caseworker.url()).pathname).toBe('/inbox/staff');
      await expect
        .poll(() => caseworker.locator('.govuk-notification-banner').textContent())
        .toContain('Your message has been sent');

      // The person sees it unread in their inbox.
      await signIn(citizen, 'citizen@example.com', 'demo-citizen-password', '/inbox');
      await expect.poll(() => citizen.locator('h1').textContent()).toBe('Your messages (1 unread)');
      await expect.poll(() => citizen.locator('.govuk-tag').first().textContent()).toBe('Unread');

      // Reads it and downloads the letter.
      await navigate(citizen, 'message', () =>
        citizen.getByRole('link', { name: 'Your collection is booked' }).click(),
      );
      await expect
        .poll(() => citizen.locator('main').textContent())
        .toContain('We will collect on Monday.');
      const [download] = await Promise.all([
        citizen.waitForEvent('download'),
        citizen.getByRole('link', { name: 'booking.pdf' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('booking.pdf');
      expect(await readFile((await download.path())!)).toEqual(PDF);

      // Replies: first with nothing written, then properly.
      await navigate(citizen, 'reply with errors', () =>
        citizen.getByRole('button', { name: 'Send reply' }).click(),
      );
      await expect
        .poll(() => citizen.locator('.govuk-error-summary').textContent())
        .toContain('Enter your reply');
      await citizen
        .getByLabel('Reply to Stroud District Council')
        .fill('Thank you, it will be by the gate.');
      await navigate(citizen, 'reply sent', () =>
        citizen.getByRole('button', { name: 'Send reply' }).click(),
      );
      await expect
        .poll(() => citizen.locator('.govuk-notification-banner').textContent())
        .toContain('Your reply has been sent');
      await navigate(citizen, 'message in Welsh', () =>
        citizen.goto(`${new URL(citizen.url()).pathname}?lang=cy`),
      );
      await expect.poll(() => citizen.locator('main').textContent()).toContain('Atebion');
      await navigate(citizen, 'inbox in Welsh, read', () => citizen.goto('/inbox'));
      await expect.poll(() => citizen.locator('h1').textContent()).toBe('Eich negeseuon');
      await navigate(citizen, 'back to English', () => citizen.goto('/inbox?lang=en'));
      await navigate(citizen, 'message again', () =>
        citizen.getByRole('link', { name: 'Your collection is booked' }).click(),
      );
      await navigate(citizen, 'delete confirmation', () =>
        citizen.getByRole('link', { name: /Delete this message/ }).click(),
      );

      // The caseworker reads the reply.
      await navigate(caseworker, 'sent message with reply', () =>
        caseworker.getByRole('link', { name: 'Your collection is booked' }).click(),
      );
      await expect
        .poll(() => caseworker.locator('main').textContent())
        .toContain('Thank you, it will be by the gate.');
    },
  );
});
