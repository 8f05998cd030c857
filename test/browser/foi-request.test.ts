import { describe, expect, it } from 'vitest';
import { accessibilityChecker, browserSession, newPersonContext } from '../helpers/browser.js';
import { mailsTo } from '../helpers/outbox.js';

const session = browserSession();

describe('an FOI request in a browser', () => {
  it('someone asks Stroud for information, a caseworker answers and publishes it, and it is in the disclosure log: axe-clean, in English and Welsh', async () => {
    const { page, browser, app } = session;
    const { checkedPages, checkAccessibility, navigate } = accessibilityChecker();
    const title = 'Grass cutting contract costs';

    // The requester, not signed in.
    await navigate(page, 'FOI request', () => page.goto('/foi/request'));
    await navigate(page, 'FOI request, with errors', () =>
      page.getByRole('button', { name: 'Send request' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    expect(await page.title()).toMatch(/^Error:/);
    await page.getByLabel('Who is it to?').selectOption({ label: 'Stroud District Council' });
    await page.getByLabel('Your full name').fill('Gwenllian Ashdown');
    await page.getByLabel('E-mail address').fill('gwen.ashdown@example.org');
    await page.getByLabel('A short title for your request').fill(title);
    await page
      .getByLabel('What information do you want?')
      .fill('What did the council pay for grass cutting in 2024 and 2025, by contractor?');
    await navigate(page, 'request sent', () =>
      page.getByRole('button', { name: 'Send request' }).click(),
    );
    expect(await page.getByRole('heading', { name: 'Request sent' }).isVisible()).toBe(true);
    const reference = (await page.locator('.govuk-panel strong').textContent())!.trim();
    expect(reference).toMatch(/^FOI-/);
    expect(await page.getByText(/By law you should get an answer by/).isVisible()).toBe(true);
    const ack = (await mailsTo(app.platform.database.db, 'gwen.ashdown@example.org')).at(-1);
    expect(ack?.text).toContain(reference);

    // The form in Welsh.
    await navigate(page, 'FOI request in Welsh', () => page.goto('/foi/request?lang=cy'));
    expect(
      await page
        .getByRole('heading', { name: 'Gofyn am wybodaeth (Rhyddid Gwybodaeth)' })
        .isVisible(),
    ).toBe(true);
    await navigate(page, 'FOI request in Welsh, with errors', () =>
      page.getByRole('button', { name: 'Anfon cais' }).click(),
    );
    expect(await page.getByText('Rhowch eich enw llawn').first().isVisible()).toBe(true);
    await navigate(page, 'back to English', () => page.goto('/foi/request?lang=en'));

    // Stroud's caseworker answers and publishes it.
    const staff = await newPersonContext(browser, app.baseUrl);
    const staffPage = await staff.newPage();
    try {
      await navigate(staffPage, 'staff sign in', () =>
        staffPage.goto('/sign-in?returnTo=%2Fstaff%2Fcorrespondence'),
      );
      await staffPage.getByLabel('E-mail address').fill('caseworker@stroud.example.gov.uk');
      await staffPage.getByLabel('Password', { exact: true }).fill('demo-stroud-caseworker');
      await navigate(staffPage, 'correspondence queue', () =>
        staffPage.getByRole('button', { name: 'Sign in' }).click(),
      );
      await navigate(staffPage, 'the request', () =>
        staffPage.getByRole('link', { name: reference }).click(),
      );
      expect(await staffPage.getByText('gwen.ashdown@example.org').isVisible()).toBe(true);
      await staffPage
        .getByLabel('Response', { exact: true })
        .fill(
          'Dear Ms Ashdown, the council paid Cotswold Grounds Ltd £84,200 in 2024 and £86,900 in 2025.',
        );
      await navigate(staffPage, 'respond without an outcome', () =>
        staffPage.getByRole('button', { name: 'Send response' }).click(),
      );
      expect(await staffPage.locator('.govuk-error-summary').isVisible()).toBe(true);
      await staffPage.getByLabel('Information given in full').check();
      await navigate(staffPage, 'answered', () =>
        staffPage.getByRole('button', { name: 'Send response' }).click(),
      );
      expect(await staffPage.getByText('The response is recorded').isVisible()).toBe(true);

      // The suggested text still greets the requester by name: refused.
      await navigate(staffPage, 'publish with the name', () =>
        staffPage.getByRole('button', { name: 'Publish' }).click(),
      );
      expect(
        await staffPage
          .locator('.govuk-error-summary')
          .getByText('Remove the requester’s name')
          .isVisible(),
      ).toBe(true);
      await staffPage
        .getByLabel('Response as published')
        .fill('The council paid Cotswold Grounds Ltd £84,200 in 2024 and £86,900 in 2025.');
      await navigate(staffPage, 'published', () =>
        staffPage.getByRole('button', { name: 'Publish' }).click(),
      );
      expect(await staffPage.getByText('The response is published').isVisible()).toBe(true);
      await navigate(staffPage, 'overdue list', () =>
        staffPage.goto('/staff/correspondence?kind=foi&show=overdue'),
      );
    } finally {
      await staff.close();
    }

    // Anyone sees it in the disclosure log, without the requester's name.
    await navigate(page, 'disclosure log', () => page.goto('/foi/disclosure-log'));
    await navigate(page, 'the disclosure', () => page.getByRole('link', { name: title }).click());
    expect(await page.getByText('£86,900').isVisible()).toBe(true);
    expect(await page.content()).not.toContain('Ashdown');
    await navigate(page, 'the disclosure in Welsh', () =>
      page.goto(`${new URL(page.url()).pathname}?lang=cy`),
    );
    expect(await page.getByText('Gwybodaeth wedi’i rhoi’n llawn').isVisible()).toBe(true);
    await navigate(page, 'disclosure log in Welsh', () => page.goto('/foi/disclosure-log?lang=cy'));
    await checkAccessibility(page, 'done');
    expect(checkedPages.length).toBeGreaterThan(10);
  }, 120_000);
});
