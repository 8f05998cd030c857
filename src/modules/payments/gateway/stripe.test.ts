import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayFailure, GatewayNoAnswer, type CardDetails } from './gateway.js';
import { StripeFake } from './stripe-fake.js';
import { stripeGateway } from './stripe.js';

const KEY = 'sk_test_joinedup_fake_0123456789';
let fake: StripeFake;
let gateway: ReturnType<typeof stripeGateway>;

beforeAll(async () => {
  fake = await new StripeFake(KEY).start();
  gateway = stripeGateway({ secretKey: KEY, apiUrl: fake.url, timeoutMs: 300 });
});
afterAll(async () => {
  await fake?.close();
});

const card = (number: string): CardDetails => ({
  number,
  expiry: '12/39',
  cvc: '123',
  cardholderName: 'Sam Smith',
});
let n = 0;
const key = () => `authorise:test${++n}`;

describe('the Stripe adapter', () => {
  it('holds the amount with a PaymentIntent in pounds, takes it on capture and refunds it', async () => {
    const idempotencyKey = key();
    const answer = await gateway.authorise({
      amount: 4550,
      reference: 'PP-1',
      card: card('4242424242424242'),
      idempotencyKey,
    });
    expect(answer.outcome).toBe('authorised');
    const intent = fake.intents.get(answer.transactionId!)!;
    expect(intent).toMatchObject({
      amount: 4550,
      currency: 'gbp',
      capture_method: 'manual',
      status: 'requires_capture',
      metadata: { reference: 'PP-1' },
    });
    await gateway.capture({
      transactionId: intent.id,
      amount: 4550,
      idempotencyKey: 'capture:1',
    });
    expect(intent.status).toBe('succeeded');
    // Capturing again (a job run twice) is harmless.
    await gateway.capture({ transactionId: intent.id, amount: 4550, idempotencyKey: 'capture:1' });
    await gateway.capture({ transactionId: intent.id, amount: 4550, idempotencyKey: 'capture:1b' });
    const refund = await gateway.refund({
      transactionId: intent.id,
      amount: 1000,
      idempotencyKey: 'refund:1',
    });
    expect(refund).toEqual({ outcome: 'success', refundId: expect.stringMatching(/^re_/) });
    expect(intent.amount_refunded).toBe(1000);
    // The same refund asked for twice is made once.
    await gateway.refund({ transactionId: intent.id, amount: 1000, idempotencyKey: 'refund:1' });
    expect(intent.amount_refunded).toBe(1000);
    expect(
      await gateway.refund({ transactionId: intent.id, amount: 3551, idempotencyKey: 'refund:2' }),
    ).toEqual({
      outcome: 'failed',
      refundId: null,
    });
    expect(fake.problems).toEqual(['refunded 3551 of 3550 left']);
    fake.problems.length = 0;
  });

  it('sends the secret key and an Idempotency-Key with every POST, and repeats nothing twice', async () => {
    const idempotencyKey = key();
    const request = { amount: 100, reference: 'R', card: card('4242424242424242'), idempotencyKey };
    const before = fake.authorisations;
    const first = await gateway.authorise(request);
    const again = await gateway.authorise(request);
    expect(again).toEqual(first);
    expect(fake.problems).toEqual([]);
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.every((r) => r.idempotencyKey)).toBe(true);
    const theseKeys = posts.filter((r) => r.idempotencyKey!.startsWith(idempotencyKey));
    expect(new Set(theseKeys.map((r) => r.idempotencyKey)).size).toBe(3);
    expect(fake.authorisations).toBe(before + 1);
  });

  it.each([
    ['4000000000000002', 'declined'],
    ['4000000000009995', 'declined'],
    ['4000000000000069', 'expired-card'],
    ['4000000000000127', 'incorrect-cvc'],
    ['4000000000000119', 'processing-error'],
    ['4000002500003155', 'declined'],
  ])('reads Stripe’s card error for %s as %s', async (number, outcome) => {
    const answer = await gateway.authorise({
      amount: 100,
      reference: 'R',
      card: card(number),
      idempotencyKey: key(),
    });
    expect(answer.outcome).toBe(outcome);
    expect(fake.intents.get(answer.transactionId!)!.status).toBe('requires_payment_method');
  });

  it('lets go of a hold, and finds it let go when asked again', async () => {
    const answer = await gateway.authorise({
      amount: 700,
      reference: 'R',
      card: card('4242424242424242'),
      idempotencyKey: key(),
    });
    await gateway.void({ transactionId: answer.transactionId!, idempotencyKey: 'void:a' });
    expect(fake.intents.get(answer.transactionId!)!.status).toBe('canceled');
    await gateway.void({ transactionId: answer.transactionId!, idempotencyKey: 'void:b' });
  });

  it('says it had no answer when Stripe charged the card but the answer was lost, and the look-up finds the charge', async () => {
    const idempotencyKey = key();
    fake.hang(/confirm$/, { act: true });
    const before = fake.authorisations;
    await expect(
      gateway.authorise({
        amount: 900,
        reference: 'R',
        card: card('4242424242424242'),
        idempotencyKey,
      }),
    ).rejects.toBeInstanceOf(GatewayNoAnswer);
    expect(fake.authorisations).toBe(before + 1);
    const found = await gateway.lookup({ amount: 900, reference: 'R', idempotencyKey });
    expect(found).toEqual({ outcome: 'authorised', transactionId: expect.stringMatching(/^pi_/) });
    expect(fake.authorisations).toBe(before + 1);
  });

  it('finds nothing charged when the confirmation never reached Stripe', async () => {
    const idempotencyKey = key();
    fake.hang(/confirm$/, { act: false });
    await expect(
      gateway.authorise({
        amount: 900,
        reference: 'R',
        card: card('4242424242424242'),
        idempotencyKey,
      }),
    ).rejects.toBeInstanceOf(GatewayNoAnswer);
    expect(await gateway.lookup({ amount: 900, reference: 'R', idempotencyKey })).toMatchObject({
      outcome: 'not-charged',
    });
  });

  it('follows a pending refund until Stripe settles it', async () => {
    const answer = await gateway.authorise({
      amount: 500,
      reference: 'R',
      card: card('4242424242424242'),
      idempotencyKey: key(),
    });
    await gateway.capture({
      transactionId: answer.transactionId!,
      amount: 500,
      idempotencyKey: 'capture:p',
    });
    fake.refundsPending = true;
    const refund = await gateway.refund({
      transactionId: answer.transactionId!,
      amount: 500,
      idempotencyKey: 'refund:p',
    });
    expect(refund.outcome).toBe('pending');
    expect(await gateway.refundStatus({ refundId: refund.refundId! })).toMatchObject({
      outcome: 'pending',
    });
    fake.refundsPending = false;
    expect(await gateway.refundStatus({ refundId: refund.refundId! })).toMatchObject({
      outcome: 'success',
    });
  });

  it('is refused, not left unknown, with a wrong secret key', async () => {
    const wrong = stripeGateway({ secretKey: 'sk_test_wrong', apiUrl: fake.url, timeoutMs: 300 });
    await expect(
      wrong.authorise({
        amount: 100,
        reference: 'R',
        card: card('4242424242424242'),
        idempotencyKey: key(),
      }),
    ).rejects.toBeInstanceOf(GatewayFailure);
    fake.problems.length = 0;
  });
});
