import { describe, expect, it } from 'vitest';
import { accessibilityChecker, browserSession, newPersonContext } from '../helpers/browser.js';

const session = browserSession();

describe('booking the hall in a browser', () => {
  it('finds the hall, picks a day and a time, pays with a sandbox card and gets the confirmation: axe-clean', async () => {
    const { page } = session;
    const { checkedPages, checkAccessibility, navigate } = accessibilityChecker();

    await navigate(page, 'sign in', () => page.goto('/sign-in?returnTo=%2Fbookings'));
    await page.getByLabel('E-mail address').fill('citizen@example.com');
    await page.getByLabel('Password', { exact: true }).fill('demo-citizen-password');
    await navigate(page, 'bookings list', () =>
      page.getByRole('button', { name: 'Sign in' }).click(),
    );
    expect(new URL(page.url()).pathname).toBe('/bookings');
    await expect(
      page.getByRole('heading', { name: 'Book a venue, pitch, course or appointment' }).isVisible(),
    ).resolves.toBe(true);

    await navigate(page, 'hall: which day', () =>
      page.getByRole('link', { name: 'Subscription Rooms main hall' }).click(),
    );
    await navigate(page, 'which day, with an error', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    // A few days ahead, so the first times of the day are still to come.
    await page.locator('input[name="day"]:not([disabled])').nth(3).check();
    await navigate(page, 'which time', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await page.getByLabel('10:00 to 11:00').check();
    await navigate(page, 'check your booking', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    expect(await page.getByText('£25.00').isVisible()).toBe(true);
    await navigate(page, 'card details', () =>
      page.getByRole('button', { name: 'Confirm and pay' }).click(),
    );
    await page.getByLabel('Card number').fill('4444 3333 2222 1111');
    await page.getByLabel('Month').fill('12');
    await page.getByLabel('Year').fill('39');
    await page.getByLabel('Name on card').fill('Sam Citizen');
    await page.getByLabel('Card security code').fill('123');
    await navigate(page, 'confirm payment', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await navigate(page, 'booking confirmed', () =>
      page.getByRole('button', { name: 'Confirm payment' }).click(),
    );
    expect(await page.getByRole('heading', { name: 'Booking confirmed' }).isVisible()).toBe(true);
    const calendar = page.getByRole('link', { name: /Add to your calendar/ });
    expect(await calendar.getAttribute('href')).toMatch(
      /^\/bookings\/[0-9a-f-]{36}\/calendar\.ics$/,
    );

    await navigate(page, 'your bookings', () => page.goto('/bookings/yours'));
    expect(await page.getByText('Subscription Rooms main hall').first().isVisible()).toBe(true);
    await navigate(page, 'bookings list in Welsh', () => page.goto('/bookings?lang=cy'));
    expect(
      await page
        .getByRole('heading', { name: 'Archebu lleoliad, cae, cwrs neu apwyntiad' })
        .isVisible(),
    ).toBe(true);
    await checkAccessibility(page, 'done');
    expect(checkedPages.length).toBeGreaterThanOrEqual(10);
  }, 90_000);

  it('the staff calendar, a booking and closed days are axe-clean', async () => {
    const context = await newPersonContext(session.browser, session.app.baseUrl);
    const page = await context.newPage();
    try {
      const { checkedPages, navigate } = accessibilityChecker();
      await navigate(page, 'staff sign in', () =>
        page.goto('/sign-in?returnTo=%2Fstaff%2Fbookings'),
      );
      await page.getByLabel('E-mail address').fill('counter@stroud.example.gov.uk');
      await page.getByLabel('Password', { exact: true }).fill('demo-stroud-counter-adviser');
      await navigate(page, 'staff resources', () =>
        page.getByRole('button', { name: 'Sign in' }).click(),
      );
      await navigate(page, 'hall calendar (day)', () =>
        page.getByRole('link', { name: 'Subscription Rooms main hall' }).click(),
      );
      await navigate(page, 'hall calendar (week)', () =>
        page.getByRole('link', { name: 'Week', exact: true }).click(),
      );
      // The week of the booking made in the first test, a few days ahead: go forward until it shows.
      for (
        let i = 0;
        i < 3 && (await page.locator('td a[href^="/staff/bookings/"]').count()) === 0;
        i++
      )
        await navigate(page, `next week ${i + 1}`, () =>
          page.getByRole('link', { name: 'Next week' }).click(),
        );
      await navigate(page, 'a booking', () =>
        page.locator('td a[href^="/staff/bookings/"]').first().click(),
      );
      expect(await page.getByText('Sam Citizen').first().isVisible()).toBe(true);
      await navigate(page, 'staff resources again', () =>
        page.goto(page.url().replace(/\/staff\/bookings\/.*/, '/staff/bookings')),
      );
      await navigate(page, 'hall calendar again', async () => {
        await page.getByRole('link', { name: 'Subscription Rooms main hall' }).click();
      });
      await navigate(page, 'closed days page', () =>
        page.getByRole('link', { name: 'Closed days' }).click(),
      );
      await navigate(page, 'closed days with an error', () =>
        page.getByRole('button', { name: 'Close this day' }).click(),
      );
      expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
      expect(checkedPages.length).toBeGreaterThanOrEqual(8);
    } finally {
      await context.close();
    }
  }, 90_000);
});
