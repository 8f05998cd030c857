import { describe, expect, it } from 'vitest';
import { createPayKey } from '../../src/modules/payments/index.js';
import { findOrganisationBySlug } from '../../src/modules/organisations/index.js';
import { accessibilityChecker, browserSession } from '../helpers/browser.js';

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
