import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/audit/audit.js';
import type { Database, Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { PaymentRow } from '../db/tables.js';
import { cardDigits, cardSummary, expiryValid, luhnValid } from '../gateway/cards.js';
import {
  GatewayFailure,
  type AuthorisationOutcome,
  type CardDetails,
  type CardGateway,
} from '../gateway/gateway.js';
import { mayTakeMotoCard } from '../policies/payments.js';
import { isFinished, type PaymentEvent } from '../state.js';
import { sha256 } from './internal.js';
import { authoriseKey, enqueueLookup, enqueueVoid } from './gateway-queue.js';
import { applyEvent, EXPIRY_MS, lockPayment, nextUrlToken } from './payments.js';
import { sessionSecrets, type SecretSource } from '../../../platform/keyring/keyring.js';

/** The path of a payment's single-use next_url: its id and the HMAC of it. */
export function nextUrlPath(secret: string, paymentExternalId: string): string {
  return `/pay/${paymentExternalId}.${nextUrlToken(secret, paymentExternalId)}`;
}

export type OpenOutcome =
  | { ok: true; payment: PaymentRow }
  | { ok: false; reason: 'unknown' | 'used' | 'finished' | 'not-yours' };

/**
 * The paying person follows next_url: the link is spent (it works once, as Pay's does) and the
 * payment moves to `started`. A second use, or a finished payment, is refused. A MOTO payment
 * is opened only by the member of staff who may take its card (`mayTakeMotoCard`), who is
 * then the only one who may use its pages; anyone else is refused and the link is not spent.
 */
export async function openPaymentPage(
  trx: Db,
  secrets: SecretSource,
  token: string,
  user: CurrentUser | null = null,
): Promise<OpenOutcome> {
  const [paymentExternalId, presented] = token.split('.');
  if (!paymentExternalId || !presented) return { ok: false, reason: 'unknown' };
  const found = await trx
    .selectFrom('payments')
    .select(['id', 'next_url_sha256'])
    .where('external_id', '=', paymentExternalId)
    .executeTakeFirst();
  // A module's payment has a random token (its hash kept); the API's is an HMAC of its id, under
  // the current session secret or one kept from before a rotation.
  const expected = found?.next_url_sha256
    ? [found.next_url_sha256]
    : sessionSecrets(secrets).map((secret) => nextUrlToken(secret, paymentExternalId));
  const given = Buffer.from(found?.next_url_sha256 ? sha256(presented) : presented);
  const matches = (text: string) =>
    Buffer.byteLength(text) === given.length && timingSafeEqual(Buffer.from(text), given);
  if (!found || !expected.some(matches)) return { ok: false, reason: 'unknown' };
  const payment = await lockPayment(trx, found.id);
  if (!payment) return { ok: false, reason: 'unknown' };
  if (payment.next_url_used_at) return { ok: false, reason: 'used' };
  if (isFinished(payment.status)) return { ok: false, reason: 'finished' };
  if (!mayTakeMotoCard(user, payment)) return { ok: false, reason: 'not-yours' };
  const started = await applyEvent(trx, payment, 'card-page-opened', {
    next_url_used_at: sql<Date>`now()` as unknown as Date,
    ...(payment.moto && user ? { moto_user_id: user.id } : {}),
  });
  return started ? { ok: true, payment: started } : { ok: false, reason: 'finished' };
}

/** A problem with what was typed, for the card details page's error summary. */
export interface CardProblem {
  field: 'cardNo' | 'expiry' | 'cvc' | 'cardholderName';
  key: string;
}

/** Checks typed card details before any gateway sees them. */
export function cardProblems(card: CardDetails, now: Date): CardProblem[] {
  const problems: CardProblem[] = [];
  const digits = cardDigits(card.number);
  if (!digits || !luhnValid(digits))
    problems.push({ field: 'cardNo', key: 'pay.card.errors.number' });
  if (!expiryValid(card.expiry, now))
    problems.push({ field: 'expiry', key: 'pay.card.errors.expiry' });
  if (!/^\d{3,4}$/.test(card.cvc.trim()))
    problems.push({ field: 'cvc', key: 'pay.card.errors.cvc' });
  const name = card.cardholderName.trim();
  if (!name || name.length > 255)
    problems.push({ field: 'cardholderName', key: 'pay.card.errors.name' });
  return problems;
}

/** What a gateway's refusal does to the payment; an authorisation waits for the person to confirm. */
const REFUSAL_EVENTS: Record<
  Exclude<AuthorisationOutcome['outcome'], 'authorised'>,
  PaymentEvent
> = {
  declined: 'rejected',
  'expired-card': 'rejected',
  'incorrect-cvc': 'rejected',
  'processing-error': 'gateway-error',
};

export type SubmitOutcome =
  | { ok: true; payment: PaymentRow; outcome: AuthorisationOutcome['outcome'] | 'unknown' }
  | { ok: false; problems: CardProblem[] }
  | { ok: false; reason: 'not-started' };

/**
 * Sends the card to the gateway, as Pay does before its confirm page. The payment moves to
 * `submitted` (keeping only the card's last four digits, brand, expiry and name), marked as
 * waiting for the gateway, with a look-up queued in case no answer is ever recorded; that is
 * committed before the gateway is asked. The gateway's answer is then recorded (see
 * {@link recordAuthorisation}). No answer (a time-out) leaves the payment waiting: outcome
 * `unknown`. The card number itself lives only in this call.
 */
export async function submitCard(
  db: Kysely<Database>,
  gateway: CardGateway,
  paymentId: string,
  card: CardDetails,
  now = new Date(),
): Promise<SubmitOutcome> {
  const problems = cardProblems(card, now);
  if (problems.length) return { ok: false, problems };
  const digits = cardDigits(card.number)!;
  const { lastFour, brand } = cardSummary(digits);
  const submitted = await db.transaction().execute(async (trx) => {
    const payment = await lockPayment(trx, paymentId);
    const row =
      payment &&
      (await applyEvent(trx, payment, 'card-details-submitted', {
        gateway: gateway.name,
        gateway_unknown_since: now,
        card_last_four: lastFour,
        card_brand: brand,
        cardholder_name: card.cardholderName.trim(),
        card_expiry: card.expiry.trim(),
      }));
    if (row) await enqueueLookup(trx, row, now);
    return row;
  });
  if (!submitted) return { ok: false, reason: 'not-started' };
  let answer: AuthorisationOutcome;
  try {
    answer = await gateway.authorise({
      amount: submitted.amount,
      reference: submitted.reference,
      card: { ...card, number: digits },
      idempotencyKey: authoriseKey(submitted),
      // Card over the phone: no 3-D Secure step; the gateway is told so.
      ...(submitted.moto ? { moto: true } : {}),
    });
  } catch (error) {
    // Only a refusal the gateway stated is final; anything else may have charged the card.
    if (!(error instanceof GatewayFailure))
      return { ok: true, payment: submitted, outcome: 'unknown' };
    answer = { outcome: 'processing-error', transactionId: null };
  }
  const recorded = await db.transaction().execute(async (trx) => {
    const payment = (await lockPayment(trx, paymentId))!;
    return recordAuthorisation(trx, payment, answer);
  });
  return { ok: true, payment: recorded ?? submitted, outcome: answer.outcome };
}

/**
 * Records the gateway's answer about a card, given straight away or found by a look-up, on the
 * locked payment. An authorisation keeps it `submitted` with the gateway's transaction id,
 * awaiting the person's confirmation (or expires it, if its 90 minutes passed while the answer
 * was unknown); a refusal fails it (P0010) and a processing error ends it in `error` (P0050).
 * An answer that comes when the payment no longer waits for one (a look-up settled it, or it
 * ended) changes nothing, and a hold it reports is let go at the gateway.
 */
export async function recordAuthorisation(
  trx: Db,
  payment: PaymentRow,
  answer: AuthorisationOutcome,
  now = new Date(),
): Promise<PaymentRow | null> {
  if (!payment.gateway_unknown_since || payment.status !== 'submitted') {
    const kept =
      payment.gateway_transaction_id === answer.transactionId &&
      (payment.status === 'submitted' || payment.status === 'success');
    if (answer.outcome === 'authorised' && !kept)
      await enqueueVoid(trx, payment, answer.transactionId);
    return null;
  }
  if (answer.outcome !== 'authorised')
    return applyEvent(trx, payment, REFUSAL_EVENTS[answer.outcome], {
      gateway_transaction_id: answer.transactionId,
      gateway_unknown_since: null,
    });
  const authorised = await trx
    .updateTable('payments')
    .set({
      gateway_transaction_id: answer.transactionId,
      gateway_unknown_since: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', payment.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (now.getTime() < authorised.created_at.getTime() + EXPIRY_MS) return authorised;
  return applyEvent(trx, authorised, 'expired');
}

/**
 * The person confirms on the confirm page: an authorised payment (submitted, with the
 * gateway's transaction id) succeeds. Null when there is nothing to confirm.
 */
export async function confirmPayment(trx: Db, paymentId: string): Promise<PaymentRow | null> {
  const payment = await lockPayment(trx, paymentId);
  if (!payment?.gateway_transaction_id || payment.gateway_unknown_since) return null;
  return applyEvent(trx, payment, 'authorised');
}

/** The person gives up on the hosted pages: the payment fails with P0030. */
export async function cancelByUser(trx: Db, paymentId: string): Promise<PaymentRow | null> {
  const payment = await lockPayment(trx, paymentId);
  return payment ? applyEvent(trx, payment, 'user-cancelled') : null;
}

/**
 * Records what a member of staff did on a MOTO payment's pages (`payments.moto.opened`,
 * `.card-submitted`, `.confirmed`, `.cancelled`), with them as the actor: the card was typed
 * by them, not by the person paying. Never the card's details.
 */
export async function auditMoto(
  db: Db,
  actor: Actor,
  payment: PaymentRow,
  step: 'opened' | 'card-submitted' | 'confirmed' | 'cancelled',
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(db, actor, {
    action: `payments.moto.${step}`,
    resourceType: 'payment',
    resourceId: payment.id,
    subjectUserId: null,
    details: {
      organisationId: payment.organisation_id,
      reference: payment.reference,
      amount: payment.amount,
      ...details,
    },
  });
}
