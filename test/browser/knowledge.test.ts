import { describe, expect, it } from 'vitest';
import { accessibilityChecker, browserSession, newPersonContext } from '../helpers/browser.js';

const session = browserSession();

describe('the advisers’ knowledge base in a browser', () => {
  it('an adviser searches, opens an article and finds which body does a service for a postcode, in English and Welsh: axe-clean', async () => {
    const { page } = session;
    const { checkedPages, navigate } = accessibilityChecker();

    await navigate(page, 'sign in', () => page.goto('/sign-in?returnTo=%2Fstaff%2Fknowledge'));
    await page.getByLabel('E-mail address').fill('counter@stroud.example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill('demo-stroud-counter-adviser');
    await navigate(page, 'knowledge base', () =>
      page.getByRole('button', { name: 'Sign in' }).click(),
    );
    expect(new URL(page.url()).pathname).toBe('/staff/knowledge');

    // Search across articles and the directory.
    await page
      .getByLabel('Search articles, contact points, experts and call routing')
      .fill('council tax');
    await navigate(page, 'search results', () =>
      page.getByRole('button', { name: 'Search' }).click(),
    );
    expect(await page.getByRole('heading', { name: 'Contact points' }).isVisible()).toBe(true);
    await navigate(page, 'an article', () =>
      page.getByRole('link', { name: 'Council Tax: taking a payment over the phone' }).click(),
    );
    expect(await page.getByText('Ask for the Council Tax account reference').isVisible()).toBe(
      true,
    );

    // The article in Welsh.
    await navigate(page, 'the article in Welsh', () => page.goto(`${page.url()}?lang=cy`));
    expect(
      await page
        .getByRole('heading', { name: 'Treth Gyngor: cymryd taliad dros y ffôn' })
        .isVisible(),
    ).toBe(true);
    await navigate(page, 'which body, in English again', () =>
      page.goto('/staff/knowledge/which-body?lang=en'),
    );

    // Which body does this? First with a postcode that is not in the directory.
    await page.getByLabel('Service or topic').fill('pay council tax');
    await page.getByLabel('Caller’s postcode').fill('AB1 2XY');
    await navigate(page, 'which body, with an error', () =>
      page.getByRole('button', { name: 'Find' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.getByLabel('Caller’s postcode').fill('GL50 1PP');
    await navigate(page, 'which body: the answer', () =>
      page.getByRole('button', { name: 'Find' }).click(),
    );
    expect(await page.getByText('Cheltenham Borough Council').first().isVisible()).toBe(true);
    expect(await page.getByText('01242 262626').isVisible()).toBe(true);

    // The same answer in Welsh, and the directory.
    await navigate(page, 'which body in Welsh', () => page.goto(`${page.url()}&lang=cy`));
    expect(await page.getByRole('heading', { name: 'Pa gorff sy’n gwneud hyn?' }).isVisible()).toBe(
      true,
    );
    await navigate(page, 'the directory in Welsh', () => page.goto('/staff/knowledge/directory'));
    expect(checkedPages.length).toBeGreaterThanOrEqual(9);
  }, 90_000);

  it('a service owner adds an article and a contact point, with errors first: axe-clean', async () => {
    const { browser, app } = session;
    const { checkedPages, navigate } = accessibilityChecker();
    const context = await newPersonContext(browser, app.baseUrl);
    const page = await context.newPage();
    try {
      await navigate(page, 'owner sign in', () =>
        page.goto('/sign-in?returnTo=%2Fstaff%2Fknowledge%2Farticles%2Fnew'),
      );
      await page.getByLabel('E-mail address').fill('owner@stroud.example.gov.uk');
      await page.getByLabel('Password', { exact: true }).fill('demo-stroud-service-owner');
      await navigate(page, 'new article', () =>
        page.getByRole('button', { name: 'Sign in' }).click(),
      );
      await navigate(page, 'new article, with errors', () =>
        page.getByRole('button', { name: 'Save' }).click(),
      );
      expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
      await page.getByLabel('Service').selectOption({ label: 'Report a missed bin collection' });
      await page.getByLabel('FAQ').check();
      await page.getByLabel('Title in English').fill('Missed bins: when to report');
      await page
        .getByLabel('Text in English')
        .fill('Report a missed bin after 5pm on the day of collection.');
      await page.getByLabel('Owner').selectOption({ label: 'Priya Owner' });
      await page.getByLabel('Day').fill('1');
      await page.getByLabel('Month').fill('6');
      await page.getByLabel('Year').fill(String(new Date().getUTCFullYear() + 1));
      await navigate(page, 'the new article', () =>
        page.getByRole('button', { name: 'Save' }).click(),
      );
      expect(await page.getByText('Article added').isVisible()).toBe(true);

      await navigate(page, 'new contact point', () =>
        page.goto('/staff/knowledge/directory/contact-points/new'),
      );
      await page.getByLabel('Name', { exact: true }).fill('Planning enquiries');
      await page.getByLabel('Phone').fill('01453 754');
      await page.getByLabel('Opening hours').fill('Mon-Fri 17:00-09:00');
      await navigate(page, 'new contact point, with errors', () =>
        page.getByRole('button', { name: 'Save' }).click(),
      );
      expect(
        await page.getByText('Closing time must be after the opening time').first().isVisible(),
      ).toBe(true);
      await page.getByLabel('Phone').fill('01453 754442');
      await page.getByLabel('Opening hours').fill('Mon-Fri 09:00-17:00');
      await navigate(page, 'the directory', () =>
        page.getByRole('button', { name: 'Save' }).click(),
      );
      expect(await page.getByText('Contact point added').isVisible()).toBe(true);
      await navigate(page, 'new routing rule in Welsh', () =>
        page.goto('/staff/knowledge/directory/rules/new?lang=cy'),
      );
      await navigate(page, 'articles, with one due for review', () =>
        page.goto('/staff/knowledge/articles?lang=en'),
      );
      expect(await page.getByText('Due for review').first().isVisible()).toBe(true);
      await navigate(page, 'the owner’s start page', () => page.goto('/staff/knowledge'));
      expect(
        await page
          .getByRole('link', { name: 'Bulky waste: what we collect and the charge' })
          .isVisible(),
      ).toBe(true);
      expect(checkedPages).toHaveLength(10);
    } finally {
      await context.close();
    }
  }, 90_000);
});
