import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { createPayKey } from '../keys.js';
import {
  InvalidPaymentRequest,
  paymentSummary,
  refundPayment,
  requestPayment,
  type PaymentRequest,
} from './internal.js';
import { expirePayment } from './payments.js';

let app: TestApp;
let organisationId: string;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
  organisationId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
});
afterAll(async () => {
  await app?.close();
});

function request(purposeId: string, overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return {
    organisationId,
    amount: 2500,
    description: 'Tennis court, 1 hour',
    reference: `BK-${purposeId}`,
    returnUrl: `/bookings/${purposeId}/paid`,
    language: 'en',
    purpose: { kind: 'bookings', id: purposeId },
    ...overrides,
  };
}

async function ask(purposeId: string, overrides: Partial<PaymentRequest> = {}) {
  return db()
    .transaction()
    .execute((trx) => requestPayment(trx, request(purposeId, overrides)));
}

const card = (cardNo: string) => ({
  cardNo,
  expiryMonth: '12',
  expiryYear: '39',
  cardholderName: 'Sam Smith',
  cvc: '123',
});

/** Follows next_url and submits the card, as the person would; answers the last response. */
async function pay(nextUrl: string, paymentId: string, cardNo = '4444333322221111') {
  const visitor = new Visitor(app.baseUrl);
  const opened = await visitor.get(nextUrl);
  expect(opened.status).toBe(303);
  expect((await visitor.get(opened.headers.get('location')!)).status).toBe(200);
  const submitted = await visitor.post(`/pay/card/${paymentId}`, card(cardNo));
  return { visitor, submitted };
}

async function finishedMessages(paymentId: string) {
  const rows = await db()
    .selectFrom('outbox')
    .select(['topic', 'payload', 'idempotency_key'])
    .where('topic', '=', 'bookings.payment-finished')
    .orderBy('id')
    .execute();
  return rows.filter((r) => r.payload.paymentId === paymentId);
}

describe('payments for other modules', () => {
  it('takes a payment through the hosted pages, back to the module’s path, and tells the module once', async () => {
    const { paymentId, nextUrl } = await ask('b-1');
    expect(paymentId).toMatch(/^[a-z0-9]{26}$/);
    expect(nextUrl).toMatch(new RegExp(`^/pay/${paymentId}\\.[A-Za-z0-9_-]+$`));
    expect(await paymentSummary(db(), paymentId)).toEqual({
      paymentId,
      status: 'created',
      amount: 2500,
      refundable: 0,
      purpose: { kind: 'bookings', id: 'b-1' },
    });

    const { visitor, submitted } = await pay(nextUrl, paymentId);
    expect(submitted.headers.get('location')).toBe(`/pay/confirm/${paymentId}`);
    expect(await finishedMessages(paymentId)).toEqual([]);
    const confirmed = await visitor.post(`/pay/confirm/${paymentId}`, {});
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/bookings/b-1/paid');

    expect(await finishedMessages(paymentId)).toEqual([
      expect.objectContaining({
        payload: { paymentId, purposeId: 'b-1', status: 'success' },
      }),
    ]);
    expect((await finishedMessages(paymentId))[0]!.idempotency_key).toMatch(
      /^bookings\.payment-finished:/,
    );
    expect(await paymentSummary(db(), paymentId)).toMatchObject({
      status: 'success',
      refundable: 2500,
    });
    // A finished payment is not finished again: no second message.
    const row = await db()
      .selectFrom('payments')
      .select('id')
      .where('external_id', '=', paymentId)
      .executeTakeFirstOrThrow();
    expect(
      await db()
        .transaction()
        .execute((trx) => expirePayment(trx, row.id)),
    ).toBe(false);
    expect(await finishedMessages(paymentId)).toHaveLength(1);
  });

  it('refunds part, then the rest, and refuses more than is left', async () => {
    const { paymentId, nextUrl } = await ask('b-2');
    const { visitor } = await pay(nextUrl, paymentId);
    await visitor.post(`/pay/confirm/${paymentId}`, {});
    const refund = (amount: number) =>
      db()
        .transaction()
        .execute((trx) => refundPayment(trx, { paymentId, amount }));

    const first = await refund(1000);
    expect(first).toEqual({ ok: true, refundId: expect.stringMatching(/^[a-z0-9]{26}$/) });
    expect(await refund(1501)).toEqual({ ok: false, reason: 'amount-too-high' });
    expect((await paymentSummary(db(), paymentId))!.refundable).toBe(1500);
    expect(await refund(1500)).toMatchObject({ ok: true });
    expect(await refund(1)).toEqual({ ok: false, reason: 'not-refundable' });
    expect((await paymentSummary(db(), paymentId))!.refundable).toBe(0);
  });

  it('refuses to refund an unfinished or unknown payment', async () => {
    const { paymentId } = await ask('b-3');
    const refund = (id: string) =>
      db()
        .transaction()
        .execute((trx) => refundPayment(trx, { paymentId: id, amount: 100 }));
    expect(await refund(paymentId)).toEqual({ ok: false, reason: 'not-refundable' });
    expect(await refund('nosuchpayment0000000000000')).toEqual({
      ok: false,
      reason: 'not-refundable',
    });
    expect(await paymentSummary(db(), 'nosuchpayment0000000000000')).toBeNull();
  });

  it('tells the module of a declined card, a cancel and an expiry', async () => {
    const declined = await ask('b-4');
    const { submitted } = await pay(declined.nextUrl, declined.paymentId, '4000000000000002');
    expect(submitted.status).toBe(402);

    const cancelled = await ask('b-5');
    const visitor = new Visitor(app.baseUrl);
    await visitor.get((await visitor.get(cancelled.nextUrl)).headers.get('location')!);
    const back = await visitor.post(`/pay/cancel/${cancelled.paymentId}`, {});
    expect(back.headers.get('location')).toBe('/bookings/b-5/paid');

    const expired = await ask('b-6');
    const row = await db()
      .selectFrom('payments')
      .select('id')
      .where('external_id', '=', expired.paymentId)
      .executeTakeFirstOrThrow();
    await db()
      .transaction()
      .execute((trx) => expirePayment(trx, row.id));

    for (const [{ paymentId }, purposeId] of [
      [declined, 'b-4'],
      [cancelled, 'b-5'],
      [expired, 'b-6'],
    ] as const)
      expect((await finishedMessages(paymentId)).map((m) => m.payload)).toEqual([
        { paymentId, purposeId, status: 'failed' },
      ]);
  });

  it('opens the card page once, and not with a wrong token', async () => {
    const { paymentId, nextUrl } = await ask('b-7');
    const visitor = new Visitor(app.baseUrl);
    expect((await visitor.get(`/pay/${paymentId}.not-the-token`)).status).toBe(404);
    expect((await visitor.get(nextUrl)).status).toBe(303);
    expect((await new Visitor(app.baseUrl).get(nextUrl)).status).toBe(404);
  });

  it('keeps a module’s payments out of the body’s Pay API', async () => {
    const { paymentId } = await ask('b-8');
    const { key } = await createPayKey(
      db(),
      { organisationId, name: 'internal-test' },
      { userId: null, organisationId, role: 'test' },
    );
    const get = (path: string) =>
      fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
    expect((await get(`/v1/payments/${paymentId}`)).status).toBe(404);
    const search = (await (await get('/v1/payments?reference=BK-b-8')).json()) as {
      total: number;
    };
    expect(search.total).toBe(0);
  });

  it('refuses a request that is not well made, writing nothing', async () => {
    const before = await db()
      .selectFrom('payments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (const bad of [
      { returnUrl: 'https://elsewhere.example/' },
      { returnUrl: '//elsewhere.example/' },
      { amount: 0 },
      { amount: 12.5 },
      { description: ' ' },
      { purpose: { kind: 'Bookings!', id: 'x' } },
      { purpose: { kind: 'bookings', id: '' } },
    ] as Partial<PaymentRequest>[])
      await expect(ask('b-9', bad)).rejects.toBeInstanceOf(InvalidPaymentRequest);
    const after = await db()
      .selectFrom('payments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('speaks Welsh on the card page when asked', async () => {
    const { paymentId, nextUrl } = await ask('b-10', { language: 'cy' });
    const visitor = new Visitor(app.baseUrl);
    const opened = await visitor.get(nextUrl);
    expect(opened.headers.get('location')).toBe(`/pay/card/${paymentId}?lang=cy`);
  });
});
