import { describe, expect, it } from 'vitest';
import { createStaffUser } from '../../src/modules/identity/index.js';
import { createPayKey, requestPayment } from '../../src/modules/payments/index.js';
import { findOrganisationBySlug } from '../../src/modules/organisations/index.js';
import { accessibilityChecker, browserSession, newPersonContext } from '../helpers/browser.js';

const session = browserSession();

async function newPayment(language: 'en' | 'cy'): Promise<{ payment_id: string; next: string }> {
  const db = session.app.platform.database.db;
  const organisationId = (await findOrganisationBySlug(db, 'stroud'))!.id;
  const { key } = await createPayKey(
    db,
    { organisationId, name: 'browser' },
    { userId: null, organisationId, role: 'test' },
  );
  const response = await fetch(`${session.app.baseUrl}/v1/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      amount: 4550,
      description: 'Resident parking permit',
      reference: 'PP-BROWSER',
      return_url: `${session.app.baseUrl.replace('localhost', '127.0.0.1')}/`,
      language,
    }),
  });
  const payment = (await response.json()) as {
    payment_id: string;
    _links: { next_url: { href: string } };
  };
  return { payment_id: payment.payment_id, next: new URL(payment._links.next_url.href).pathname };
}

describe('paying with a sandbox card in a browser', () => {
  it('card details, an error summary, confirm and back to the service: axe-clean, in English and Welsh', async () => {
    const { page } = session;
    const { checkedPages, checkAccessibility, navigate } = accessibilityChecker();
    const { next } = await newPayment('en');
    await page.goto(next);
    await checkAccessibility(page, 'card details');
    await navigate(page, 'card details with errors', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.getByLabel('Card number').fill('4444 3333 2222 1111');
    await page.getByLabel('Month').fill('12');
    await page.getByLabel('Year').fill('39');
    await page.getByLabel('Name on card').fill('Sam Smith');
    await page.getByLabel('Card security code').fill('123');
    await navigate(page, 'confirm', () => page.getByRole('button', { name: 'Continue' }).click());
    expect(await page.getByText('Visa ending in 1111').isVisible()).toBe(true);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/'),
      page.getByRole('button', { name: 'Confirm payment' }).click(),
    ]);

    const welsh = await newPayment('cy');
    await page.goto(welsh.next);
    expect(await page.getByRole('heading', { name: 'Rhowch fanylion y cerdyn' }).isVisible()).toBe(
      true,
    );
    await checkAccessibility(page, 'card details in Welsh');
    expect(checkedPages).toHaveLength(4);
  }, 60_000);
});

describe('a payment being checked, and the daily reconciliation, in a browser', () => {
  it('the checking page and the reconciliation page (with an error) are axe-clean, in English and Welsh', async () => {
    const { page } = session;
    const db = session.app.platform.database.db;
    const { checkedPages, checkAccessibility } = accessibilityChecker();
    const organisationId = (await findOrganisationBySlug(db, 'stroud'))!.id;
    const made = await db.transaction().execute((trx) =>
      requestPayment(trx, {
        organisationId,
        amount: 2500,
        description: 'Tennis court',
        reference: 'BK-BROWSER',
        returnUrl: '/',
        language: 'en',
        purpose: { kind: 'bookings', id: 'browser' },
      }),
    );
    await page.goto(made.nextUrl);
    // As if the gateway had not answered about the card: the person must wait, not pay again.
    await db
      .updateTable('payments')
      .set({ status: 'submitted', gateway: 'sandbox', gateway_unknown_since: new Date() })
      .where('external_id', '=', made.paymentId)
      .execute();
    await page.goto(`/pay/card/${made.paymentId}`);
    expect(
      await page.getByRole('heading', { name: 'We are checking your payment' }).isVisible(),
    ).toBe(true);
    await checkAccessibility(page, 'checking the payment');
    await page.goto(`/pay/card/${made.paymentId}?lang=cy`);
    await checkAccessibility(page, 'checking the payment in Welsh');

    const admin = {
      email: 'payments-admin@stroud.example.gov.uk',
      password: 'stroud payments admin',
    };
    const created = await createStaffUser(db, {
      ...admin,
      displayName: 'Pat Payments',
      organisationId,
      roles: ['admin'],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const context = await newPersonContext(session.browser, session.app.baseUrl);
    const adminPage = await context.newPage();
    await adminPage.goto('/sign-in');
    await adminPage.getByLabel('E-mail address').fill(admin.email);
    await adminPage.getByLabel('Password', { exact: true }).fill(admin.password);
    await Promise.all([
      adminPage.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 15_000 }),
      adminPage.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
    await adminPage.goto('/admin/payments/stroud');
    await adminPage.getByRole('link', { name: 'Daily reconciliation' }).click();
    await adminPage.waitForURL((url) => url.pathname.endsWith('/reconciliation'));
    await checkAccessibility(adminPage, 'reconciliation');
    await adminPage.getByLabel('Day').fill('30');
    await adminPage.getByLabel('Month').fill('2');
    await adminPage.getByLabel('Year').fill('2026');
    await Promise.all([
      adminPage.waitForURL((url) => url.search.includes('day=30')),
      adminPage.getByRole('button', { name: 'Show this day' }).click(),
    ]);
    expect(await adminPage.locator('.govuk-error-summary').isVisible()).toBe(true);
    await checkAccessibility(adminPage, 'reconciliation with an error');
    await adminPage.goto('/admin/payments/stroud/reconciliation?lang=cy');
    await checkAccessibility(adminPage, 'reconciliation in Welsh');
    await context.close();
    expect(checkedPages).toHaveLength(5);
  }, 90_000);
});
