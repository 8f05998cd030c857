import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueLetter } from '../../src/platform/letters/letters.js';
import { renderTextPdf } from '../../src/platform/letters/pdf.js';
import { MAIL_TOPIC } from '../../src/platform/mail/mailer.js';
import { enqueue } from '../../src/platform/outbox/outbox.js';
import { SMS_TOPIC } from '../../src/platform/sms/sms.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  axeViolations,
  describeViolations,
  launchBrowser,
  newPersonContext,
} from '../helpers/browser.js';

const OWNER = { email: 'owner@stroud.example.gov.uk', password: 'demo-stroud-service-owner' };
const PLATFORM_ADMIN = {
  email: 'admin@cabinet-office.example.gov.uk',
  password: 'demo-platform-admin',
};

describe('the notifications admin pages and the development mailbox in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const checked: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-notify-admin-browser-'));
    app = await startTestApp({ DATA_DIR: dataDir });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 40_000);

  /** Every page is checked against WCAG 2.2 A and AA; the failures are reported together at the end. */
  async function check(page: Page, label: string): Promise<void> {
    await page.waitForLoadState('load');
    const violations = await axeViolations(page);
    checked.push(label);
    if (violations.length)
      problems.push(describeViolations(`${label} (${page.url()})`, violations));
  }

  async function signIn(person: { email: string; password: string }): Promise<Page> {
    const context = await newPersonContext(browser, app.baseUrl);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(person.email);
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 15_000 }),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
    return page;
  }

  it(
    'a service owner creates a key, a text message template and a callback; axe finds nothing',
    { timeout: 120_000 },
    async () => {
      const page = await signIn(OWNER);
      await page.getByRole('link', { name: 'Notifications' }).first().click();
      await page.waitForURL('**/admin/notify/stroud');
      await check(page, 'overview');

      // API keys: an empty form first, then a key shown once.
      await page.getByRole('link', { name: 'Manage API keys' }).click();
      await check(page, 'keys (none)');
      await page.getByRole('button', { name: 'Create an API key' }).click();
      await check(page, 'new key');
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Enter a name for the key',
      );
      await check(page, 'new key with errors');
      await page.getByLabel('Name for this key').fill('Waste system');
      await page.getByLabel('Test').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      const key = (await page.locator('#api-key').textContent())!.trim();
      expect(key).toMatch(/^waste_system-/);
      await check(page, 'key created');
      await page.getByRole('link', { name: 'Back to API keys' }).click();
      expect(await page.content()).not.toContain(key);
      await check(page, 'keys (one)');
      await page
        .getByRole('link', { name: /Revoke/ })
        .first()
        .click();
      await check(page, 'revoke key');
      await page.getByRole('button', { name: 'Yes, revoke this API key' }).click();
      await page.getByText('The API key ‘Waste system’ has been revoked.').waitFor();
      await check(page, 'keys (revoked)');

      // Templates: the type is chosen with a plain GET form.
      await page.goto('/admin/notify/stroud/templates');
      await check(page, 'templates (none)');
      await page.getByRole('button', { name: 'Add a template' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await check(page, 'template type with error');
      await page.getByLabel('Text message').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await check(page, 'new text message template');
      await page.getByLabel('Template name').fill('Bin reminder');
      await page.getByLabel('Message').fill('Hello ((name)), your ((bin)) bin goes out tomorrow.');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Template saved as version 1.').waitFor();
      expect(await page.locator('#sms-length').textContent()).toContain('sent as 1 text message');
      await check(page, 'template');
      await page.getByLabel('name', { exact: true }).fill('Sam');
      await page.getByLabel('bin', { exact: true }).fill('green');
      await page.getByRole('button', { name: 'Preview', exact: true }).click();
      expect(await page.locator('[data-preview="sms"]').textContent()).toContain(
        'Hello Sam, your green bin goes out tomorrow.',
      );
      await check(page, 'template preview');
      await page.getByRole('button', { name: 'Edit this template' }).click();
      await check(page, 'edit template');
      await page.getByLabel('Message').fill('Hello ((name)), put your ((bin)) bin out tonight.');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Template saved as version 2.').waitFor();
      await page.getByRole('link', { name: /See earlier versions/ }).click();
      await check(page, 'versions');
      await page.getByRole('link', { name: 'Version 1' }).click();
      await page.waitForURL('**/versions/1');
      expect(await page.content()).toContain('goes out tomorrow');
      await check(page, 'version 1');

      // Delivery receipts.
      await page.goto('/admin/notify/stroud/callback');
      await check(page, 'callback');
      await page.getByLabel('URL for delivery receipts').fill('http://example.com/receipts');
      await page.getByLabel('Bearer token').fill('short');
      await page.getByRole('button', { name: 'Save' }).click();
      await check(page, 'callback with errors');
      await page.getByLabel('URL for delivery receipts').fill('https://example.com/receipts');
      await page.getByLabel('Bearer token').fill('a-long-enough-token');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Delivery receipts will be sent to the new URL.').waitFor();
      await check(page, 'callback set');

      // And in Welsh.
      await page.goto('/admin/notify/stroud/templates?lang=cy');
      expect(await page.locator('h1').textContent()).toBe('Templedi');
      await check(page, 'templates in Welsh');
    },
  );

  it(
    'a platform admin reads an e-mail, a text message and a letter in the development mailbox; axe finds nothing',
    { timeout: 120_000 },
    async () => {
      const db = app.platform.database.db;
      await enqueue(db, {
        topic: MAIL_TOPIC,
        payload: {
          to: 'sam@example.com',
          subject: 'Your collection is booked',
          text: 'Dear Sam,\n\nSee you on 3 May.',
        },
        idempotencyKey: 'browser-mail-1',
      });
      await enqueue(db, {
        topic: SMS_TOPIC,
        payload: { to: '07700900123', text: 'Your code is 123456' },
        idempotencyKey: 'browser-sms-1',
      });
      await queueLetter(
        db,
        {
          to: { name: 'Sam Smith', lines: ['1 High Street', 'Stroud', 'GL5 1AA'] },
          pdf: renderTextPdf([
            { text: 'Sam Smith' },
            { text: 'Your activation code is ABCD-1234' },
          ]),
        },
        'browser-letter-1',
      );
      for (let round = 0; round < 5; round++) await app.platform.worker.drain();

      const page = await signIn(PLATFORM_ADMIN);
      await page.goto('/admin/notify');
      await check(page, 'organisations');
      await page.goto('/admin/outbox');
      await page.getByRole('link', { name: /development mailbox/ }).click();
      await page.waitForURL('**/dev/mailbox');
      await check(page, 'mailbox');
      await page.getByRole('link', { name: 'Your collection is booked' }).click();
      await page.waitForURL('**/dev/mailbox/email/*');
      expect(await page.content()).toContain('See you on 3 May.');
      await check(page, 'e-mail');
      await page.goBack();
      await page.getByRole('link', { name: 'Your code is 123456' }).click();
      await page.waitForURL('**/dev/mailbox/sms/*');
      await check(page, 'text message');
      await page.goBack();
      await page.locator('#letters ~ table a').first().click();
      await page.waitForURL('**/dev/mailbox/letters/*');
      expect(await page.content()).toContain('Your activation code is ABCD-1234');
      await check(page, 'letter');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download the PDF' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      await page.goto('/dev/mailbox?lang=cy');
      await check(page, 'mailbox in Welsh');
    },
  );

  it('found no accessibility problems on any page', () => {
    expect(checked.length).toBeGreaterThan(20);
    expect(problems, problems.join('\n\n')).toEqual([]);
  });
});
