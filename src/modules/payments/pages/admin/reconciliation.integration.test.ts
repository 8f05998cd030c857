import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { createStaffUser } from '../../../identity/index.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';
import { payReconcile } from '../../commands/cli.js';
import { refundPayment, requestPayment } from '../../commands/internal.js';

let app: TestApp;
const db = () => app.platform.database.db;
const STROUD_ADMIN = ['recon@stroud.example.gov.uk', 'stroud reconciliation passphrase'] as const;
const CHELTENHAM_ADMIN = [
  'recon@cheltenham.example.gov.uk',
  'cheltenham reconciliation passphrase',
] as const;
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

async function signedIn([email, password]: readonly [string, string]): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** A payment made and paid through the hosted pages, as a person would. */
async function paid(
  organisationId: string,
  kind: string,
  amount: number,
  reference: string,
): Promise<string> {
  const { paymentId, nextUrl } = await db()
    .transaction()
    .execute((trx) =>
      requestPayment(trx, {
        organisationId,
        amount,
        description: `${kind} payment`,
        reference,
        returnUrl: '/done',
        language: 'en',
        purpose: { kind, id: reference },
      }),
    );
  const visitor = new Visitor(app.baseUrl);
  await visitor.get((await visitor.get(nextUrl)).headers.get('location')!);
  await visitor.post(`/pay/card/${paymentId}`, {
    cardNo: '4444333322221111',
    expiryMonth: '12',
    expiryYear: '39',
    cardholderName: 'Sam Smith',
    cvc: '123',
  });
  await visitor.post(`/pay/confirm/${paymentId}`, {});
  return paymentId;
}

beforeAll(async () => {
  app = await startTestApp();
  const ids: Record<string, string> = {};
  for (const [slug, [email, password]] of [
    ['stroud', STROUD_ADMIN],
    ['cheltenham', CHELTENHAM_ADMIN],
  ] as const) {
    const organisation = (await findOrganisationBySlug(db(), slug))!;
    ids[slug] = organisation.id;
    const created = await createStaffUser(db(), {
      email,
      password,
      displayName: `${slug} reconciliation`,
      organisationId: organisation.id,
      roles: ['admin'],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
  }
  const hall = await paid(ids.stroud!, 'bookings', 3000, 'HALL-1');
  await paid(ids.stroud!, 'bookings', 1500, 'HALL-2');
  await paid(ids.stroud!, 'fees', 12000, '=FEE-1');
  await paid(ids.cheltenham!, 'fees', 999, 'CHELT-1');
  await db()
    .transaction()
    .execute((trx) => refundPayment(trx, { paymentId: hall, amount: 500 }));
});
afterAll(async () => {
  await app?.close();
});

describe('daily reconciliation', () => {
  it('shows a body’s day with totals by service, and the same as CSV', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    const page = await admin.get('/admin/payments/stroud/reconciliation');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Daily reconciliation');
    expect(page.html).toContain('HALL-1');
    expect(page.html).not.toContain('CHELT-1');
    expect(page.html).toMatch(
      /bookings<\/th>\s*<td[^>]*>2<\/td>\s*<td[^>]*>£45\.00<\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>£5\.00<\/td>\s*<td[^>]*>£40\.00<\/td>/,
    );
    expect(page.html).toMatch(/All services<\/th>\s*<td[^>]*>3<\/td>\s*<td[^>]*>£165\.00<\/td>/);

    const csv = await admin.get(`/admin/payments/stroud/reconciliation.csv?date=${today}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="payments-stroud-${today}.csv"`,
    );
    const rows = csv.html.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'date_time,type,service,payment_id,refund_id,reference,description,amount',
    );
    expect(rows.filter((r) => r.includes(',payment,'))).toHaveLength(3);
    expect(rows.find((r) => r.includes(',refund,'))).toMatch(
      /,bookings,.*,HALL-1,bookings payment,-5\.00$/,
    );
    expect(rows).toContain(`${today},total,bookings,,,,,40.00`);
    expect(rows).toContain(`${today},total,fees,,,,,120.00`);
    expect(rows).toContain(`${today},total,all,,,,,160.00`);
    expect(csv.html).toContain(",'=FEE-1,");

    const printed = await payReconcile(db(), ['--org', 'stroud', '--date', today]);
    expect(printed.code).toBe(0);
    expect(printed.out).toEqual(rows);
  });

  it('is only for the body’s own admins', async () => {
    const other = await signedIn(CHELTENHAM_ADMIN);
    expect((await other.get('/admin/payments/stroud/reconciliation')).status).toBe(404);
    expect(
      (await other.get(`/admin/payments/stroud/reconciliation.csv?date=${today}`)).status,
    ).toBe(404);
    const own = await other.get(`/admin/payments/cheltenham/reconciliation.csv?date=${today}`);
    expect(own.html).toContain('CHELT-1');
    expect(own.html).not.toContain('HALL-1');
    const anonymous = new Visitor(app.baseUrl);
    expect((await anonymous.get('/admin/payments/stroud/reconciliation')).status).not.toBe(200);
  });

  it('shows an empty day, refuses a date that is not real, and speaks Welsh', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    const empty = await admin.get('/admin/payments/stroud/reconciliation?day=1&month=1&year=2020');
    expect(empty.html).toContain('No payments or refunds on this day.');
    const bad = await admin.get('/admin/payments/stroud/reconciliation?day=30&month=2&year=2026');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('href="#date-day"');
    expect((await admin.get('/admin/payments/stroud/reconciliation.csv?date=nope')).status).toBe(
      400,
    );
    const welsh = await admin.get('/admin/payments/stroud/reconciliation?lang=cy');
    expect(welsh.html).toContain('Cysoni dyddiol');
  });

  it('refuses the command without a real date or a known body', async () => {
    expect((await payReconcile(db(), ['--org', 'stroud'])).code).toBe(64);
    expect((await payReconcile(db(), ['--org', 'stroud', '--date', '2026-13-01'])).code).toBe(64);
    expect((await payReconcile(db(), ['--org', 'nowhere', '--date', today])).code).toBe(1);
  });
});
