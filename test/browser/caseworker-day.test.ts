import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/main/seed.js';
import { accessibilityChecker, launchBrowser, newPersonContext } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** A Stroud service with a form and no workflow of its own: its cases follow `default`. */
const MISSED_BIN = 'report-a-missed-bin-collection-stroud';
const citizenAccount = DEMO_ACCOUNTS.find((a) => a.email === 'citizen@example.com')!;
const caseworkerAccount = DEMO_ACCOUNTS.find(
  (a) => a.email === 'caseworker@stroud.example.gov.uk',
)!;

const QUESTION = 'Please send a photo of the bin where you left it on the collection day.';
const ANSWER = 'The bin was at the kerb by 6:30am.\nThe photo shows it with the lid shut.';
const DECISION = 'The crew will collect the recycling bin tomorrow.';

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
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
/** The case page's state, the first row of its summary. */
const caseState = (page: Page) =>
  page.locator('.govuk-summary-list .govuk-tag').first().innerText();

/**
 * A caseworker's day, in Chromium with axe on every page: a citizen reports a missed bin to
 * Stroud (the `default` workflow); a Stroud caseworker, in a browser of their own, filters the
 * queue, takes the case, starts work and asks the citizen for a photo; the citizen sees the
 * request on their application, answers with text and a PDF; the caseworker sees both on the
 * case and approves it with a comment; the citizen sees the decision.
 */
describe("a caseworker's day: queue, case, request for information, the answer, the decision", () => {
  let app: TestApp;
  let browser: Browser;
  let folder: string;
  const contexts: BrowserContext[] = [];
  const { checkedPages, checkAccessibility } = accessibilityChecker();

  beforeAll(async () => {
    // The outbox worker runs, as in production: delivery to Stroud, messages and letters.
    app = await startTestApp({ WORKER: 'on', WORKER_POLL_MS: '100' });
    browser = await launchBrowser();
    folder = await mkdtemp(path.join(tmpdir(), 'joinedup-caseworker-day-'));
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  }, 40_000);

  async function person(): Promise<Page> {
    const context = await newPersonContext(browser, app.baseUrl);
    contexts.push(context);
    return context.newPage();
  }

  /** Performs an action that navigates, waits for the new page to load, then checks it. */
  async function go(page: Page, label: string, action: () => Promise<unknown>): Promise<void> {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 30_000 }), action()]);
    await checkAccessibility(page, label);
  }

  async function signIn(page: Page, label: string, account: { email: string; password: string }) {
    await go(page, `${label}: sign in`, () => page.goto('/sign-in'));
    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await go(page, `${label}: signed in`, () =>
      page.getByRole('button', { name: 'Sign in' }).click(),
    );
    expect(pathOf(page)).not.toBe('/sign-in');
  }

  /**
   * Reloads the page until `ready` holds: for what the outbox worker delivers in its own time.
   * The machine may be busy, so the limit is generous; the page is checked once it is ready.
   */
  async function reloadUntil(
    page: Page,
    label: string,
    ready: () => Promise<boolean>,
    what: string,
    ms = 45_000,
  ): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error(`${what}: not so within ${ms / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      await page.reload({ waitUntil: 'load' });
    }
    await checkAccessibility(page, label);
  }

  const shown = (locator: Locator) => async () => (await locator.count()) > 0;

  it(
    'takes a missed bin report from the queue to a decision, with a request for information answered online',
    { timeout: 240_000 },
    async () => {
      const pdf = path.join(folder, 'bin-at-the-kerb.pdf');
      await writeFile(
        pdf,
        '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      );
      const citizen = await person();
      const caseworker = await person();

      // The citizen, signed in, reports a missed recycling bin.
      await signIn(citizen, 'citizen', citizenAccount);
      await go(citizen, 'missed bin: service page', () => citizen.goto(`/services/${MISSED_BIN}`));
      await go(citizen, 'missed bin: which bin', () =>
        citizen.locator(`a[href="/services/${MISSED_BIN}/apply"]`).click(),
      );
      expect(pathOf(citizen)).toBe(`/services/${MISSED_BIN}/apply/bin`);
      await citizen.getByLabel('Recycling').check();
      await go(citizen, 'missed bin: collection date', () => button(citizen, 'Continue').click());
      await fillDate(citizen, 'collectionDate', ukDate(-1));
      await go(citizen, 'missed bin: address', () => button(citizen, 'Continue').click());
      await citizen.locator('#address-lookup').fill('gl5 4ub');
      await go(citizen, 'missed bin: choose the address', () =>
        citizen.locator('button[value="find:address"]').click(),
      );
      await citizen.locator('#address-uprn').selectOption('900000000001');
      await go(citizen, 'missed bin: where the bin was left', () =>
        button(citizen, 'Continue').click(),
      );
      await citizen.locator('input[name="binLocation"][value="kerbside"]').check();
      await go(citizen, 'missed bin: contact details', () => button(citizen, 'Continue').click());
      expect(await citizen.locator('input[name="email"]').inputValue()).toBe(citizenAccount.email);
      await go(citizen, 'missed bin: check your answers', () =>
        button(citizen, 'Continue').click(),
      );
      await go(citizen, 'missed bin: confirmation', () =>
        button(citizen, 'Accept and send').click(),
      );
      const panel = await citizen.locator('.govuk-panel').innerText();
      const reference = /JU-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(panel)?.[0];
      expect(reference, `no reference in the confirmation panel: ${panel}`).toBeDefined();
      const ref = reference!;

      // The caseworker, in their own browser, looks for cases nobody has taken yet.
      await signIn(caseworker, 'caseworker', caseworkerAccount);
      await go(caseworker, 'queue', () => caseworker.goto('/casework'));
      expect(await caseworker.locator('h1').innerText()).toBe('Cases');
      await caseworker.getByLabel('Assigned to').selectOption('unassigned');
      await go(caseworker, 'queue: not assigned', () =>
        button(caseworker, 'Apply filters').click(),
      );
      expect(new URL(caseworker.url()).searchParams.get('assigned')).toBe('unassigned');
      // The outbox delivers the report to Stroud, whose casework opens a case for it.
      const caseLink = caseworker.getByRole('link', { name: ref, exact: true });
      await reloadUntil(
        caseworker,
        'queue: not assigned, with the new case',
        shown(caseLink),
        `${ref} in Stroud's queue of cases not assigned`,
      );
      const row = caseworker.locator('tr', { has: caseLink });
      expect(await row.innerText()).toContain('Received');
      expect(await row.innerText()).toContain('Report a missed bin collection');

      await go(caseworker, 'case: received', () => caseLink.click());
      expect(pathOf(caseworker)).toBe(`/casework/${ref}`);
      expect(await caseState(caseworker)).toBe('Received');
      const answers = await caseworker.locator('main').innerText();
      expect(answers).toContain('Recycling');

      // Assigning it to themselves moves it to "Assigned" (the default workflow's assign action).
      await expect
        .poll(() => caseworker.locator('#assign-assignee option:checked').innerText())
        .toMatch(/\(you\)$/);
      await go(caseworker, 'case: assigned', () => button(caseworker, 'Assign').click());
      expect(await caseworker.locator('.govuk-notification-banner').innerText()).toContain(
        'The case has been assigned.',
      );
      expect(await caseState(caseworker)).toBe('Assigned');

      // The queue of cases not assigned no longer lists it; the caseworker's own does.
      await go(caseworker, 'queue: not assigned, after assigning', () =>
        caseworker.goto('/casework?assigned=unassigned'),
      );
      expect(await caseLink.count()).toBe(0);
      await go(caseworker, 'queue: mine', () => caseworker.goto('/casework?assigned=me'));
      await go(caseworker, 'case: assigned, from my queue', () => caseLink.click());

      await go(caseworker, 'case: in progress', () => button(caseworker, 'Start work').click());
      expect(await caseState(caseworker)).toBe('In progress');

      // The request for information, from the case page's panel.
      const information = caseworker.locator('#information');
      await information.getByLabel('What do you need from the applicant?').fill(QUESTION);
      await go(caseworker, 'case: waiting for information', () =>
        information.getByRole('button', { name: 'Send request' }).click(),
      );
      expect(await caseworker.locator('.govuk-notification-banner').innerText()).toContain(
        'The applicant has been asked for the information.',
      );
      expect(await caseState(caseworker)).toBe('Waiting for information');
      expect(await caseworker.locator('main').innerText()).toMatch(
        /Clock paused since .+, waiting for the applicant/,
      );
      expect(await information.innerText()).toContain(QUESTION);

      // The citizen is told in their account inbox (delivered by the outbox).
      await go(citizen, 'inbox', () => citizen.goto('/inbox'));
      const message = citizen.getByRole('link', { name: `${ref}: we need more information` });
      await reloadUntil(
        citizen,
        'inbox with the request',
        shown(message),
        `the request for information in the citizen's inbox`,
      );

      // Their application page shows the request, with the link to answer it.
      await go(citizen, 'application: information needed', () =>
        citizen.goto(`/applications/${ref}`),
      );
      const banner = citizen.locator('.govuk-notification-banner');
      expect(await banner.innerText()).toContain('We need more information from you');
      await go(citizen, 'answer the request', () =>
        banner.getByRole('link', { name: /^Answer the request of / }).click(),
      );
      expect(pathOf(citizen)).toMatch(new RegExp(`^/applications/${ref}/information/[^/]+$`));
      expect(await citizen.locator('main').innerText()).toContain(QUESTION);
      const answerPage = pathOf(citizen);

      // The same page in Welsh, then back to English.
      await go(citizen, 'answer the request, in Welsh', () =>
        citizen.goto(`${answerPage}?lang=cy`),
      );
      expect(await citizen.locator('html').getAttribute('lang')).toBe('cy');
      expect(await citizen.locator('h1').innerText()).toBe('Ateb cais am wybodaeth');
      await go(citizen, 'answer the request, back in English', () =>
        citizen.goto(`${answerPage}?lang=en`),
      );
      expect(await citizen.locator('h1').innerText()).toBe('Answer a request for information');

      // Sent empty first: the error summary, and nothing changes.
      await go(citizen, 'answer the request, with an error', () =>
        button(citizen, 'Send answer').click(),
      );
      expect(await citizen.locator('.govuk-error-summary').count()).toBe(1);
      expect(await citizen.title()).toMatch(/^Error:/);

      await citizen.getByLabel('Your answer').fill(ANSWER);
      await citizen.getByLabel('Add a file (optional)').setInputFiles(pdf);
      await go(citizen, 'answer the request, with a file', () =>
        button(citizen, 'Upload file').click(),
      );
      expect(await citizen.locator('main .govuk-summary-list').innerText()).toContain(
        'bin-at-the-kerb.pdf',
      );
      // What was typed before the upload is kept.
      expect(await citizen.getByLabel('Your answer').inputValue()).toBe(ANSWER);
      await go(citizen, 'answer sent', () => button(citizen, 'Send answer').click());
      expect(await citizen.locator('.govuk-notification-banner').innerText()).toContain(
        'Your answer has been sent to Stroud District Council',
      );
      expect(await citizen.locator('main').innerText()).toContain('bin-at-the-kerb.pdf');

      // The caseworker sees the answer and its file; the case is back in progress.
      await go(caseworker, 'case: answered', () => caseworker.goto(`/casework/${ref}`));
      expect(await caseState(caseworker)).toBe('In progress');
      const answered = await information.innerText();
      expect(answered).toContain('Answered');
      expect(answered).toContain('The bin was at the kerb by 6:30am.');
      expect(answered).toContain('The photo shows it with the lid shut.');
      const file = information.getByRole('link', { name: 'bin-at-the-kerb.pdf' });
      expect(await file.count()).toBe(1);
      const download = await caseworker.request.get((await file.getAttribute('href'))!);
      expect(download.status()).toBe(200);
      expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');

      // The decision, with a comment the applicant is told.
      await caseworker.locator('#action-approve-comment').fill(DECISION);
      await go(caseworker, 'case: approved', () => button(caseworker, 'Approve').click());
      expect(await caseworker.locator('.govuk-notification-banner').innerText()).toContain(
        'Done: the case has moved on.',
      );
      expect(await caseState(caseworker)).toBe('Approved');
      expect(await caseworker.locator('#history + ol').innerText()).toContain(DECISION);
      expect(await caseworker.locator('#actions').count()).toBe(1);
      expect(await button(caseworker, 'Approve').count()).toBe(0);

      // The citizen sees the decision on their application.
      await go(citizen, 'application: decided', () => citizen.goto(`/applications/${ref}`));
      await reloadUntil(
        citizen,
        'application: decided, shown',
        async () => (await citizen.locator('main .govuk-tag').first().innerText()) === 'Decided',
        `the decision on the citizen's application page`,
      );
      const application = await citizen.locator('main').innerText();
      expect(application).toContain('Decided by Stroud District Council');
      expect(application).toContain(`Approved. ${DECISION}`);
      expect(await citizen.locator('.govuk-notification-banner').count()).toBe(0);

      expect(checkedPages.length).toBe(36);
    },
  );
});
