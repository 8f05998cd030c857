/**
 * Payments for other modules (bookings, fees …): the contract.
 *
 * - `requestPayment(trx, input)` makes a payment for a body, for a purpose (`{ kind, id }`, the
 *   module's name and its own record's id), in the caller's transaction. It answers the payment's
 *   Pay-style id (keep it with your record) and `nextUrl`, the path of the hosted card page:
 *   redirect the person there (303). The link works once. When the person is done (paid,
 *   declined, cancelled) they are sent to `returnUrl`, a path on this site.
 * - When the payment finishes (`success`, `failed` — declined, cancelled by the person or
 *   expired after 90 minutes —, `cancelled`, `error`), a message is enqueued in the same
 *   transaction that finished it: topic `${kind}.payment-finished`, payload
 *   `{ paymentId, purposeId, status }`, one per payment (idempotency key
 *   `${kind}.payment-finished:<payment uuid>`). Your module must register an outbox handler for
 *   that topic; like every handler it must be idempotent. Do not trust the return_url visit as
 *   proof of payment: the person may never come back, or come back without paying. Ask
 *   `paymentSummary` or wait for the message.
 * - `paymentSummary(db, paymentId)`: status, amount, what is still refundable, the purpose; null
 *   for an unknown id.
 * - `refundPayment(trx, { paymentId, amount })`: refunds part or all of a successful payment;
 *   several refunds together never exceed the amount. Refusals are answered, not thrown.
 * - These payments are not in the body's Pay API (`/v1/payments`) nor sent to its Pay webhooks:
 *   the module that asked for them acts on them. They are in the ledger and the body's daily
 *   reconciliation, grouped by purpose kind.
 * - Authorisation is the caller's: these functions trust that the caller may act for the body.
 * - A card payment over the phone (MOTO) names the member of staff who will type the card
 *   (`moto: { takenBy }`): only their signed-in session can use its card page, which skips 3-D
 *   Secure and audits them as the actor. The body must allow MOTO (`motoAllowed`); otherwise
 *   `requestPayment` throws Pay's P0196 {@link PayError}. Ask `motoAllowed` first.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { MAX_AMOUNT } from '../api/validate.js';
import { motoNotAllowed } from '../errors.js';
import type { PaymentStatus } from '../state.js';
import { EXPIRE_TOPIC, EXPIRY_MS, externalId, recordEvent } from './payments.js';
import { makeRefund, refundedSoFar, refundSummary } from './refunds.js';
import { paymentSettings } from './settings.js';

export interface PaymentRequest {
  organisationId: string;
  /** In pence, 1 to 10,000,000. */
  amount: number;
  description: string;
  reference: string;
  /** A path on this site, like `/bookings/abc/paid`. */
  returnUrl: string;
  language: 'en' | 'cy';
  email?: string | null;
  /** The asking module's name (the outbox topic's prefix) and its record's id. */
  purpose: { kind: string; id: string };
  /** Card over the phone: the staff member (user id) who alone may type the card in. */
  moto?: { takenBy: string } | null;
}

/** A payment request a module got wrong: a programming error, not the paying person's. */
export class InvalidPaymentRequest extends Error {
  constructor(
    readonly field: keyof PaymentRequest,
    reason: string,
  ) {
    super(`requestPayment: ${field} ${reason}`);
  }
}

const KIND = /^[a-z][a-z0-9-]{0,39}$/;

function checkRequest(input: PaymentRequest): void {
  const text = (value: string, max: number) => value.trim().length > 0 && value.length <= max;
  if (!Number.isInteger(input.amount) || input.amount < 1 || input.amount > MAX_AMOUNT)
    throw new InvalidPaymentRequest('amount', `must be whole pence from 1 to ${MAX_AMOUNT}`);
  if (!text(input.description, 255))
    throw new InvalidPaymentRequest('description', 'must be 1 to 255 characters');
  if (!text(input.reference, 255))
    throw new InvalidPaymentRequest('reference', 'must be 1 to 255 characters');
  // A path on this site only: never somewhere else to send the person after paying.
  if (!/^\/(?![/\\])[^\s]*$/.test(input.returnUrl) || input.returnUrl.length > 2000)
    throw new InvalidPaymentRequest('returnUrl', 'must be a path on this site, like /bookings/1');
  if (input.language !== 'en' && input.language !== 'cy')
    throw new InvalidPaymentRequest('language', 'must be en or cy');
  if (input.email != null && !/^[^\s@]+@[^\s@]+$/.test(input.email))
    throw new InvalidPaymentRequest('email', 'must be an e-mail address');
  if (!KIND.test(input.purpose.kind) || !text(input.purpose.id, 100))
    throw new InvalidPaymentRequest('purpose', 'needs a kind like "bookings" and an id');
  if (input.moto && !/^[0-9a-f-]{36}$/i.test(input.moto.takenBy))
    throw new InvalidPaymentRequest('moto', 'needs the id of the member of staff taking the card');
}

/** Whether the body takes card payments over the phone (MOTO): its admins turn it on. */
export async function motoAllowed(db: Db, organisationId: string): Promise<boolean> {
  return (await paymentSettings(db, organisationId)).motoAllowed;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Makes a payment for another module, with no API key, in `created`; it expires 90 minutes on
 * as the API's do. Its next_url token is random (only its hash is kept), so it needs no secret.
 */
export async function requestPayment(
  trx: Db,
  input: PaymentRequest,
): Promise<{ paymentId: string; nextUrl: string }> {
  checkRequest(input);
  if (input.moto && !(await motoAllowed(trx, input.organisationId))) throw motoNotAllowed();
  const token = randomBytes(24).toString('base64url');
  const row = await trx
    .insertInto('payments')
    .values({
      external_id: externalId(),
      organisation_id: input.organisationId,
      api_key_id: null,
      amount: input.amount,
      description: input.description,
      reference: input.reference,
      return_url: input.returnUrl,
      language: input.language,
      email: input.email ?? null,
      metadata: null,
      status: 'created',
      gateway: null,
      idempotency_key: null,
      idempotency_digest: null,
      purpose_kind: input.purpose.kind,
      purpose_id: input.purpose.id,
      next_url_sha256: sha256(token),
      moto: !!input.moto,
      moto_user_id: input.moto?.takenBy ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, row, { status: 'created', code: null });
  await enqueue(trx, {
    topic: EXPIRE_TOPIC,
    payload: { paymentId: row.id },
    idempotencyKey: `${EXPIRE_TOPIC}:${row.id}`,
    availableAt: new Date(row.created_at.getTime() + EXPIRY_MS),
  });
  return { paymentId: row.external_id, nextUrl: `/pay/${row.external_id}.${token}` };
}

export interface PaymentSummary {
  paymentId: string;
  status: PaymentStatus;
  amount: number;
  /** What may still be refunded: 0 unless the payment succeeded. */
  refundable: number;
  purpose: { kind: string; id: string } | null;
}

/** A payment's state for the module that asked for it; null when there is no such payment. */
export async function paymentSummary(db: Db, paymentId: string): Promise<PaymentSummary | null> {
  const row = await db
    .selectFrom('payments')
    .selectAll()
    .where('external_id', '=', paymentId)
    .executeTakeFirst();
  if (!row) return null;
  const summary = refundSummary(row, await refundedSoFar(db, row.id));
  return {
    paymentId: row.external_id,
    status: row.status,
    amount: row.amount,
    refundable: summary.amount_available,
    purpose:
      row.purpose_kind && row.purpose_id ? { kind: row.purpose_kind, id: row.purpose_id } : null,
  };
}

/**
 * Refunds `amount` pence of a successful payment, in the caller's transaction. Refused when the
 * payment is unknown or not successful (`not-refundable`) or the amount is more than is left.
 */
export async function refundPayment(
  trx: Db,
  input: { paymentId: string; amount: number },
): Promise<
  { ok: true; refundId: string } | { ok: false; reason: 'not-refundable' | 'amount-too-high' }
> {
  if (!Number.isInteger(input.amount) || input.amount < 1)
    throw new RangeError('refundPayment: amount must be whole pence, at least 1');
  const found = await trx
    .selectFrom('payments')
    .select('id')
    .where('external_id', '=', input.paymentId)
    .executeTakeFirst();
  if (!found) return { ok: false, reason: 'not-refundable' };
  const outcome = await makeRefund(trx, found.id, {
    amount: input.amount,
    refundAmountAvailable: null,
  });
  if (outcome.ok) return { ok: true, refundId: outcome.refund.external_id };
  return {
    ok: false,
    reason: outcome.reason === 'amount-too-high' ? 'amount-too-high' : 'not-refundable',
  };
}
