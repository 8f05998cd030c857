import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/main/seed.js';
import { accessibilityChecker, launchBrowser, newPersonContext } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const MISSED_BIN = 'report-a-missed-bin-collection-stroud';
const BAND = 'disagree-with-council-tax-band-stroud';
const citizenAccount = DEMO_ACCOUNTS.find((a) => a.email === 'citizen@example.com')!;

/** The words on the journey's buttons and headings, in each language. */
const WORDS = {
  en: {
    continue: 'Continue',
    save: 'Save and come back later',
    sendLink: 'Send the link',
    checkEmail: 'Check your email',
    send: 'Accept and send',
    recycling: 'Recycling',
    reported: 'Missed bin reported',
    next: 'We will collect the bin within 2 working days.',
  },
  cy: {
    continue: 'Parhau',
    save: 'Cadw a dod yn ôl yn nes ymlaen',
    sendLink: 'Anfon y ddolen',
    checkEmail: 'Gwiriwch eich e-bost',
    send: 'Derbyn ac anfon',
    recycling: 'Ailgylchu',
    reported: 'Adroddiad am fin a fethwyd wedi’i anfon',
    next: 'Byddwn yn casglu’r bin o fewn 2 ddiwrnod gwaith.',
  },
} as const;

/** `days` from today in the UK, as YYYY-MM-DD. */
function ukDate(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

async function fillDate(page: Page, name: string, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  await page.locator(`#${name}-day`).fill(String(day));
  await page.locator(`#${name}-month`).fill(String(month));
  await page.locator(`#${name}-year`).fill(String(year));
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

/**
 * Two of the services put online, in Chromium with axe on every page: reporting a missed bin
 * without an account (saved part way, continued from the e-mailed link on another device, in
 * English and in Welsh), and telling the council you disagree with your Council Tax band, signed
 * in, with a real PDF uploaded from disk.
 */
describe('the services online, in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let folder: string;
  const contexts: BrowserContext[] = [];
  const { checkedPages, checkAccessibility } = accessibilityChecker();

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    folder = await mkdtemp(path.join(tmpdir(), 'joinedup-evidence-'));
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  }, 40_000);

  async function person(): Promise<BrowserContext> {
    const context = await newPersonContext(browser, app.baseUrl);
    contexts.push(context);
    return context;
  }

  async function go(page: Page, label: string, action: () => Promise<unknown>) {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 15_000 }), action()]);
    await checkAccessibility(page, label);
  }

  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

  async function submissionByReference(reference: string) {
    return app.platform.database.db
      .selectFrom('submissions')
      .select(['answers', 'applicant', 'applicant_user_id'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
  }

  for (const lang of ['en', 'cy'] as const) {
    it(
      `reports a missed bin without an account, saving part way and coming back from the e-mailed link (${lang})`,
      { timeout: 120_000 },
      async () => {
        const words = WORDS[lang];
        const checkedBefore = checkedPages.length;
        const email = `rae-${lang}@example.com`;
        const page = await (await person()).newPage();
        await go(page, `${lang}: service page`, () =>
          page.goto(`/services/${MISSED_BIN}?lang=${lang}`),
        );
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        await go(page, `${lang}: which bin`, () =>
          page.locator(`a[href="/services/${MISSED_BIN}/apply"]`).click(),
        );
        expect(pathOf(page)).toBe(`/services/${MISSED_BIN}/apply/bin`);

        await go(page, `${lang}: which bin, with an error`, () =>
          button(page, words.continue).click(),
        );
        expect(await page.locator('.govuk-error-summary').count()).toBe(1);
        await page.locator('input[name="bin"][value="recycling"]').check();
        await go(page, `${lang}: collection date`, () => button(page, words.continue).click());

        await fillDate(page, 'collectionDate', ukDate(-1));
        await go(page, `${lang}: address, find by postcode`, () =>
          button(page, words.continue).click(),
        );
        await page.locator('#address-lookup').fill('gl5 4ub');
        await go(page, `${lang}: address, choose one`, () =>
          page.locator('button[value="find:address"]').click(),
        );
        await page.locator('#address-uprn').selectOption('900000000001');
        await go(page, `${lang}: where the bin was left`, () =>
          button(page, words.continue).click(),
        );
        expect(pathOf(page)).toBe(`/services/${MISSED_BIN}/apply/bin-location`);

        // Part way: save, and have the link e-mailed.
        await page.locator('input[name="binLocation"][value="kerbside"]').check();
        await go(page, `${lang}: save and come back later`, () => button(page, words.save).click());
        await page.locator('input[name="email"]').fill(email);
        await go(page, `${lang}: check your email`, () => button(page, words.sendLink).click());
        expect(await page.locator('h1').innerText()).toBe(words.checkEmail);

        const mail = await app.platform.database.db
          .selectFrom('outbox')
          .select('payload')
          .where('topic', '=', 'mail.send')
          .where(sql<string>`payload->>'to'`, '=', email)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        const link = /https?:\/\/\S+\/resume\/[A-Za-z0-9_-]+/.exec(
          String((mail.payload as { text: string }).text),
        )![0];

        // Another device, from the link: it carries on at the first page not yet answered.
        const other = await (await person()).newPage();
        await go(other, `${lang}: contact details, after the link`, () =>
          other.goto(`${new URL(link).pathname}?lang=${lang}`),
        );
        expect(pathOf(other)).toBe(`/services/${MISSED_BIN}/apply/contact`);
        expect(await other.locator('html').getAttribute('lang')).toBe(lang);
        await other.locator('input[name="email"]').fill(email);
        await go(other, `${lang}: check your answers`, () => button(other, words.continue).click());
        const answers = await other.locator('.govuk-summary-list').innerText();
        for (const text of [words.recycling, 'Ebley Mill', email]) expect(answers).toContain(text);

        await go(other, `${lang}: confirmation`, () => button(other, words.send).click());
        const panel = await other.locator('.govuk-panel').innerText();
        expect(panel).toContain(words.reported);
        expect(await other.locator('main').innerText()).toContain(words.next);
        const reference = /JU-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(panel)![0];

        const submission = await submissionByReference(reference);
        expect(submission.applicant_user_id).toBeNull();
        expect(submission.answers.values).toMatchObject({
          bin: 'recycling',
          collectionDate: ukDate(-1),
          address: { uprn: '900000000001', postcode: 'GL5 4UB' },
          binLocation: 'kerbside',
          email,
        });
        expect(checkedPages.length - checkedBefore).toBe(12);
      },
    );
  }

  it(
    'tells Stroud the citizen disagrees with their Council Tax band, signed in, with a PDF uploaded from disk',
    { timeout: 120_000 },
    async () => {
      const checkedBefore = checkedPages.length;
      const pdf = path.join(folder, 'neighbours-bands.pdf');
      await writeFile(
        pdf,
        '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      );
      const page = await (await person()).newPage();
      await go(page, 'band: service page', () => page.goto(`/services/${BAND}`));
      await go(page, 'band: sign in', () =>
        page.getByRole('button', { name: 'Start now' }).click(),
      );
      expect(pathOf(page)).toBe('/sign-in');
      await page.getByLabel('E-mail address').fill(citizenAccount.email);
      await page.getByLabel('Password', { exact: true }).fill(citizenAccount.password);
      await go(page, 'band: which property', () =>
        page.getByRole('button', { name: 'Sign in' }).click(),
      );
      expect(pathOf(page)).toBe(`/services/${BAND}/apply/property`);

      await page.getByLabel('Postcode').fill('GL5 4UB');
      await go(page, 'band: choose the property', () =>
        page.getByRole('button', { name: 'Find address' }).click(),
      );
      await page
        .getByLabel('Select an address')
        .selectOption({ label: 'Flat 1, Ebley Mill, Westward Road, Ebley, Stroud, GL5 4UB' });
      await go(page, 'band: current band', () => button(page, 'Continue').click());

      await page.getByLabel('Band D').check();
      await go(page, 'band: why it is wrong', () => button(page, 'Continue').click());
      await page
        .getByLabel('Why do you think the band is wrong?')
        .fill(
          'Flat 2 next door is the same size and is in band B.\nMine has been in band D since it was built.',
        );
      await go(page, 'band: evidence', () => button(page, 'Continue').click());
      expect(pathOf(page)).toBe(`/services/${BAND}/apply/evidence`);

      await page.locator('#evidence').setInputFiles(pdf);
      await go(page, 'band: evidence with a file added', () => button(page, 'Continue').click());
      expect(await page.locator('.app-uploaded-files').innerText()).toContain(
        'neighbours-bands.pdf',
      );
      await go(page, 'band: challenged before?', () => button(page, 'Continue').click());
      await page.getByLabel('Yes').check();
      await go(page, 'band: when it was challenged', () => button(page, 'Continue').click());
      await fillDate(page, 'challengeDate', '2022-06-01');
      await go(page, 'band: contact details', () => button(page, 'Continue').click());
      expect(await page.getByLabel('Email address').inputValue()).toBe(citizenAccount.email);
      await go(page, 'band: check your answers', () => button(page, 'Continue').click());

      const answers = await page.locator('.govuk-summary-list').innerText();
      for (const text of ['Flat 1, Ebley Mill', 'Band D', 'neighbours-bands.pdf', '1 June 2022'])
        expect(answers).toContain(text);
      await go(page, 'band: declaration', () =>
        page.getByRole('button', { name: 'Continue' }).click(),
      );
      await page.getByLabel('I agree').check();
      await go(page, 'band: confirmation', () => button(page, 'Accept and send').click());
      expect(pathOf(page)).toMatch(/^\/applications\/JU-[A-Z0-9]{4}-[A-Z0-9]{4}\/confirmation$/);
      const reference = pathOf(page).split('/')[2]!;

      const submission = await submissionByReference(reference);
      expect(submission.applicant_user_id).not.toBeNull();
      expect(submission.answers.values).toMatchObject({
        property: { uprn: '900000000002', postcode: 'GL5 4UB' },
        currentBand: 'D',
        reasons:
          'Flat 2 next door is the same size and is in band B.\nMine has been in band D since it was built.',
        evidence: [
          expect.objectContaining({ name: 'neighbours-bands.pdf', type: 'application/pdf' }),
        ],
        challengedBefore: 'yes',
        challengeDate: '2022-06-01',
        email: citizenAccount.email,
      });

      expect(checkedPages.length - checkedBefore).toBe(14);
    },
  );
});
