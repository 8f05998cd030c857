import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import type { CardGateway } from '../gateway/gateway.js';
import { configuredGateways, type Gateways } from '../gateway/registry.js';
import { StripeFake } from '../gateway/stripe-fake.js';
import { submitCard } from './card.js';
import { gatewayOutboxHandlers, settleUnknown } from './gateway-jobs.js';
import { GATEWAY_TOPICS } from './gateway-queue.js';
import { paymentSummary, refundPayment, requestPayment } from './internal.js';
import { cancelPayment, expirePayment } from './payments.js';

const KEY = 'sk_test_joinedup_app_0123456789';
let fake: StripeFake;
let app: TestApp;
let gateways: Gateways;
let organisationId: string;
const db = () => app.platform.database.db;

beforeAll(async () => {
  fake = await new StripeFake(KEY).start();
  const env = {
    PAYMENT_GATEWAY: 'stripe',
    STRIPE_SECRET_KEY: KEY,
    STRIPE_API_URL: fake.url,
    STRIPE_TIMEOUT_MS: '300',
  } as const;
  app = await startTestApp(env);
  gateways = configuredGateways({ ...env, STRIPE_TIMEOUT_MS: 300 });
  organisationId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

/** Runs a topic's queued gateway jobs, as the outbox worker (off in tests) would; each must succeed. */
async function runJobs(topic: string): Promise<void> {
  const errors = await attemptJobs(topic);
  if (errors.length > 0) throw new Error(`gateway jobs failed: ${errors.join('; ')}`);
}

/**
 * One pass of the outbox worker over a topic's pending jobs (only one payment's or refund's when
 * `about`, the end of their idempotency keys, is given): a job that throws stays pending for the
 * next pass (the worker's backoff between passes is tested in the outbox's own tests); one that
 * succeeds is done. Returns the errors.
 */
async function attemptJobs(topic: string, about?: string): Promise<string[]> {
  const handler = gatewayOutboxHandlers(gateways)[topic]!;
  const messages = await db()
    .selectFrom('outbox')
    .selectAll()
    .where('topic', '=', topic)
    .where('status', '=', 'pending')
    .$if(about !== undefined, (query) => query.where('idempotency_key', 'like', `%:${about}`))
    .orderBy('id')
    .execute();
  const errors: string[] = [];
  for (const message of messages) {
    try {
      await handler(message.payload as Record<string, unknown>, {
        db: db(),
        idempotencyKey: message.idempotency_key,
        attempt: message.attempts + 1,
        logger: app.platform.logger,
      });
      await db()
        .updateTable('outbox')
        .set({ status: 'done' })
        .where('id', '=', message.id)
        .execute();
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
      await db()
        .updateTable('outbox')
        .set({ attempts: message.attempts + 1 })
        .where('id', '=', message.id)
        .execute();
    }
  }
  return errors;
}

async function newPayment(purposeId: string) {
  const made = await db()
    .transaction()
    .execute((trx) =>
      requestPayment(trx, {
        organisationId,
        amount: 3000,
        description: 'Hall hire',
        reference: `HH-${purposeId}`,
        returnUrl: `/bookings/${purposeId}/paid`,
        language: 'en',
        purpose: { kind: 'bookings', id: purposeId },
      }),
    );
  const row = await db()
    .selectFrom('payments')
    .selectAll()
    .where('external_id', '=', made.paymentId)
    .executeTakeFirstOrThrow();
  return { ...made, id: row.id };
}

async function row(id: string) {
  return db().selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const card = (cardNo = '4242424242424242') => ({
  cardNo,
  expiryMonth: '12',
  expiryYear: '39',
  cardholderName: 'Sam Smith',
  cvc: '123',
});

async function openAndSubmit(payment: { paymentId: string; nextUrl: string }, cardNo?: string) {
  const visitor = new Visitor(app.baseUrl);
  const opened = await visitor.get(payment.nextUrl);
  expect(opened.status).toBe(303);
  expect((await visitor.get(opened.headers.get('location')!)).status).toBe(200);
  const submitted = await visitor.post(`/pay/card/${payment.paymentId}`, card(cardNo));
  return { visitor, submitted };
}

const finished = async (paymentId: string) =>
  (
    await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'bookings.payment-finished')
      .execute()
  )
    .map((m) => m.payload)
    .filter((p) => p.paymentId === paymentId);

describe('payments through Stripe', () => {
  it('holds the card, takes the money when the person confirms, and refunds through Stripe', async () => {
    const payment = await newPayment('s-1');
    const { visitor, submitted } = await openAndSubmit(payment);
    expect(submitted.headers.get('location')).toBe(`/pay/confirm/${payment.paymentId}`);
    const held = await row(payment.id);
    expect(held).toMatchObject({
      gateway: 'stripe',
      status: 'submitted',
      gateway_unknown_since: null,
    });
    expect(fake.intents.get(held.gateway_transaction_id!)!.status).toBe('requires_capture');

    await visitor.post(`/pay/confirm/${payment.paymentId}`, {});
    expect((await row(payment.id)).status).toBe('success');
    await runJobs(GATEWAY_TOPICS.capture);
    const intent = fake.intents.get(held.gateway_transaction_id!)!;
    expect(intent).toMatchObject({ status: 'succeeded', amount_received: 3000 });

    const refunded = await db()
      .transaction()
      .execute((trx) => refundPayment(trx, { paymentId: payment.paymentId, amount: 1200 }));
    expect(refunded.ok).toBe(true);
    const refund = await db()
      .selectFrom('payment_refunds')
      .selectAll()
      .where('payment_id', '=', payment.id)
      .executeTakeFirstOrThrow();
    expect(refund.status).toBe('submitted');
    await runJobs(GATEWAY_TOPICS.refund);
    expect(intent.amount_refunded).toBe(1200);
    const settled = await db()
      .selectFrom('payment_refunds')
      .selectAll()
      .where('id', '=', refund.id)
      .executeTakeFirstOrThrow();
    expect(settled).toMatchObject({
      status: 'success',
      gateway_refund_id: expect.stringMatching(/^re_/),
    });
    expect((await paymentSummary(db(), payment.paymentId))!.refundable).toBe(1800);
    expect(fake.problems).toEqual([]);
  });

  it('takes the money before refunding it when the refund is asked for before the capture ran', async () => {
    const payment = await newPayment('s-early');
    const { visitor } = await openAndSubmit(payment);
    await visitor.post(`/pay/confirm/${payment.paymentId}`, {});
    const intent = fake.intents.get((await row(payment.id)).gateway_transaction_id!)!;
    expect(intent.status).toBe('requires_capture');

    const refunded = await db()
      .transaction()
      .execute((trx) => refundPayment(trx, { paymentId: payment.paymentId, amount: 3000 }));
    expect(refunded.ok).toBe(true);
    await runJobs(GATEWAY_TOPICS.refund);
    expect(intent).toMatchObject({ status: 'succeeded', amount_received: 3000 });
    expect(intent.amount_refunded).toBe(3000);
    const settled = await db()
      .selectFrom('payment_refunds')
      .select('status')
      .where('payment_id', '=', payment.id)
      .executeTakeFirstOrThrow();
    expect(settled.status).toBe('success');

    // The capture job, running late, finds the money already taken: nothing more happens.
    await runJobs(GATEWAY_TOPICS.capture);
    expect(intent).toMatchObject({ amount_received: 3000, amount_refunded: 3000 });
    expect(fake.problems).toEqual([]);
  });

  it('leaves a card Stripe charged but did not answer for as unknown, refuses a second go, and settles it by asking', async () => {
    const payment = await newPayment('s-2');
    fake.hang(/confirm$/, { act: true });
    const before = fake.authorisations;
    const { visitor, submitted } = await openAndSubmit(payment);
    expect(submitted.status).toBe(303);
    expect(fake.authorisations).toBe(before + 1);
    const waiting = await row(payment.id);
    expect(waiting).toMatchObject({ status: 'submitted', gateway_transaction_id: null });
    expect(waiting.gateway_unknown_since).not.toBeNull();

    const token = csrfToken(visitor.lastHtml);
    const confirmPage = await visitor.get(`/pay/confirm/${payment.paymentId}`);
    const checking = await visitor.get(confirmPage.headers.get('location')!);
    expect(checking.status).toBe(200);
    expect(checking.html).toContain('We are checking your payment');
    // Neither the person, the service nor the clock can end it while the charge is unknown.
    expect((await visitor.post(`/pay/card/${payment.paymentId}`, card(), token)).status).toBe(303);
    await visitor.post(`/pay/cancel/${payment.paymentId}`, {}, token);
    await visitor.post(`/pay/confirm/${payment.paymentId}`, {}, token);
    const current = await row(payment.id);
    await expect(
      db()
        .transaction()
        .execute((trx) => cancelPayment(trx, current)),
    ).rejects.toThrow('Cancellation of payment failed');
    expect(
      await db()
        .transaction()
        .execute((trx) => expirePayment(trx, payment.id)),
    ).toBe(false);
    expect((await row(payment.id)).status).toBe('submitted');
    expect(fake.authorisations).toBe(before + 1);

    await runJobs(GATEWAY_TOPICS.lookup);
    const found = await row(payment.id);
    expect(found).toMatchObject({ status: 'submitted', gateway_unknown_since: null });
    expect(fake.intents.get(found.gateway_transaction_id!)!.status).toBe('requires_capture');
    const again = await visitor.get(`/pay/card/${payment.paymentId}`);
    expect(again.headers.get('location')).toBe(`/pay/confirm/${payment.paymentId}`);
    await visitor.post(`/pay/confirm/${payment.paymentId}`, {}, token);
    expect((await row(payment.id)).status).toBe('success');
    expect(fake.authorisations).toBe(before + 1);
  });

  it('ends in error, and tells the module, when the look-up finds nothing charged', async () => {
    const payment = await newPayment('s-3');
    fake.hang(/confirm$/, { act: false });
    await openAndSubmit(payment);
    await runJobs(GATEWAY_TOPICS.lookup);
    const ended = await row(payment.id);
    expect(ended).toMatchObject({
      status: 'error',
      state_code: 'P0050',
      gateway_unknown_since: null,
    });
    expect(await finished(payment.paymentId)).toEqual([
      { paymentId: payment.paymentId, purposeId: 's-3', status: 'error' },
    ]);
    await runJobs(GATEWAY_TOPICS.void);
    expect(fake.intents.get(ended.gateway_transaction_id!)!.status).toBe('canceled');
  });

  it('lets go at Stripe of an authorisation that arrives after the payment ended', async () => {
    const payment = await newPayment('s-4');
    const visitor = new Visitor(app.baseUrl);
    await visitor.get(payment.nextUrl);
    // The look-up settles the payment while Stripe is still working on the card.
    const slow: CardGateway = {
      ...gateways.current,
      async authorise(request) {
        await settleUnknown(db(), gateways, payment.id);
        return gateways.current.authorise(request);
      },
    };
    const outcome = await submitCard(db(), slow, payment.id, {
      number: '4242424242424242',
      expiry: '12/39',
      cvc: '123',
      cardholderName: 'Sam Smith',
    });
    expect(outcome).toMatchObject({ ok: true, outcome: 'authorised' });
    const ended = await row(payment.id);
    expect(ended.status).toBe('error');
    const intent = fake.intents.get(ended.gateway_transaction_id!)!;
    expect(intent.status).toBe('requires_capture');
    await runJobs(GATEWAY_TOPICS.void);
    expect(intent.status).toBe('canceled');
  });

  it('lets go of the hold when an authorised payment is not confirmed in time', async () => {
    const payment = await newPayment('s-5');
    await openAndSubmit(payment);
    const held = await row(payment.id);
    expect(
      await db()
        .transaction()
        .execute((trx) => expirePayment(trx, payment.id)),
    ).toBe(true);
    expect(await row(payment.id)).toMatchObject({ status: 'failed', state_code: 'P0020' });
    await runJobs(GATEWAY_TOPICS.void);
    expect(fake.intents.get(held.gateway_transaction_id!)!.status).toBe('canceled');
  });

  it('expires, and lets go, a charge found by the look-up after the 90 minutes', async () => {
    const payment = await newPayment('s-6');
    fake.hang(/confirm$/, { act: true });
    await openAndSubmit(payment);
    await db()
      .updateTable('payments')
      .set({ created_at: new Date(Date.now() - 2 * 3600_000) })
      .where('id', '=', payment.id)
      .execute();
    await runJobs(GATEWAY_TOPICS.lookup);
    const ended = await row(payment.id);
    expect(ended).toMatchObject({ status: 'failed', state_code: 'P0020' });
    await runJobs(GATEWAY_TOPICS.void);
    expect(fake.intents.get(ended.gateway_transaction_id!)!.status).toBe('canceled');
  });

  it('shows a declined card as declined, with nothing held', async () => {
    const payment = await newPayment('s-7');
    const { submitted } = await openAndSubmit(payment, '4000000000000002');
    expect(submitted.status).toBe(402);
    expect(await row(payment.id)).toMatchObject({ status: 'failed', state_code: 'P0010' });
  });

  it('keeps the capture and the refund while Stripe is down or limiting, and does each once when it is back', async () => {
    const payment = await newPayment('s-down');
    const { visitor } = await openAndSubmit(payment);
    await visitor.post(`/pay/confirm/${payment.paymentId}`, {});
    const paid = await row(payment.id);
    expect(paid.status).toBe('success');
    const intent = fake.intents.get(paid.gateway_transaction_id!)!;
    const refunded = await db()
      .transaction()
      .execute((trx) => refundPayment(trx, { paymentId: payment.paymentId, amount: 1000 }));
    expect(refunded.ok).toBe(true);
    const refundId = (
      await db()
        .selectFrom('payment_refunds')
        .select('id')
        .where('payment_id', '=', payment.id)
        .executeTakeFirstOrThrow()
    ).id;

    fake.outage(/capture$/, { status: 503, times: 3 });
    fake.outage(/refunds$/, { status: 429, times: 1 });
    // Stripe down: the capture (and the refund, which must capture first) fail and are kept.
    expect(await attemptJobs(GATEWAY_TOPICS.capture, payment.id)).toEqual([
      expect.stringContaining('Stripe answered 503'),
    ]);
    expect(await attemptJobs(GATEWAY_TOPICS.refund, refundId)).toEqual([
      expect.stringContaining('Stripe answered 503'),
    ]);
    expect(intent).toMatchObject({ status: 'requires_capture', amount_received: 0 });
    expect(await row(payment.id)).toMatchObject({ status: 'success' });
    const refund = () =>
      db()
        .selectFrom('payment_refunds')
        .selectAll()
        .where('payment_id', '=', payment.id)
        .executeTakeFirstOrThrow();
    // A refund Stripe could not be asked about is neither paid nor failed: the ledger keeps it.
    expect(await refund()).toMatchObject({ status: 'submitted', gateway_refund_id: null });
    expect((await paymentSummary(db(), payment.paymentId))!.refundable).toBe(2000);

    // Stripe back for captures but limiting refunds: the money is taken; the refund waits.
    expect(await attemptJobs(GATEWAY_TOPICS.capture, payment.id)).toEqual([
      expect.stringContaining('Stripe answered 503'),
    ]);
    expect(await attemptJobs(GATEWAY_TOPICS.refund, refundId)).toEqual([
      expect.stringContaining('Stripe answered 429'),
    ]);
    expect(intent).toMatchObject({ status: 'succeeded', amount_received: 3000 });
    expect(intent.amount_refunded).toBe(0);

    // Stripe back: everything left goes through, once.
    expect(await attemptJobs(GATEWAY_TOPICS.capture, payment.id)).toEqual([]);
    expect(await attemptJobs(GATEWAY_TOPICS.refund, refundId)).toEqual([]);
    expect(intent).toMatchObject({ amount_received: 3000, amount_refunded: 1000 });
    expect(await refund()).toMatchObject({ status: 'success' });
    expect((await paymentSummary(db(), payment.paymentId))!.refundable).toBe(2000);
    const refundPosts = fake.requests.filter(
      (r) =>
        r.method === 'POST' && r.path === '/v1/refunds' && r.params.payment_intent === intent.id,
    );
    expect(new Set(refundPosts.map((r) => r.idempotencyKey)).size).toBe(1);
    expect([...fake.refunds.values()].filter((r) => r.payment_intent === intent.id)).toHaveLength(
      1,
    );
    expect(fake.problems).toEqual([]);
  });

  it('treats a card sent while Stripe is down as unknown, keeps asking, and settles it when Stripe is back', async () => {
    const payment = await newPayment('s-down-card');
    fake.outage(/confirm$/, { status: 503, times: 1 });
    const before = fake.authorisations;
    const { visitor, submitted } = await openAndSubmit(payment);
    expect(submitted.status).toBe(303);
    const waiting = await row(payment.id);
    expect(waiting).toMatchObject({ status: 'submitted', gateway_transaction_id: null });
    expect(waiting.gateway_unknown_since).not.toBeNull();
    const confirmPage = await visitor.get(`/pay/confirm/${payment.paymentId}`);
    expect((await visitor.get(confirmPage.headers.get('location')!)).html).toContain(
      'We are checking your payment',
    );

    // The look-up while Stripe is still down learns nothing and changes nothing.
    fake.outage(/payment_intents/, { status: 503, times: 1 });
    expect(await attemptJobs(GATEWAY_TOPICS.lookup, payment.id)).toEqual([
      expect.stringContaining('Stripe answered 503'),
    ]);
    expect((await row(payment.id)).gateway_unknown_since).not.toBeNull();

    // Back: nothing was charged, so the payment ends in error and the person may start again.
    expect(await attemptJobs(GATEWAY_TOPICS.lookup, payment.id)).toEqual([]);
    expect(await row(payment.id)).toMatchObject({ status: 'error', state_code: 'P0050' });
    expect(fake.authorisations).toBe(before);
  });
});
