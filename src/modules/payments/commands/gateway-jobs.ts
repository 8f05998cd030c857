import type { Kysely } from 'kysely';
import type { Database, Db } from '../../../platform/db/database.js';
import type { OutboxHandler } from '../../../platform/outbox/outbox.js';
import type { PaymentRefundRow, PaymentRow } from '../db/tables.js';
import type { RefundOutcome } from '../gateway/gateway.js';
import type { Gateways } from '../gateway/registry.js';
import { recordAuthorisation } from './card.js';
import { authoriseKey, enqueueVoid, GATEWAY_TOPICS, holdsMoney } from './gateway-queue.js';
import { postFailedRefund } from './ledger.js';
import { applyEvent, lockPayment } from './payments.js';

/** A card hold lasts about a week at the gateway: past that, retrying cannot help. */
const GATEWAY_RETRY_MS = 7 * 24 * 3600 * 1000;

/** Thrown to have the outbox ask again later: the gateway does not know yet. */
class NotYet extends Error {}

async function paymentById(db: Db, id: string) {
  return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The look-up queued when a card is sent: if the gateway's answer was never recorded (a
 * time-out, or the process stopped), asks the gateway what became of the attempt, by its
 * idempotency key, and records that. Nothing charged: the payment ends in `error` (P0050) and
 * the person may start again; charged: it waits for their confirmation as usual.
 */
export async function settleUnknown(
  db: Kysely<Database>,
  gateways: Gateways,
  paymentId: string,
): Promise<void> {
  const payment = await paymentById(db, paymentId);
  if (!payment?.gateway_unknown_since) return;
  const found = await gateways.byName(payment.gateway).lookup({
    amount: payment.amount,
    reference: payment.reference,
    idempotencyKey: authoriseKey(payment),
  });
  if (found.outcome === 'pending') throw new NotYet('the gateway does not know yet');
  await db.transaction().execute(async (trx) => {
    const locked = (await lockPayment(trx, paymentId))!;
    if (found.outcome === 'authorised') return recordAuthorisation(trx, locked, found);
    if (!locked.gateway_unknown_since) return null;
    const ended = await applyEvent(trx, locked, 'gateway-error', {
      gateway_transaction_id: found.transactionId,
      gateway_unknown_since: null,
    });
    // An attempt that charged nothing is still closed, so a late confirmation cannot charge.
    if (found.transactionId) await enqueueVoid(trx, locked, found.transactionId);
    return ended;
  });
}

/** Records what the gateway did with a refund: a failed one gives its amount back to the ledger. */
export async function settleRefund(
  trx: Db,
  refundId: string,
  outcome: RefundOutcome,
): Promise<PaymentRefundRow | null> {
  const refund = await trx
    .selectFrom('payment_refunds')
    .selectAll()
    .where('id', '=', refundId)
    .forUpdate()
    .executeTakeFirst();
  if (!refund || refund.status !== 'submitted') return null;
  const status =
    outcome.outcome === 'success'
      ? 'success'
      : outcome.outcome === 'failed'
        ? 'error'
        : 'submitted';
  const settled = await trx
    .updateTable('payment_refunds')
    .set({
      status,
      gateway_refund_id: outcome.refundId ?? refund.gateway_refund_id,
      settled_at: status === 'submitted' ? null : new Date(),
    })
    .where('id', '=', refundId)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (status === 'error') {
    const payment = (await paymentById(trx, refund.payment_id))!;
    await postFailedRefund(trx, payment, settled);
  }
  return settled;
}

/** Sends a refund to the payment's gateway, then follows it until the gateway says how it went. */
export async function sendRefund(
  db: Kysely<Database>,
  gateways: Gateways,
  refundId: string,
): Promise<void> {
  const refund = await db
    .selectFrom('payment_refunds')
    .selectAll()
    .where('id', '=', refundId)
    .executeTakeFirst();
  if (!refund || refund.status !== 'submitted') return;
  const payment = (await paymentById(db, refund.payment_id))!;
  const gateway = gateways.byName(payment.gateway);
  // A refund can be asked for the moment a payment succeeds, before the capture job has run;
  // a gateway refunds only money it has taken, so take it first (the capture job's own
  // idempotency key: whichever runs second, the gateway answers it as already done).
  if (!refund.gateway_refund_id) await captureHeld(gateways, payment);
  const outcome = refund.gateway_refund_id
    ? await gateway.refundStatus({ refundId: refund.gateway_refund_id })
    : await gateway.refund({
        transactionId: payment.gateway_transaction_id!,
        amount: refund.amount,
        idempotencyKey: `refund:${refund.external_id}`,
      });
  await db.transaction().execute((trx) => settleRefund(trx, refundId, outcome));
  if (outcome.outcome === 'pending') throw new NotYet('the gateway has not paid the refund yet');
}

/** Takes the money held for a payment that succeeded; safe to call again (one idempotency key). */
async function captureHeld(gateways: Gateways, payment: PaymentRow): Promise<void> {
  if (!holdsMoney(payment) || !payment.gateway_transaction_id || payment.status !== 'success')
    return;
  await gateways.byName(payment.gateway).capture({
    transactionId: payment.gateway_transaction_id,
    amount: payment.amount,
    idempotencyKey: `capture:${payment.external_id}`,
  });
}

/** The outbox handlers that talk to gateways; each is safe to run again. */
export function gatewayOutboxHandlers(gateways: Gateways): Record<string, OutboxHandler> {
  const capture: OutboxHandler = async (payload, { db }) => {
    const payment = await paymentById(db, String(payload.paymentId));
    if (payment) await captureHeld(gateways, payment);
  };
  const voidHold: OutboxHandler = async (payload, { db }) => {
    const payment = await paymentById(db, String(payload.paymentId));
    if (!payment) return;
    const transactionId = String(payload.transactionId);
    await gateways.byName(payment.gateway).void({
      transactionId,
      idempotencyKey: `void:${transactionId}`,
    });
  };
  const lookup: OutboxHandler = (payload, { db }) =>
    settleUnknown(db, gateways, String(payload.paymentId));
  const refund: OutboxHandler = (payload, { db }) =>
    sendRefund(db, gateways, String(payload.refundId));
  for (const handler of [capture, voidHold, lookup, refund]) handler.maxAgeMs = GATEWAY_RETRY_MS;
  // Past this the payment stays "being checked" for good: someone must look at the gateway.
  lookup.onDead = async (payload, { logger, error }) => {
    logger.error(
      { paymentId: payload.paymentId, err: error },
      'the gateway never said what became of a card: settle the payment by hand',
    );
  };
  return {
    [GATEWAY_TOPICS.capture]: capture,
    [GATEWAY_TOPICS.void]: voidHold,
    [GATEWAY_TOPICS.lookup]: lookup,
    [GATEWAY_TOPICS.refund]: refund,
  };
}
