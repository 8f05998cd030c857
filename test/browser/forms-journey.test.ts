import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../../src/main/modules.js';
import { attachmentsModule } from '../../src/modules/attachments/index.js';
import { findPublishedService, publishService } from '../../src/modules/catalogue/index.js';
import { publishForm } from '../../src/modules/forms/index.js';
import { everyQuestionForm } from '../../src/modules/forms/test/every-question.js';
import { accessibilityChecker, launchBrowser, newPersonContext } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const SLUG = 'browser-forms-test';
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

/**
 * A form asking every question type, for a service that needs no account: answered in Chromium
 * with an address look-up and a file upload, saved, continued on another device from the
 * e-mailed link, and sent — every page checked with axe.
 */
describe('a form with every question type, without an account, in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let first: BrowserContext;
  let second: BrowserContext;
  const { checkedPages, checkAccessibility } = accessibilityChecker();

  beforeAll(async () => {
    const needsAttachments = !MODULES.some((m) => m.name === 'attachments');
    app = await startTestApp({}, needsAttachments ? [attachmentsModule] : []);
    const db = app.platform.database.db;
    const published = await db.transaction().execute((trx) =>
      publishForm(trx, everyQuestionForm(SLUG), {
        userId: null,
        organisationId: null,
        role: 'test',
      }),
    );
    if (!published.ok) throw new Error(JSON.stringify(published.problems));
    const stroud = (await findPublishedService(db, 'request-a-bulky-waste-collection', 'en'))!;
    const made = await publishService(db, {
      organisationId: stroud.organisation.id,
      slug: SLUG,
      title: 'Tell us about your home',
      titleCy: 'Dywedwch wrthym am eich cartref',
      summary: 'A test service.',
      summaryCy: 'Gwasanaeth prawf.',
      body: 'Apply online.',
      bodyCy: 'Gwnewch gais ar-lein.',
      formKey: SLUG,
      requiredLevel: 0,
    });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    browser = await launchBrowser();
    first = await newPersonContext(browser, app.baseUrl);
    second = await newPersonContext(browser, app.baseUrl);
  }, 60_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await browser?.close();
    await app?.close();
  }, 40_000);

  async function go(page: Page, label: string, action: () => Promise<unknown>) {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
    await checkAccessibility(page, label);
  }

  const path = (page: Page) => new URL(page.url()).pathname;
  const continueButton = (page: Page) =>
    page.getByRole('button', { name: 'Continue', exact: true });

  it(
    'answers, uploads, saves, continues elsewhere and sends, accessibly',
    { timeout: 120_000 },
    async () => {
      const page = await first.newPage();
      await go(page, 'first question', () => page.goto(`/services/${SLUG}/apply`));
      expect(path(page)).toBe(`/services/${SLUG}/apply/name`);
      await page.getByLabel('What is your full name?').fill('Rae Porter');
      await go(page, 'several questions', () => continueButton(page).click());

      await go(page, 'several questions with errors', () => continueButton(page).click());
      expect(await page.title()).toMatch(/^Error:/);
      await page.getByLabel('Tell us what happened').fill('The roof leaks.');
      await page.getByLabel('How many people live there?').fill('2');
      await page.getByLabel('Monthly rent').fill('650');
      await page.locator('#moveDate-day').fill('1');
      await page.locator('#moveDate-month').fill('9');
      await page.locator('#moveDate-year').fill('2019');
      await page.getByRole('group', { name: 'Do you have pets?' }).getByLabel('Yes').check();
      await go(page, 'conditional page', () => continueButton(page).click());
      expect(path(page)).toBe(`/services/${SLUG}/apply/pets`);
      await page.getByLabel('Another animal').check();
      await page.getByLabel('What animal is it?').fill('A tortoise');
      await go(page, 'contact page', () => continueButton(page).click());

      await page.getByLabel('Best way to contact you').selectOption('phone');
      await page.getByLabel('Phone number').fill('07700 900982');
      await page.getByLabel('Email address').fill('rae@example.com');
      await page.getByLabel('National Insurance number').fill('JG 10 37 59 A');
      await page.getByLabel('A repair').check();
      await go(page, 'address: find by postcode', () => continueButton(page).click());

      await page.getByLabel('Postcode').fill('gl5 4ub');
      await go(page, 'address: choose one', () =>
        page.getByRole('button', { name: 'Find address' }).click(),
      );
      await page
        .getByLabel('Select an address')
        .selectOption({ label: 'Flat 1, Ebley Mill, Westward Road, Ebley, Stroud, GL5 4UB' });
      await go(page, 'file upload', () => continueButton(page).click());
      expect(path(page)).toBe(`/services/${SLUG}/apply/evidence`);

      await page
        .locator('#evidence')
        .setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: PDF });
      await go(page, 'file upload with a file added', () => continueButton(page).click());
      expect(await page.locator('.app-uploaded-files').innerText()).toContain('letter.pdf');

      await go(page, 'save and come back later', () =>
        page.getByRole('button', { name: 'Save and come back later' }).click(),
      );
      await page.getByLabel('Email address').fill('rae@example.com');
      await go(page, 'check your email', () =>
        page.getByRole('button', { name: 'Send the link' }).click(),
      );
      expect(await page.locator('h1').innerText()).toBe('Check your email');

      // On another device, from the link in the e-mail.
      const mail = await app.platform.database.db
        .selectFrom('outbox')
        .select('payload')
        .where('topic', '=', 'mail.send')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const link = /http:\/\/\S+\/resume\/[A-Za-z0-9_-]+/.exec(
        String((mail.payload as { text: string }).text),
      )![0];
      const other = await second.newPage();
      await go(other, 'add another: the list', () => other.goto(new URL(link).pathname));
      expect(path(other)).toBe(`/services/${SLUG}/apply/household`);
      await other.getByLabel('Yes').check();
      await go(other, 'add another: an item', () => continueButton(other).click());
      await other.getByLabel('Their name').fill('Alex');
      await other.locator('#personBorn-day').fill('3');
      await other.locator('#personBorn-month').fill('4');
      await other.locator('#personBorn-year').fill('2001');
      await other.getByRole('group', { name: 'Are they a student?' }).getByLabel('No').check();
      await go(other, 'add another: the list with an item', () => continueButton(other).click());
      await go(other, 'add another: remove an item?', () =>
        other.getByRole('link', { name: 'Remove Person 1' }).click(),
      );
      await other.getByLabel('No').check();
      await go(other, 'add another: kept', () => continueButton(other).click());
      await other.getByLabel('No').check();
      await go(other, 'check your answers', () => continueButton(other).click());
      const answers = await other.locator('.govuk-summary-list').innerText();
      for (const text of [
        'Rae Porter',
        'A tortoise',
        'Flat 1, Ebley Mill',
        'letter.pdf',
        'Person 1',
        'JG 10 37 59 A',
      ])
        expect(answers).toContain(text);
      await go(other, 'check your answers in Welsh', () =>
        other.goto(`/services/${SLUG}/apply/check-answers?lang=cy`),
      );
      await go(other, 'check your answers in English', () =>
        other.goto(`/services/${SLUG}/apply/check-answers?lang=en`),
      );
      await go(other, 'declaration', () => other.getByRole('button', { name: 'Continue' }).click());
      await other.getByLabel('I agree').check();
      await go(other, 'confirmation', () =>
        other.getByRole('button', { name: 'Accept and send' }).click(),
      );
      expect(await other.locator('.govuk-panel').innerText()).toMatch(
        /Report sent[\s\S]*JU-[A-Z0-9]{4}-[A-Z0-9]{4}/,
      );
      expect(await other.locator('main').innerText()).toContain(
        'We will contact you within 10 working days.',
      );

      expect(checkedPages.length).toBeGreaterThanOrEqual(20);
    },
  );
});
