import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { weekdayAhead } from '../helpers/app.js';
import { accessibilityChecker, browserSession } from '../helpers/browser.js';
import { aConfirmedCitizen } from '../helpers/citizens.js';

const session = browserSession();

async function fillDate(page: Page, prefix: string, [day, month, year]: string[]): Promise<void> {
  await page.locator(`#${prefix}-day`).fill(day!);
  await page.locator(`#${prefix}-month`).fill(month!);
  await page.locator(`#${prefix}-year`).fill(year!);
}

describe('an adviser taking a call in a browser', () => {
  it('searches, confirms the caller, views the customer, applies for them by phone and logs the contact: axe-clean, in English and Welsh', async () => {
    const { page } = session;
    const db = session.app.platform.database.db;
    const { checkAccessibility, navigate } = accessibilityChecker();
    const customer = await aConfirmedCitizen(db, {
      displayName: 'Casey Caller',
      phone: '+447700900321',
    });

    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill('adviser@glos-contact-centre.example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill('demo-contact-centre-adviser');
    await navigate(page, 'after sign in', () =>
      page.getByRole('button', { name: 'Sign in' }).click(),
    );

    // Search.
    await page.goto('/adviser');
    await checkAccessibility(page, 'find the customer');
    await navigate(page, 'search with nothing', () =>
      page.getByRole('button', { name: 'Search' }).click(),
    );
    await page.getByLabel('Email address').fill(customer.email);
    await navigate(page, 'search results', () =>
      page.getByRole('button', { name: 'Search' }).click(),
    );
    await navigate(page, 'confirm the caller', () =>
      page.getByRole('link', { name: 'Casey Caller' }).click(),
    );

    // Confirm: first without a reason (refused with an error summary), then properly.
    await page.getByLabel('Email address').fill(customer.email);
    await page.getByLabel('Phone number').fill('07700 900321');
    await navigate(page, 'confirm without a reason', () =>
      page.getByRole('button', { name: 'Check answers and open the record' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'Select why you are opening this record',
    );
    await page.getByLabel('The customer called us').check();
    await navigate(page, 'customer view', () =>
      page.getByRole('button', { name: 'Check answers and open the record' }).click(),
    );
    expect(await page.getByRole('heading', { level: 1, name: 'Casey Caller' }).isVisible()).toBe(
      true,
    );
    const customerPath = new URL(page.url()).pathname;

    // The same view in Welsh.
    await navigate(page, 'customer view in Welsh', () => page.goto(`${customerPath}?lang=cy`));
    expect(await page.getByText('Manylion cyswllt').isVisible()).toBe(true);
    await navigate(page, 'customer view in English', () => page.goto(`${customerPath}?lang=en`));

    // Assisted digital: without consent first, then with it.
    await navigate(page, 'fill in a service', () =>
      page.getByRole('link', { name: 'Fill in a service with the customer' }).click(),
    );
    await page
      .getByLabel('Service', { exact: true })
      .selectOption({ label: 'Request a bulky waste collection (Stroud District Council)' });
    await page.getByLabel('Phone', { exact: true }).check();
    await navigate(page, 'fill in without consent', () =>
      page.getByRole('button', { name: 'Start the service' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'Confirm the customer agrees',
    );
    await page.getByLabel('Casey Caller agrees that I fill in this service for them').check();
    await navigate(page, 'items question', () =>
      page.getByRole('button', { name: 'Start the service' }).click(),
    );
    await page.getByLabel('Sofa or armchair').check();
    await navigate(page, 'address question', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await page.getByLabel('Address line 1').fill('1 High Street');
    await page.getByLabel('Town or city').fill('Stroud');
    await page.getByLabel('Postcode').fill('GL5 4UB');
    await navigate(page, 'date question', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await fillDate(page, 'preferredDate', weekdayAhead(7));
    await navigate(page, 'check answers', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await navigate(page, 'back at the customer', () =>
      page.getByRole('button', { name: 'Accept and send' }).click(),
    );
    const banner = await page.locator('.govuk-notification-banner').innerText();
    const reference = /JU-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(banner)?.[0];
    expect(reference).toBeDefined();
    const sent = await db
      .selectFrom('submissions')
      .select(['applicant_user_id', 'channel', 'assisted_by_user_id'])
      .where('reference', '=', reference!)
      .executeTakeFirstOrThrow();
    expect(sent.applicant_user_id).toBe(customer.id);
    expect(sent.channel).toBe('phone');
    expect(sent.assisted_by_user_id).not.toBeNull();
    expect(await page.locator('#section-applications').isVisible()).toBe(true);
    expect(await page.getByText(reference!).first().isVisible()).toBe(true);

    // Log the contact, with a call-back.
    await navigate(page, 'log the contact', () =>
      page.getByRole('link', { name: 'Log this contact' }).click(),
    );
    expect(await page.getByLabel('Application or case reference (optional)').inputValue()).toBe(
      reference,
    );
    await page.getByLabel('Phone', { exact: true }).check();
    await page.getByLabel('Reason for the contact').selectOption('help-to-apply');
    await page.getByLabel('Applied for the customer').check();
    await page.getByLabel('Time taken').fill('9');
    await navigate(page, 'contact logged', () =>
      page.getByRole('button', { name: 'Log contact' }).click(),
    );
    expect(new URL(page.url()).pathname).toBe(customerPath);
    expect(await page.locator('#section-contacts').isVisible()).toBe(true);
    const contacts = await db
      .selectFrom('crm_contacts')
      .select(['reason', 'minutes', 'application_reference'])
      .where('customer_user_id', '=', customer.id)
      .execute();
    expect(contacts).toEqual([
      { reason: 'help-to-apply', minutes: 9, application_reference: reference },
    ]);

    await navigate(page, 'call-backs', () => page.goto('/adviser/callbacks'));
  }, 120_000);
});
