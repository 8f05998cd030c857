import type { Db } from '../../../platform/db/database.js';
import type { PaymentRefundRow, PaymentRow } from '../db/tables.js';
import {
  invalidAttribute,
  PAY_CODES,
  refundAmountAvailableMismatch,
  refundNotAvailable,
} from '../errors.js';
import { postRefund } from './ledger.js';
import { externalId, lockPayment } from './payments.js';
import { enqueueGatewayRefund } from './gateway-queue.js';
import { enqueuePaymentWebhooks } from './webhooks.js';

/** Pay's refund_summary: what is still refundable, and what was refunded or is being. */
export interface RefundSummary {
  status: 'pending' | 'available' | 'full' | 'unavailable';
  amount_available: number;
  amount_submitted: number;
}

/** The refunds that count against a payment: submitted or done (a failed one gave nothing back). */
export async function refundedSoFar(db: Db, paymentId: string): Promise<number> {
  const row = await db
    .selectFrom('payment_refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('total'))
    .where('payment_id', '=', paymentId)
    .where('status', '!=', 'error')
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Pay's refund summary of a payment, given what was refunded so far. */
export function refundSummary(
  payment: Pick<PaymentRow, 'status' | 'amount'>,
  refunded: number,
): RefundSummary {
  if (payment.status !== 'success') {
    const unfinished = !['failed', 'cancelled', 'error'].includes(payment.status);
    return {
      status: unfinished ? 'pending' : 'unavailable',
      amount_available: 0,
      amount_submitted: 0,
    };
  }
  const available = payment.amount - refunded;
  return {
    status: available > 0 ? 'available' : 'full',
    amount_available: available,
    amount_submitted: refunded,
  };
}

export type MakeRefundOutcome =
  | { ok: true; refund: PaymentRefundRow }
  | { ok: false; reason: 'not-refundable'; refundStatus: RefundSummary['status'] }
  | { ok: false; reason: 'amount-too-high'; available: number }
  | { ok: false; reason: 'available-mismatch' };

/**
 * Refunds part or all of a successful payment. The payment row is locked first, so two refunds
 * at once are checked one after the other against what is left: together they can never come
 * to more than was paid. With `refundAmountAvailable`, the caller's idea of what is left must
 * match ours, as Pay checks it. The refund is posted to the ledger at once; a real gateway is
 * asked to pay it back by an outbox job after commit (see gatewayRefund).
 */
export async function makeRefund(
  trx: Db,
  paymentId: string,
  input: { amount: number; refundAmountAvailable: number | null },
): Promise<MakeRefundOutcome> {
  const locked = await lockPayment(trx, paymentId);
  if (!locked) return { ok: false, reason: 'not-refundable', refundStatus: 'unavailable' };
  const summary = refundSummary(locked, await refundedSoFar(trx, locked.id));
  if (summary.status !== 'available')
    return { ok: false, reason: 'not-refundable', refundStatus: summary.status };
  if (
    input.refundAmountAvailable !== null &&
    input.refundAmountAvailable !== summary.amount_available
  )
    return { ok: false, reason: 'available-mismatch' };
  if (input.amount > summary.amount_available)
    return { ok: false, reason: 'amount-too-high', available: summary.amount_available };
  // The sandbox pays refunds back at once; a real gateway is asked after commit.
  const sandbox = locked.gateway === 'sandbox';
  const refund = await trx
    .insertInto('payment_refunds')
    .values({
      external_id: externalId(),
      payment_id: locked.id,
      amount: input.amount,
      status: sandbox ? 'success' : 'submitted',
      gateway_refund_id: null,
      settled_at: sandbox ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await postRefund(trx, locked, refund);
  if (!sandbox) await enqueueGatewayRefund(trx, refund);
  if (!locked.purpose_kind)
    await enqueuePaymentWebhooks(trx, locked, 'card_payment_refunded', refund.external_id);
  return { ok: true, refund };
}

/** The API's refund: {@link makeRefund}, its refusals as Pay's errors. */
export async function createRefund(
  trx: Db,
  payment: PaymentRow,
  input: { amount: number; refundAmountAvailable: number | null },
): Promise<PaymentRefundRow> {
  const outcome = await makeRefund(trx, payment.id, input);
  if (outcome.ok) return outcome.refund;
  if (outcome.reason === 'not-refundable') throw refundNotAvailable(outcome.refundStatus);
  if (outcome.reason === 'available-mismatch') throw refundAmountAvailableMismatch();
  throw invalidAttribute(
    PAY_CODES.refund.invalid,
    'amount',
    `Must be less than or equal to ${outcome.available}`,
  );
}
