import { describe, expect, it } from 'vitest';
import { accessibilityChecker, browserSession } from '../helpers/browser.js';

const session = browserSession();
const PERMIT = '/services/resident-parking-permit-stroud';

describe('paying for a resident parking permit in a browser', () => {
  it('answers, pays the calculated fee with a sandbox card and sees the application sent, then the bills page: axe-clean, in English and Welsh', async () => {
    const { page } = session;
    const { checkedPages, checkAccessibility, navigate } = accessibilityChecker();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill('citizen@example.com');
    await page.getByLabel('Password', { exact: true }).fill('demo-citizen-password');
    await navigate(page, 'after sign in', () =>
      page.getByRole('button', { name: 'Sign in' }).click(),
    );

    await page.goto(`${PERMIT}/apply/permit`);
    await checkAccessibility(page, 'which permit');
    await page.getByLabel('Second permit for my household (£90 a year)').check();
    await navigate(page, 'registration', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await page.getByLabel('What is the vehicle’s registration number?').fill('AB12 CDE');
    await navigate(page, 'address', () => page.getByRole('button', { name: 'Continue' }).click());
    await page.getByLabel('Address line 1').fill('1 High Street');
    await page.getByLabel('Town or city').fill('Stroud');
    await page.getByLabel('Postcode').fill('GL5 4UB');
    await navigate(page, 'check answers', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    expect(await page.getByText('£90.00').isVisible()).toBe(true);
    await navigate(page, 'declaration', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await page.getByLabel('I agree').check();
    await navigate(page, 'card details', () =>
      page.getByRole('button', { name: 'Accept, send and pay' }).click(),
    );
    expect(await page.getByText('£90.00').first().isVisible()).toBe(true);
    await page.getByLabel('Card number').fill('4444 3333 2222 1111');
    await page.getByLabel('Month').fill('12');
    await page.getByLabel('Year').fill('39');
    await page.getByLabel('Name on card').fill('Sam Citizen');
    await page.getByLabel('Card security code').fill('123');
    await navigate(page, 'confirm payment', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await navigate(page, 'application sent', () =>
      page.getByRole('button', { name: 'Confirm payment' }).click(),
    );
    expect(new URL(page.url()).pathname).toMatch(/^\/applications\/JU-[A-Z0-9-]+\/confirmation$/);
    expect(await page.getByRole('heading', { name: 'Application sent' }).isVisible()).toBe(true);
    const reference = new URL(page.url()).pathname.split('/')[2]!;
    const db = session.app.platform.database.db;
    const sent = await db
      .selectFrom('submissions')
      .select('status')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(sent.status).toBe('submitted');

    await page.goto('/account/bills');
    await checkAccessibility(page, 'bills to pay');
    expect(await page.getByText('SD40123456').first().isVisible()).toBe(true);
    // A declined card on the demo penalty charge: the person is told and can try again.
    await navigate(page, 'card details for a bill', () =>
      page.getByRole('button', { name: /^Pay £70\.00/ }).click(),
    );
    await page.getByLabel('Card number').fill('4000 0000 0000 0002');
    await page.getByLabel('Month').fill('12');
    await page.getByLabel('Year').fill('39');
    await page.getByLabel('Name on card').fill('Sam Citizen');
    await page.getByLabel('Card security code').fill('123');
    await navigate(page, 'card declined', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await navigate(page, 'payment not taken', () => page.locator('a.govuk-button').first().click());
    expect(
      await page.getByRole('heading', { name: 'Your payment was not taken' }).isVisible(),
    ).toBe(true);
    expect(await page.getByRole('button', { name: 'Pay now' }).isVisible()).toBe(true);

    await page.goto('/account/bills?lang=cy');
    await checkAccessibility(page, 'bills to pay in Welsh');
    expect(await page.getByRole('heading', { name: 'Biliau i’w talu' }).isVisible()).toBe(true);
    expect(checkedPages).toHaveLength(14);
  }, 90_000);

  it('staff see bills paid and unpaid and raise one, with an error summary for bad input: axe-clean', async () => {
    const context = await session.browser.newContext({
      baseURL: session.app.baseUrl,
      bypassCSP: true,
      locale: 'en-GB',
    });
    const page = await context.newPage();
    const { checkedPages, checkAccessibility, navigate } = accessibilityChecker();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill('counter@stroud.example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill('demo-stroud-counter-adviser');
    await navigate(page, 'after staff sign in', () =>
      page.getByRole('button', { name: 'Sign in' }).click(),
    );
    await page.goto('/fees/staff');
    await checkAccessibility(page, 'bills and plans');
    expect(await page.getByText('SD40123456').isVisible()).toBe(true);
    await navigate(page, 'raise a bill', () =>
      page.getByRole('button', { name: 'Raise a bill' }).click(),
    );
    await navigate(page, 'raise a bill with errors', () =>
      page.getByRole('button', { name: 'Raise bill' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.goto('/fees/staff/plans/new');
    await checkAccessibility(page, 'set a plan');
    expect(checkedPages).toHaveLength(5);
    await context.close();
  }, 60_000);
});
