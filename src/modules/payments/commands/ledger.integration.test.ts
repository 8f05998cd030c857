import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../test/helpers/database.js';
import type { DatabaseHandle } from '../../../platform/db/connect.js';
import { settleRefund } from './gateway-jobs.js';
import { requestPayment } from './internal.js';
import { postPayment } from './ledger.js';
import { applyEvent, lockPayment } from './payments.js';
import { makeRefund } from './refunds.js';
import type { PaymentEvent } from '../state.js';

let handle: DatabaseHandle;
let organisations: string[];
const db = () => handle.db;

beforeAll(async () => {
  handle = await freshDatabase({ seeded: true });
  organisations = (
    await db().selectFrom('organisations').select('id').orderBy('id').limit(3).execute()
  ).map((o) => o.id);
});
afterAll(async () => {
  await handle?.close();
});

type Op =
  | {
      type: 'pay';
      org: number;
      amount: number;
      gateway: 'sandbox' | 'stripe';
      end: 'authorised' | 'rejected' | 'expired' | 'user-cancelled';
    }
  | { type: 'refund'; target: number; amount: number }
  | { type: 'settle'; target: number; ok: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    type: fc.constant('pay' as const),
    org: fc.nat(2),
    amount: fc.integer({ min: 1, max: 50_000 }),
    gateway: fc.constantFrom('sandbox' as const, 'stripe' as const),
    end: fc.constantFrom(
      'authorised' as const,
      'authorised' as const,
      'rejected' as const,
      'expired' as const,
      'user-cancelled' as const,
    ),
  }),
  fc.record({
    type: fc.constant('refund' as const),
    target: fc.nat(),
    amount: fc.integer({ min: 1, max: 60_000 }),
  }),
  fc.record({ type: fc.constant('settle' as const), target: fc.nat(), ok: fc.boolean() }),
);

let run = 0;

/** Takes a payment from created to the end the operation names, as the card pages would. */
async function pay(o: Extract<Op, { type: 'pay' }>): Promise<string> {
  const id = `${++run}`;
  const { paymentId } = await db()
    .transaction()
    .execute((trx) =>
      requestPayment(trx, {
        organisationId: organisations[o.org % organisations.length]!,
        amount: o.amount,
        description: 'Property test',
        reference: `PT-${id}`,
        returnUrl: '/done',
        language: 'en',
        purpose: { kind: run % 2 ? 'bookings' : 'fees', id },
      }),
    );
  await db()
    .transaction()
    .execute(async (trx) => {
      const found = await trx
        .selectFrom('payments')
        .select('id')
        .where('external_id', '=', paymentId)
        .executeTakeFirstOrThrow();
      const steps: [PaymentEvent, Parameters<typeof applyEvent>[3]][] = [
        ['card-page-opened', {}],
        ['card-details-submitted', { gateway: o.gateway, gateway_transaction_id: `tx-${id}` }],
        [o.end, {}],
      ];
      for (const [event, extra] of steps)
        expect(
          await applyEvent(trx, (await lockPayment(trx, found.id))!, event, extra),
        ).not.toBeNull();
    });
  return paymentId;
}

async function apply(ops: Op[], paid: string[]): Promise<void> {
  for (const o of ops) {
    if (o.type === 'pay') paid.push(await pay(o));
    else if (o.type === 'refund' && paid.length) {
      const externalId = paid[o.target % paid.length]!;
      await db()
        .transaction()
        .execute(async (trx) => {
          const { id } = await trx
            .selectFrom('payments')
            .select('id')
            .where('external_id', '=', externalId)
            .executeTakeFirstOrThrow();
          await makeRefund(trx, id, { amount: o.amount, refundAmountAvailable: null });
        });
    } else if (o.type === 'settle') {
      const waiting = await db()
        .selectFrom('payment_refunds')
        .select('id')
        .where('status', '=', 'submitted')
        .orderBy('id')
        .execute();
      if (!waiting.length) continue;
      const refundId = waiting[o.target % waiting.length]!.id;
      await db()
        .transaction()
        .execute((trx) =>
          settleRefund(
            trx,
            refundId,
            o.ok
              ? { outcome: 'success', refundId: `re-${refundId}` }
              : { outcome: 'failed', refundId: null },
          ),
        );
    }
  }
}

/** What the ledger says each body holds, and what the payments and refunds say it should. */
async function balances() {
  const ledger = await db()
    .selectFrom('ledger_entries')
    .select([
      'organisation_id',
      'account',
      (eb) => eb.fn.sum<string>('debit').as('debit'),
      (eb) => eb.fn.sum<string>('credit').as('credit'),
    ])
    .groupBy(['organisation_id', 'account'])
    .execute();
  const taken = await db()
    .selectFrom('payments')
    .select(['organisation_id', (eb) => eb.fn.sum<string>('amount').as('total')])
    .where('status', '=', 'success')
    .groupBy('organisation_id')
    .execute();
  const given = await db()
    .selectFrom('payment_refunds as r')
    .innerJoin('payments as p', 'p.id', 'r.payment_id')
    .select(['p.organisation_id', (eb) => eb.fn.sum<string>('r.amount').as('total')])
    .where('r.status', '!=', 'error')
    .groupBy('p.organisation_id')
    .execute();
  return { ledger, taken, given };
}

describe('the ledger', () => {
  it('balances, and matches payments less refunds for every body, after any payments and refunds', async () => {
    const paid: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        await apply(ops, paid);
        const { ledger, taken, given } = await balances();
        const debits = ledger.reduce((sum, l) => sum + Number(l.debit), 0);
        const credits = ledger.reduce((sum, l) => sum + Number(l.credit), 0);
        expect(debits).toBe(credits);
        for (const organisationId of organisations) {
          const expected =
            Number(taken.find((t) => t.organisation_id === organisationId)?.total ?? 0) -
            Number(given.find((g) => g.organisation_id === organisationId)?.total ?? 0);
          const account = (name: string) =>
            ledger.find((l) => l.organisation_id === organisationId && l.account === name);
          const income = account('income');
          const clearing = account('card_clearing');
          expect(Number(income?.credit ?? 0) - Number(income?.debit ?? 0)).toBe(expected);
          expect(Number(clearing?.debit ?? 0) - Number(clearing?.credit ?? 0)).toBe(expected);
          expect(expected).toBeGreaterThanOrEqual(0);
        }
        // Every posting is balanced on its own, and nothing was refunded beyond what was paid.
        const unbalanced = await sql<{ posting: string }>`
          select posting from ledger_entries group by posting having sum(debit) <> sum(credit)`.execute(
          db(),
        );
        expect(unbalanced.rows).toEqual([]);
        const overRefunded = await sql<{ id: string }>`
          select p.id from payments p join payment_refunds r on r.payment_id = p.id
          where r.status <> 'error' group by p.id, p.amount having sum(r.amount) > p.amount`.execute(
          db(),
        );
        expect(overRefunded.rows).toEqual([]);
      }),
      { numRuns: 25 },
    );
    expect(paid.length).toBeGreaterThan(0);
  });

  it('posts a payment once, however often its success is recorded', async () => {
    const externalId = await pay({
      type: 'pay',
      org: 0,
      amount: 1234,
      gateway: 'sandbox',
      end: 'authorised',
    });
    const { id } = await db()
      .selectFrom('payments')
      .select('id')
      .where('external_id', '=', externalId)
      .executeTakeFirstOrThrow();
    const row = await db()
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await postPayment(db(), row);
    const entries = await db()
      .selectFrom('ledger_entries')
      .selectAll()
      .where('payment_id', '=', id)
      .orderBy('account')
      .execute();
    expect(entries.map((e) => [e.account, e.debit, e.credit])).toEqual([
      ['card_clearing', 1234, 0],
      ['income', 0, 1234],
    ]);
  });
});
