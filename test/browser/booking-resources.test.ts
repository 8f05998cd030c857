import { describe, expect, it } from 'vitest';
import { accessibilityChecker, browserSession } from '../helpers/browser.js';

const session = browserSession();

describe('setting up a bookable resource in a browser', () => {
  it('adds, changes and withdraws a resource, with errors and in Welsh: axe-clean', async () => {
    const { page } = session;
    const { checkedPages, navigate } = accessibilityChecker();
    await navigate(page, 'sign in', () =>
      page.goto('/sign-in?returnTo=%2Fstaff%2Fbookings%2Fresources'),
    );
    await page.getByLabel('E-mail address').fill('owner@stroud.example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill('demo-stroud-service-owner');
    await navigate(page, 'resources', () => page.getByRole('button', { name: 'Sign in' }).click());
    await navigate(page, 'add a resource', () =>
      page.getByRole('button', { name: 'Add a resource' }).click(),
    );
    await navigate(page, 'add with errors', () =>
      page.getByRole('button', { name: 'Add a resource' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.getByLabel('Name', { exact: true }).fill('Browser room');
    await page.getByLabel('Venue').check();
    await page.getByLabel('Length of each booking').fill('60');
    await page.getByLabel('Price of each booking').fill('10.00');
    await page.locator('#opens1').fill('09:00');
    await page.locator('#closes1').fill('12:00');
    await navigate(page, 'added', () =>
      page.getByRole('button', { name: 'Add a resource' }).click(),
    );
    expect(await page.getByText('The resource has been added.').isVisible()).toBe(true);
    await navigate(page, 'change', () =>
      page.getByRole('link', { name: 'Change Browser room' }).click(),
    );
    await page.locator('#closes1').fill('13:00');
    await navigate(page, 'changed', () =>
      page.getByRole('button', { name: 'Save changes' }).click(),
    );
    await navigate(page, 'withdraw', () =>
      page.getByRole('link', { name: 'Withdraw Browser room' }).click(),
    );
    await navigate(page, 'withdrawn', () =>
      page.getByRole('button', { name: 'Withdraw it' }).click(),
    );
    expect(await page.getByText('Withdrawn', { exact: true }).first().isVisible()).toBe(true);
    await navigate(page, 'in Welsh', () => page.goto('/staff/bookings/resources/new?lang=cy'));
    expect(await page.getByRole('heading', { name: 'Ychwanegu adnodd' }).isVisible()).toBe(true);
    expect(checkedPages.length).toBeGreaterThanOrEqual(8);
  }, 90_000);
});
