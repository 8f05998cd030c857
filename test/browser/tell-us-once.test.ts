import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config/config.js';
import { findCitizenByEmail } from '../../src/modules/identity/index.js';
import { submitChange } from '../../src/modules/sharing/commands/changes.js';
import { hubDeliverySet, hubKeyCreate } from '../../src/modules/submissions/index.js';
import {
  startBodyReceiver,
  type BodyReceiver,
} from '../../src/modules/sharing/testing/receiver.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  axeViolations,
  describeViolations,
  launchBrowser,
  newPersonContext,
} from '../helpers/browser.js';

const BODIES = ['stroud', 'gloucestershire', 'dwp'] as const;

describe('tell us once in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  const receivers: Record<string, BodyReceiver> = {};
  const keys: Record<string, string> = {};
  const problems: string[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    const db = app.platform.database.db;
    const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', WORKER: 'off' });
    for (const body of BODIES) {
      receivers[body] = await startBodyReceiver();
      const set = await hubDeliverySet(db, config, [
        '--org',
        body,
        '--mode',
        'push',
        '--url',
        receivers[body]!.url,
        '--alert-email',
        `alerts@${body}.example.gov.uk`,
      ]);
      receivers[body]!.secrets = [set.out[0]!];
      keys[body] = (await hubKeyCreate(db, ['--org', body, '--scope', 'receive'])).out[0]!;
    }
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    for (const body of BODIES) await receivers[body]?.close();
    await app?.close();
  }, 40_000);

  async function check(page: Page, label: string): Promise<void> {
    await page.waitForLoadState('load');
    const violations = await axeViolations(page);
    if (violations.length)
      problems.push(describeViolations(`${label} (${page.url()})`, violations));
  }

  async function next(page: Page, label: string, button = 'Continue'): Promise<void> {
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: button, exact: true }).click(),
    ]);
    await check(page, label);
  }

  it(
    'the demo citizen tells three bodies about a move; each receives it and answers; every page is axe-clean, in Welsh too',
    { timeout: 120_000 },
    async () => {
      context = await newPersonContext(browser, app.baseUrl);
      const page = await context.newPage();
      await page.goto('/sign-in');
      await page.getByLabel('E-mail address').fill('citizen@example.com');
      await page.getByLabel('Password', { exact: true }).fill('demo-citizen-password');
      await Promise.all([
        page.waitForURL((url) => !url.pathname.startsWith('/sign-in')),
        page.getByRole('button', { name: 'Sign in', exact: true }).click(),
      ]);
      await page.goto('/tell-us-once');
      await check(page, 'start');
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('button', { name: 'Start now' }).click(),
      ]);
      await check(page, 'what has changed');
      await next(page, 'what has changed, with an error');
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Select what has changed',
      );
      await page.getByLabel('A change of address').check();
      await next(page, 'postcode');
      await page.getByLabel('What is your new postcode?').fill('gl5 4ub');
      await next(page, 'address');
      await page.getByLabel('Flat 1, Ebley Mill, Westward Road, Ebley, Stroud, GL5 4UB').check();
      await next(page, 'moved');
      await page.getByLabel('Day').fill('2');
      await page.getByLabel('Month').fill('11');
      await page.getByLabel('Year').fill('2026');
      await next(page, 'who we will tell');
      expect(await page.locator('main').textContent()).toContain('Stroud District Council');
      await page.getByLabel('Gloucestershire County Council').check();
      await page.getByLabel('Department for Work and Pensions').check();
      await page.goto('/tell-us-once/bodies?lang=cy');
      await check(page, 'who we will tell, in Welsh');
      await page.goto('/tell-us-once/bodies?lang=en');
      await page.getByLabel('Gloucestershire County Council').check();
      await page.getByLabel('Department for Work and Pensions').check();
      await next(page, 'check your answers');
      expect(await page.locator('main').textContent()).toContain('GL5 4UB');
      await next(page, 'confirmation', 'Send');
      expect(await page.locator('.govuk-panel').textContent()).toContain('Change sent');
      const reference = /TUO-[A-Z0-9]+/.exec(page.url())![0];

      await app.platform.worker.drain();
      for (const body of BODIES) {
        const arrival = receivers[body]!.arrivals.find((a) => a.body.reference === reference)!;
        expect(arrival.verified).toBe(true);
        expect(arrival.body.data).toMatchObject({ uprn: '900000000002', postcode: 'GL5 4UB' });
        const answered = await fetch(
          `${app.baseUrl}/api/v1/sharing/deliveries/${arrival.body.id}/answer`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${keys[body]}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ status: 'updated' }),
          },
        );
        expect(answered.status).toBe(200);
      }
      await page.goto(`/tell-us-once/changes/${reference}`);
      await check(page, 'status');
      expect(await page.locator('tbody .govuk-tag').allTextContents()).toEqual([
        'Updated',
        'Updated',
        'Updated',
      ]);
      await page.goto('/account/consents');
      await check(page, 'consents');
      expect(await page.locator('.govuk-summary-card').count()).toBe(2);
      await page.goto('/account/consents?lang=cy');
      await check(page, 'consents, in Welsh');
      expect(problems).toEqual([]);
    },
  );

  it(
    'a platform admin’s agreement and verification pages are axe-clean, with errors too',
    { timeout: 120_000 },
    async () => {
      const admin = await newPersonContext(browser, app.baseUrl);
      try {
        const page = await admin.newPage();
        await page.goto('/sign-in');
        await page.getByLabel('E-mail address').fill('admin@cabinet-office.example.gov.uk');
        await page.getByLabel('Password', { exact: true }).fill('demo-platform-admin');
        await Promise.all([
          page.waitForURL((url) => !url.pathname.startsWith('/sign-in')),
          page.getByRole('button', { name: 'Sign in', exact: true }).click(),
        ]);
        await page.goto('/admin/sharing');
        await check(page, 'agreements');
        expect(await page.locator('tbody tr').count()).toBe(3);
        await page.goto('/admin/sharing/agreements/new');
        await check(page, 'new agreement');
        await next(page, 'new agreement, with errors', 'Register agreement');
        expect(await page.locator('.govuk-error-summary li').count()).toBeGreaterThanOrEqual(5);
        // A death report, held until checked.
        const db = app.platform.database.db;
        const reporter = await findCitizenByEmail(db, 'citizen@example.com');
        const made = await db.transaction().execute((trx) =>
          submitChange(
            trx,
            {
              userId: reporter!.id,
              type: 'death',
              details: {
                deceasedGivenName: 'Pat',
                deceasedFamilyName: 'Example',
                deceasedDateOfBirth: '1940-02-01',
                dateOfDeath: '2026-11-01',
                deathRegistrationReference: 'DA 123456',
                reporterRelationship: 'child',
              },
              consentedAgreementIds: [],
            },
            { userId: reporter!.id, organisationId: null, role: 'citizen' },
            app.baseUrl,
          ),
        );
        expect(made.ok).toBe(true);
        await page.goto('/admin/sharing/verifications');
        await check(page, 'verifications');
        await Promise.all([
          page.waitForNavigation(),
          page.getByRole('link', { name: made.ok ? made.change.reference : '' }).click(),
        ]);
        await check(page, 'verify a report');
        await next(page, 'verify a report, with errors', 'Save decision');
        await page.getByLabel('Yes, it matches the register: tell the bodies').check();
        await page.getByLabel('Reason').fill('Matches the register entry DA 123456');
        await next(page, 'verifications after the decision', 'Save decision');
        expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
          'Report verified',
        );
        await page.goto('/admin/sharing?lang=cy');
        await check(page, 'agreements, in Welsh');
        expect(problems).toEqual([]);
      } finally {
        await admin.close();
      }
    },
  );
});
