import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { londonDate } from '../../src/platform/time/london.js';
import { accessibilityChecker, browserSession, newPersonContext } from '../helpers/browser.js';
import { mailsTo } from '../helpers/outbox.js';

const session = browserSession();

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** The notice's tender questions as a forms-engine definition. */
const QUESTION_FORM = {
  key: 'window-cleaning-tender',
  title: { en: 'Window cleaning tender', cy: 'Tendr glanhau ffenestri' },
  pages: [
    {
      id: 'cleaning',
      title: { en: 'Cleaning', cy: 'Glanhau' },
      questions: [
        {
          type: 'radios',
          name: 'frequency',
          label: { en: 'How often will you clean?', cy: 'Pa mor aml y byddwch yn glanhau?' },
          options: [
            { value: 'monthly', label: { en: 'Every month', cy: 'Bob mis' } },
            { value: 'fortnightly', label: { en: 'Every two weeks', cy: 'Bob pythefnos' } },
          ],
          messages: {
            required: {
              en: 'Choose how often you will clean',
              cy: 'Dewiswch pa mor aml y byddwch yn glanhau',
            },
          },
        },
        {
          type: 'textarea',
          name: 'method',
          label: {
            en: 'How will you clean the windows safely?',
            cy: 'Sut y byddwch yn glanhau’r ffenestri’n ddiogel?',
          },
          maxLength: 2000,
        },
      ],
    },
  ],
  confirmation: { body: { en: 'Thank you.', cy: 'Diolch.' } },
};

/** Day, month and year of a London date `days` from today. */
function inDays(days: number) {
  const [year, month, day] = londonDate(new Date(Date.now() + days * 86_400_000)).split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year! };
}

async function fillDate(page: Page, prefix: string, days: number, time: string) {
  const date = inDays(days);
  await page.locator(`#${prefix}-day`).fill(date.day);
  await page.locator(`#${prefix}-month`).fill(date.month);
  await page.locator(`#${prefix}-year`).fill(date.year);
  await page.locator(`#${prefix}Time`).fill(time);
}

describe('e-procurement in a browser', () => {
  it('a council publishes, a supplier tenders, the panel scores, the moderator agrees and the council awards: axe-clean, in English and Welsh', async () => {
    const { page, browser, app } = session;
    const { checkedPages, navigate } = accessibilityChecker();
    const title = 'Window cleaning at Ebley Mill';
    const signIn = async (p: Page, email: string, password: string, to: string) => {
      await navigate(p, `sign in as ${email}`, () =>
        p.goto(`/sign-in?returnTo=${encodeURIComponent(to)}`),
      );
      await p.getByLabel('E-mail address').fill(email);
      await p.getByLabel('Password', { exact: true }).fill(password);
      await navigate(p, `${email}: ${to}`, () =>
        p.getByRole('button', { name: 'Sign in' }).click(),
      );
    };

    // Stroud's service owner publishes the opportunity.
    await signIn(
      page,
      'owner@stroud.example.gov.uk',
      'demo-stroud-service-owner',
      '/staff/procurement',
    );
    await navigate(page, 'publish', () =>
      page.getByRole('button', { name: 'Publish an opportunity' }).click(),
    );
    await navigate(page, 'publish, with errors', () =>
      page.getByRole('button', { name: 'Publish' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('What you are buying').fill('Monthly window cleaning, inside and out.');
    await page.getByLabel('Lowest expected value').fill('20000');
    await page.getByLabel('Highest expected value').fill('40000');
    await page.getByLabel('CPV codes').fill('90911300');
    await page.getByLabel('Where the work is').selectOption({ label: 'South West' });
    await page.locator('#smeSuitable').check();
    await fillDate(page, 'clarification', 3, '17:00');
    await fillDate(page, 'tender', 6, '12:00');
    await page.getByLabel('Questions to answer in your tender').fill('How often will you clean?');
    await page.getByLabel('How tenders will be scored').fill('Quality 60\nPrice 40');
    await navigate(page, 'published', () => page.getByRole('button', { name: 'Publish' }).click());
    expect(await page.getByText('The opportunity has been published').isVisible()).toBe(true);
    const noticeId = /\/staff\/procurement\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    // The questions become a forms-engine form: a choice and a long answer, checked as the forms
    // editor checks a definition.
    await navigate(page, 'tender questions', () =>
      page.getByRole('link', { name: 'Tender questions' }).click(),
    );
    await page.locator('#questionForm').fill('{\n  "key": "window-cleaning",\n}');
    await page.getByLabel('What changed').fill('The questions are now a form');
    await navigate(page, 'tender questions, with errors', () =>
      page.getByRole('button', { name: 'Save the questions' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    expect(await page.getByText('Line 3, column 1').first().isVisible()).toBe(true);
    await page.locator('#questionForm').fill(JSON.stringify(QUESTION_FORM, null, 2));
    await navigate(page, 'tender questions saved', () =>
      page.getByRole('button', { name: 'Save the questions' }).click(),
    );
    expect(
      await page
        .getByText('The questions have been changed and suppliers who tendered have been told')
        .isVisible(),
    ).toBe(true);
    // A document added by mistake is removed, with what changed, before anyone tenders.
    await navigate(page, 'notice documents', () =>
      page.getByRole('link', { name: 'Documents', exact: true }).click(),
    );
    await page
      .getByLabel('Upload a file')
      .setInputFiles({ name: 'Wrong site plan.pdf', mimeType: 'application/pdf', buffer: PDF });
    await navigate(page, 'document uploaded', () =>
      page.getByRole('button', { name: 'Upload file' }).click(),
    );
    await navigate(page, 'remove a document', () =>
      page.getByRole('link', { name: 'Remove Wrong site plan.pdf' }).click(),
    );
    await page.getByLabel('What changed').fill('');
    await navigate(page, 'remove a document, with errors', () =>
      page.getByRole('button', { name: 'Remove the document' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.getByLabel('What changed').fill('The wrong site plan was attached');
    await navigate(page, 'document removed', () =>
      page.getByRole('button', { name: 'Remove the document' }).click(),
    );
    expect(await page.getByText('The document has been removed').isVisible()).toBe(true);
    expect(await page.getByText('Wrong site plan.pdf').count()).toBe(0);
    // The demo supplier works in cleaning in the South West: it is alerted.
    const alert = (
      await mailsTo(app.platform.database.db, 'supplier@cotswold-cleaning.example.com')
    ).at(-1);
    expect(alert?.subject).toBe(`New opportunity: ${title}`);

    // The demo supplier finds it without signing in, then signs in and sends a tender.
    const supplier = await newPersonContext(browser, app.baseUrl);
    const supplierPage = await supplier.newPage();
    try {
      await navigate(supplierPage, 'search', () => supplierPage.goto('/procurement'));
      await supplierPage.getByLabel('Words in the title or description').fill('window cleaning');
      await navigate(supplierPage, 'search results', () =>
        supplierPage.getByRole('button', { name: 'Search' }).click(),
      );
      await navigate(supplierPage, 'the notice', () =>
        supplierPage.getByRole('link', { name: title }).click(),
      );
      await navigate(supplierPage, 'the notice in Welsh', () =>
        supplierPage.goto(`/procurement/${noticeId}?lang=cy`),
      );
      expect(
        await supplierPage.getByRole('heading', { name: 'Cwestiynau ac atebion' }).isVisible(),
      ).toBe(true);
      await navigate(supplierPage, 'the notice in English', () =>
        supplierPage.goto(`/procurement/${noticeId}?lang=en`),
      );
      await signIn(
        supplierPage,
        'supplier@cotswold-cleaning.example.com',
        'demo-supplier-password',
        `/procurement/${noticeId}`,
      );
      await navigate(supplierPage, 'tender form', () =>
        supplierPage.getByRole('button', { name: 'Send a tender' }).click(),
      );
      await navigate(supplierPage, 'tender, with errors', () =>
        supplierPage.getByRole('button', { name: 'Send tender' }).click(),
      );
      expect(await supplierPage.locator('.govuk-error-summary').isVisible()).toBe(true);
      expect(
        await supplierPage.getByText('Choose how often you will clean').first().isVisible(),
      ).toBe(true);
      await supplierPage.getByLabel('Every month').check();
      await supplierPage
        .getByLabel('How will you clean the windows safely?')
        .fill('Every month, with a fortnightly check of the entrance.');
      await supplierPage.getByLabel('Price').fill('28,500');
      await navigate(supplierPage, 'tender sent', () =>
        supplierPage.getByRole('button', { name: 'Send tender' }).click(),
      );
      expect(await supplierPage.getByText('Your tender has been sent.').isVisible()).toBe(true);
    } finally {
      await supplier.close();
    }

    // Before the deadline the council sees only that a tender arrived.
    await navigate(page, 'sealed', () => page.goto(`/staff/procurement/${noticeId}`));
    expect(await page.getByText('1 tenders have arrived. They are sealed').isVisible()).toBe(true);
    expect(await page.getByText('Every month, with a fortnightly').count()).toBe(0);

    // The deadline passes.
    await app.platform.database.db
      .updateTable('procurement_notices')
      .set({
        clarification_deadline: new Date(Date.now() - 120_000),
        tender_deadline: new Date(Date.now() - 60_000),
      })
      .where('id', '=', noticeId)
      .execute();

    // A caseworker on the panel scores it.
    const panel = await newPersonContext(browser, app.baseUrl);
    const panelPage = await panel.newPage();
    try {
      await signIn(
        panelPage,
        'caseworker@stroud.example.gov.uk',
        'demo-stroud-caseworker',
        `/staff/procurement/${noticeId}`,
      );
      await navigate(panelPage, 'the tender', () =>
        panelPage.getByRole('link', { name: 'Cotswold Cleaning Services Ltd' }).click(),
      );
      expect(await panelPage.getByText('Every month, with a fortnightly').isVisible()).toBe(true);
      expect(await panelPage.getByText('How often will you clean?').isVisible()).toBe(true);
      expect(await panelPage.getByText('Every month', { exact: true }).isVisible()).toBe(true);
      await panelPage.locator('#score-1').fill('11');
      await navigate(panelPage, 'scores, with errors', () =>
        panelPage.getByRole('button', { name: 'Save scores' }).click(),
      );
      expect(await panelPage.locator('.govuk-error-summary').isVisible()).toBe(true);
      await panelPage.locator('#score-1').fill('8');
      await panelPage.locator('#comment-1').fill('A clear plan with checks between visits.');
      await panelPage.locator('#score-2').fill('7');
      await panelPage.locator('#comment-2').fill('Within the budget.');
      await navigate(panelPage, 'scores saved', () =>
        panelPage.getByRole('button', { name: 'Save scores' }).click(),
      );
      expect(await panelPage.getByText('The scores have been saved').isVisible()).toBe(true);
      await navigate(panelPage, 'scores in Welsh', () =>
        panelPage.goto(`${new URL(panelPage.url()).pathname}?lang=cy`),
      );
      expect(await panelPage.getByRole('heading', { name: 'Sgoriau’r panel' }).isVisible()).toBe(
        true,
      );
    } finally {
      await panel.close();
    }

    // The service owner, as moderator, agrees the scores and awards the contract.
    await navigate(page, 'overview after the deadline', () =>
      page.goto(`/staff/procurement/${noticeId}`),
    );
    await navigate(page, 'moderate', () =>
      page.getByRole('link', { name: 'Cotswold Cleaning Services Ltd' }).click(),
    );
    await navigate(page, 'agreed', () =>
      page.getByRole('button', { name: 'Agree these scores' }).click(),
    );
    expect(await page.getByText('The scores have been agreed').isVisible()).toBe(true);
    await page.locator('#responseId').check();
    await page
      .getByLabel('Why this tender wins')
      .fill('The only tender, of good quality within budget.');
    await navigate(page, 'awarded', () =>
      page.getByRole('button', { name: 'Award the contract' }).click(),
    );
    expect(
      await page.getByText('The contract has been awarded and every supplier told').isVisible(),
    ).toBe(true);
    await page.getByLabel('What is ordered').fill('January visit');
    await page.getByLabel('Amount').fill('2375');
    await navigate(page, 'order raised', () =>
      page.getByRole('button', { name: 'Raise order' }).click(),
    );
    expect(await page.getByText('The purchase order has been raised').isVisible()).toBe(true);
    await navigate(page, 'award notice', () =>
      page.getByRole('link', { name: 'See the public notice' }).click(),
    );
    expect(await page.getByRole('heading', { name: 'Contract award notice' }).isVisible()).toBe(
      true,
    );
    await navigate(page, 'award notice in Welsh', () =>
      page.goto(`/procurement/${noticeId}?lang=cy`),
    );
    expect(
      await page.getByRole('heading', { name: 'Hysbysiad dyfarnu contract' }).isVisible(),
    ).toBe(true);
    expect(checkedPages.length).toBeGreaterThanOrEqual(20);
  }, 180_000);
});
