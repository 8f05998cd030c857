import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type { PaymentRefundRow, PaymentRow } from '../db/tables.js';

/**
 * The gateway calls made after commit, through the outbox, so a change is never lost to a slow
 * or absent gateway and never made twice: each carries an idempotency key the gateway honours.
 */
export const GATEWAY_TOPICS = {
  capture: 'payments.gateway-capture',
  void: 'payments.gateway-void',
  refund: 'payments.gateway-refund',
  lookup: 'payments.gateway-lookup',
} as const;

/**
 * How long after a card is sent to the gateway its answer is looked for, if none was recorded:
 * well past the adapter's time-out, so the look-up never races the answer it replaces.
 */
export const LOOKUP_DELAY_MS = 2 * 60 * 1000;

/** The key `authorise` and `lookup` share for a payment: one card attempt per payment. */
export function authoriseKey(payment: Pick<PaymentRow, 'external_id'>): string {
  return `authorise:${payment.external_id}`;
}

/** The sandbox holds no money, so nothing needs taking or letting go. */
export const holdsMoney = (payment: Pick<PaymentRow, 'gateway'>) =>
  payment.gateway !== null && payment.gateway !== 'sandbox';

/** Takes the held amount of a payment that has just succeeded. */
export async function enqueueCapture(trx: Db, payment: PaymentRow): Promise<void> {
  if (!holdsMoney(payment) || !payment.gateway_transaction_id) return;
  await enqueue(trx, {
    topic: GATEWAY_TOPICS.capture,
    payload: { paymentId: payment.id },
    idempotencyKey: `${GATEWAY_TOPICS.capture}:${payment.id}`,
  });
}

/** Lets go of a hold on the card that no one will confirm. */
export async function enqueueVoid(
  trx: Db,
  payment: PaymentRow,
  transactionId: string,
): Promise<void> {
  if (!holdsMoney(payment)) return;
  await enqueue(trx, {
    topic: GATEWAY_TOPICS.void,
    payload: { paymentId: payment.id, transactionId },
    idempotencyKey: `${GATEWAY_TOPICS.void}:${payment.id}:${transactionId}`,
  });
}

/** Asks the gateway to pay a refund back. */
export async function enqueueGatewayRefund(trx: Db, refund: PaymentRefundRow): Promise<void> {
  await enqueue(trx, {
    topic: GATEWAY_TOPICS.refund,
    payload: { refundId: refund.id },
    idempotencyKey: `${GATEWAY_TOPICS.refund}:${refund.id}`,
  });
}

/** Looks for the answer to a card sent to the gateway, in case it never comes. */
export async function enqueueLookup(trx: Db, payment: PaymentRow, now: Date): Promise<void> {
  await enqueue(trx, {
    topic: GATEWAY_TOPICS.lookup,
    payload: { paymentId: payment.id },
    idempotencyKey: `${GATEWAY_TOPICS.lookup}:${payment.id}`,
    availableAt: new Date(now.getTime() + LOOKUP_DELAY_MS),
  });
}
