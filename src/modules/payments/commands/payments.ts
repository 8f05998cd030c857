import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type { PaymentRow } from '../db/tables.js';
import { cancelFailed, idempotencyConflict, motoNotAllowed } from '../errors.js';
import { requestDigest, type NewPayment } from '../api/validate.js';
import { enqueuePaymentWebhooks, webhookEventType } from './webhooks.js';
import { isFinished, transition, type PaymentEvent, type PaymentState } from '../state.js';
import { announceFinished } from './finished.js';
import { enqueueCapture, enqueueVoid } from './gateway-queue.js';
import { postPayment } from './ledger.js';
import { paymentSettings } from './settings.js';

/** Pay ends an unfinished payment 90 minutes after it was created. */
export const EXPIRY_MS = 90 * 60 * 1000;
export const EXPIRE_TOPIC = 'payments.expire';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Pay's style of id: 26 lower-case letters and digits. */
export function externalId(): string {
  return [...randomBytes(26)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/**
 * The token in a payment's next_url: an HMAC of its id, so an idempotent replay shows the same
 * link without the token being stored. The link still works only once (next_url_used_at).
 */
export function nextUrlToken(secret: string, paymentExternalId: string): string {
  return createHmac('sha256', secret)
    .update(`pay-next-url:${paymentExternalId}`)
    .digest('base64url');
}

/** Appends to a payment's history, as Pay's events endpoint shows it. */
export async function recordEvent(db: Db, payment: Pick<PaymentRow, 'id'>, state: PaymentState) {
  await db
    .insertInto('payment_events')
    .values({ payment_id: payment.id, status: state.status, state_code: state.code })
    .execute();
}

export type CreateOutcome = { payment: PaymentRow; replayed: boolean };

/**
 * Creates a payment for the calling body in `created`, with its expiry job 90 minutes on.
 * With an Idempotency-Key, the same body again returns the first payment; a different body is
 * 409 (Pay's P0191). Two requests with one key at once make one payment: the unique index
 * holds the second until the first commits, and it then finds that payment. A MOTO payment
 * (`moto: true`) is refused with Pay's 422 P0196 unless the body's settings allow MOTO.
 */
export async function createPayment(
  trx: Db,
  input: {
    organisationId: string;
    apiKeyId: string;
    payment: NewPayment;
    idempotencyKey: string | null;
    gateway: string;
  },
): Promise<CreateOutcome> {
  const digest = input.idempotencyKey ? requestDigest(input.payment) : null;
  const { payment } = input;
  if (payment.moto && !(await paymentSettings(trx, input.organisationId)).motoAllowed)
    throw motoNotAllowed();
  const row = await trx
    .insertInto('payments')
    .values({
      external_id: externalId(),
      organisation_id: input.organisationId,
      api_key_id: input.apiKeyId,
      amount: payment.amount,
      description: payment.description,
      reference: payment.reference,
      return_url: payment.return_url,
      language: payment.language,
      email: payment.email,
      metadata: payment.metadata ? JSON.stringify(payment.metadata) : null,
      moto: payment.moto === true,
      status: 'created',
      gateway: input.gateway,
      idempotency_key: input.idempotencyKey,
      idempotency_digest: digest,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) return replay(trx, input.organisationId, input.idempotencyKey!, digest!);
  await recordEvent(trx, row, { status: 'created', code: null });
  await enqueue(trx, {
    topic: EXPIRE_TOPIC,
    payload: { paymentId: row.id },
    idempotencyKey: `${EXPIRE_TOPIC}:${row.id}`,
    availableAt: new Date(row.created_at.getTime() + EXPIRY_MS),
  });
  return { payment: row, replayed: false };
}

async function replay(
  trx: Db,
  organisationId: string,
  idempotencyKey: string,
  digest: string,
): Promise<CreateOutcome> {
  const earlier = await trx
    .selectFrom('payments')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirstOrThrow();
  if (earlier.idempotency_digest !== digest) throw idempotencyConflict();
  return { payment: earlier, replayed: true };
}

/** The payment, locked for the rest of the transaction (refunds and state changes queue behind). */
export async function lockPayment(trx: Db, id: string): Promise<PaymentRow | undefined> {
  return trx.selectFrom('payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Moves a locked payment on by `event` if the state machine allows it, recording the event.
 * Returns the new row, or null (nothing written) when the event cannot happen now. While the
 * gateway's answer about the card is unknown nothing may happen to the payment (no cancel, no
 * expiry: the card may have been charged) except recording that answer, which clears it.
 * Success takes the held amount and posts it to the ledger; any other end lets go of a hold.
 */
export async function applyEvent(
  trx: Db,
  payment: PaymentRow,
  event: PaymentEvent,
  extra: Partial<
    Pick<
      PaymentRow,
      | 'card_last_four'
      | 'card_brand'
      | 'cardholder_name'
      | 'card_expiry'
      | 'gateway'
      | 'gateway_transaction_id'
      | 'gateway_unknown_since'
      | 'next_url_used_at'
      | 'moto_user_id'
    >
  > = {},
): Promise<PaymentRow | null> {
  if (payment.gateway_unknown_since && extra.gateway_unknown_since !== null) return null;
  const next = transition(payment.status, event);
  if (!next) return null;
  const row = await trx
    .updateTable('payments')
    .set({
      ...extra,
      status: next.status,
      state_code: next.code,
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', payment.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, row, next);
  if (next.status === 'success') {
    await postPayment(trx, row);
    await enqueueCapture(trx, row);
  } else if (isFinished(next.status) && payment.gateway_transaction_id)
    await enqueueVoid(trx, row, payment.gateway_transaction_id);
  if (isFinished(next.status)) await announceFinished(trx, row);
  const eventType = webhookEventType(next);
  // A module's payment is that module's business: the body's Pay webhooks are not sent it.
  if (eventType && !row.purpose_kind) await enqueuePaymentWebhooks(trx, row, eventType);
  return row;
}

/** The service cancels a payment (Pay: allowed until the card is authorised). */
export async function cancelPayment(trx: Db, payment: PaymentRow): Promise<void> {
  const locked = (await lockPayment(trx, payment.id))!;
  if (!(await applyEvent(trx, locked, 'service-cancelled'))) throw cancelFailed();
}

/**
 * The outbox job 90 minutes after a payment was created: an unfinished payment fails with
 * P0020. Idempotent: a finished payment is left alone, and so is one whose card's fate at the
 * gateway is unknown (the look-up expires it if it is still unconfirmed when settled).
 */
export async function expirePayment(trx: Db, paymentId: string): Promise<boolean> {
  const payment = await lockPayment(trx, paymentId);
  if (!payment) return false;
  return (await applyEvent(trx, payment, 'expired')) !== null;
}
