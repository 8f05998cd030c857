import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type { PaymentRow } from '../db/tables.js';

/** The topic a module handles to hear that its payment finished: `bookings.payment-finished`. */
export function paymentFinishedTopic(purposeKind: string): string {
  return `${purposeKind}.payment-finished`;
}

/**
 * Tells the module a payment was for that it finished, in the transaction that finished it, so
 * the message exists exactly when the finish was committed. One message per payment: a payment
 * finishes once.
 */
export async function announceFinished(trx: Db, payment: PaymentRow): Promise<void> {
  if (!payment.purpose_kind || !payment.purpose_id) return;
  const topic = paymentFinishedTopic(payment.purpose_kind);
  await enqueue(trx, {
    topic,
    payload: {
      paymentId: payment.external_id,
      purposeId: payment.purpose_id,
      status: payment.status,
    },
    idempotencyKey: `${topic}:${payment.id}`,
  });
}
