import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubmission } from '../../src/modules/submissions/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { accessibilityChecker, launchBrowser, newPersonContext } from '../helpers/browser.js';

describe('My data: a caseworker gives a reason, the person sees it and asks a body for what it holds', () => {
  let app: TestApp;
  let browser: Browser;
  let citizenContext: BrowserContext;
  let caseworkerContext: BrowserContext;
  let leaderContext: BrowserContext;
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
    const ids = async (email: string) =>
      (
        await db
          .selectFrom('users')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).id;
    const citizenId = await ids('citizen@example.com');
    const service = await db
      .selectFrom('services as s')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select(['s.id', 's.organisation_id'])
      .where('o.slug', '=', 'stroud')
      .where('s.title', 'ilike', '%bulky waste%')
      .executeTakeFirstOrThrow();
    reference = (
      await createSubmission(
        db,
        {
          draftId: randomUUID(),
          serviceId: service.id,
          organisationId: service.organisation_id,
          applicantUserId: citizenId,
          answers: { values: {}, summary: { en: [], cy: [] } },
        },
        { userId: citizenId, organisationId: null, role: 'citizen' },
      )
    ).reference;
    await app.platform.worker.drain();
    // The case is the team leader's: the caseworker must give a reason to open it.
    await db
      .updateTable('cases')
      .set({ assigned_to: await ids('team-leader@stroud.example.gov.uk') })
      .where('reference', '=', reference)
      .execute();
    browser = await launchBrowser();
    citizenContext = await newPersonContext(browser, app.baseUrl);
    caseworkerContext = await newPersonContext(browser, app.baseUrl);
    leaderContext = await newPersonContext(browser, app.baseUrl);
  }, 60_000);

  afterAll(async () => {
    await citizenContext?.close();
    await caseworkerContext?.close();
    await leaderContext?.close();
    await browser?.close();
    await app?.close();
  }, 40_000);

  it(
    'works for each of them in English and Welsh, with no accessibility violations',
    { timeout: 180_000 },
    async () => {
      const caseworker = await caseworkerContext.newPage();
      await signIn(
        caseworker,
        'caseworker@stroud.example.gov.uk',
        'demo-stroud-caseworker',
        `/casework/${reference}`,
      );
      expect(new URL(caseworker.url()).pathname).toBe(`/casework/${reference}/reason`);
      await navigate(caseworker, 'reason with errors', () =>
        caseworker.getByRole('button', { name: 'Open the case' }).click(),
      );
      await expect
        .poll(() => caseworker.locator('.govuk-error-summary').textContent())
        .toContain('Select why you are opening this case');
      await caseworker.getByLabel('Covering for a colleague').check();
      await caseworker.getByLabel(/More detail/).fill('Sam is on leave this week');
      await navigate(caseworker, 'case', () =>
        caseworker.getByRole('button', { name: 'Open the case' }).click(),
      );
      expect(new URL(caseworker.url()).pathname).toBe(`/casework/${reference}`);

      const citizen = await citizenContext.newPage();
      await signIn(citizen, 'citizen@example.com', 'demo-citizen-password', '/account/my-data');
      await expect.poll(() => citizen.locator('h1').textContent()).toBe('Your data');
      const log = citizen.locator('.app-access-log');
      await expect.poll(() => log.textContent()).toContain('Stroud District Council');
      await expect.poll(() => log.textContent()).toContain('Caseworker');
      await expect
        .poll(() => log.textContent())
        .toContain('Covering for a colleague: Sam is on leave this week');
      await navigate(citizen, 'my data in Welsh', () => citizen.goto('/account/my-data?lang=cy'));
      await expect.poll(() => citizen.locator('h1').textContent()).toBe('Eich data');
      await expect
        .poll(() => log.textContent())
        .toContain('Cyflenwi dros gydweithiwr: Sam is on leave this week');
      await navigate(citizen, 'my data', () => citizen.goto('/account/my-data?lang=en'));

      // A subject access request to Stroud.
      await navigate(citizen, 'new request', () =>
        citizen.getByRole('button', { name: 'Ask a body for your information' }).click(),
      );
      await navigate(citizen, 'new request with errors', () =>
        citizen.getByRole('button', { name: 'Continue' }).click(),
      );
      await expect
        .poll(() => citizen.locator('.govuk-error-summary').textContent())
        .toContain('Select at least one public body to ask');
      await citizen.getByLabel('Stroud District Council').check();
      await citizen.getByLabel(/What are you looking for/).fill('Letters about my bins');
      await navigate(citizen, 'check request', () =>
        citizen.getByRole('button', { name: 'Continue' }).click(),
      );
      await navigate(citizen, 'request sent', () =>
        citizen.getByRole('button', { name: 'Send request' }).click(),
      );
      await expect
        .poll(() => citizen.locator('.govuk-notification-banner').textContent())
        .toContain('Your request has been sent');
      await expect
        .poll(() => citizen.locator('#requests ~ table').first().textContent())
        .toContain('Waiting for an answer');

      // Stroud's team leader answers it.
      const leader = await leaderContext.newPage();
      await signIn(
        leader,
        'team-leader@stroud.example.gov.uk',
        'demo-stroud-team-leader',
        '/staff/access-requests',
      );
      await navigate(leader, 'request', () => leader.getByRole('link', { name: /^SAR-/ }).click());
      await navigate(leader, 'extension with errors', () =>
        leader.getByRole('button', { name: 'Extend' }).click(),
      );
      await expect
        .poll(() => leader.locator('.govuk-error-summary').textContent())
        .toContain('Select one or two more months');
      await leader.getByLabel('One more month').check();
      await leader.getByLabel('Why you need more time').fill('Records in three archives');
      await navigate(leader, 'request extended', () =>
        leader.getByRole('button', { name: 'Extend' }).click(),
      );
      await expect
        .poll(() => leader.locator('.govuk-notification-banner').textContent())
        .toContain('The time limit has been extended');
      await navigate(leader, 'response with errors', () =>
        leader.getByRole('button', { name: 'Record response' }).click(),
      );
      await expect
        .poll(() => leader.locator('.govuk-error-summary').textContent())
        .toContain('Enter what you sent the person');
      await leader.getByLabel('What you sent the person, and how').fill('Sent by post on 3 March');
      await navigate(leader, 'request answered', () =>
        leader.getByRole('button', { name: 'Record response' }).click(),
      );

      await navigate(citizen, 'my data answered', () => citizen.goto('/account/my-data'));
      await expect
        .poll(() => citizen.locator('main').textContent())
        .toContain('Answered: Sent by post on 3 March');
    },
  );
});
