import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Database, Db } from '../../../platform/db/database.js';
import type { OutboxHandler } from '../../../platform/outbox/outbox.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import {
  paymentSummary,
  refundPayment,
  requestPayment,
  type PaymentStatus,
} from '../../payments/index.js';
import { releaseHeldSubmission } from '../../submissions/index.js';
import type { FeeChargeRow } from '../db/tables.js';
import { attemptsOf, chargeColumns, isAttemptOf, lockCharge } from '../queries/charges.js';
import { returnPath } from '../tokens.js';

/** The purpose kind our payments carry; the payments module tells us on `fees.payment-finished`. */
export const FEES_PURPOSE = 'fees';
export const PAYMENT_FINISHED_TOPIC = `${FEES_PURPOSE}.payment-finished`;

/** The platform itself, as the audit log records a payment settled by its outcome. */
const PLATFORM: Actor = { userId: null, organisationId: null, role: 'system' };

export type StartOutcome =
  { ok: true; nextUrl: string } | { ok: false; reason: 'paid' | 'unknown' };

/**
 * Asks the payments module for a payment of an unpaid charge and records it as an attempt, in
 * the caller's transaction; the person is then sent to `nextUrl`. A paid charge is refused, so
 * a second click after paying does not take the money twice.
 */
export async function startPayment(
  trx: Db,
  secret: string,
  chargeId: string,
  language: Locale,
): Promise<StartOutcome> {
  const charge = await lockCharge(trx, chargeId);
  if (!charge) return { ok: false, reason: 'unknown' };
  if (charge.status === 'paid') return { ok: false, reason: 'paid' };
  const { paymentId, nextUrl } = await requestPayment(trx, {
    organisationId: charge.organisation_id,
    amount: charge.amount,
    description: charge.description,
    reference: charge.reference,
    returnUrl: returnPath(secret, charge.id),
    language,
    email: charge.email,
    purpose: { kind: FEES_PURPOSE, id: charge.id },
  });
  await trx
    .insertInto('fee_attempts')
    .values({ payment_id: paymentId, charge_id: charge.id })
    .execute();
  return { ok: true, nextUrl };
}

export type SettleOutcome = 'settled' | 'already-settled' | 'paid-twice' | 'not-an-attempt';

/**
 * Records that a successful payment paid its charge: the charge is paid and, for a form's fee,
 * the application held for it is sent on exactly as one without a fee is. Both the return page
 * and the outbox call it; whichever comes second finds it done. A second successful payment of
 * a charge already paid (two tabs) is refunded in full, so nobody pays twice.
 */
export async function settleCharge(
  trx: Db,
  chargeId: string,
  paymentId: string,
): Promise<SettleOutcome> {
  if (!(await isAttemptOf(trx, paymentId, chargeId))) return 'not-an-attempt';
  const charge = await lockCharge(trx, chargeId);
  if (!charge) return 'not-an-attempt';
  if (charge.status === 'paid') {
    if (charge.paid_by_payment === paymentId) return 'already-settled';
    const summary = await paymentSummary(trx, paymentId);
    if (summary && summary.refundable > 0)
      await refundPayment(trx, { paymentId, amount: summary.refundable });
    await audit(trx, charge, 'fees.charge.refunded-duplicate', paymentId);
    return 'paid-twice';
  }
  const paid = await trx
    .updateTable('fee_charges')
    .set({ status: 'paid', paid_at: sql<Date>`now()`, paid_by_payment: paymentId })
    .where('id', '=', chargeId)
    .where('status', '=', 'unpaid')
    .returning(chargeColumns)
    .executeTakeFirstOrThrow();
  if (paid.kind === 'form' && paid.submission_id)
    await releaseHeldSubmission(trx, paid.submission_id);
  await audit(trx, paid, 'fees.charge.paid', paymentId);
  return 'settled';
}

async function audit(trx: Db, charge: FeeChargeRow, action: string, paymentId: string) {
  await recordAudit(trx, PLATFORM, {
    action,
    resourceType: 'fee_charge',
    resourceId: charge.id,
    subjectUserId: charge.user_id,
    details: { kind: charge.kind, reference: charge.reference, amount: charge.amount, paymentId },
  });
}

/**
 * What the person sees on coming back from the payment pages: the state of the payments asked
 * for the charge (from the payments module, so it is known before the outbox runs), newest
 * first; one that succeeded settles the charge (it may be an older one, paid in another tab).
 * Null when no payment was ever asked for it.
 */
export async function reconcile(db: Kysely<Database>, chargeId: string) {
  let newest: PaymentStatus | null = null;
  for (const paymentId of await attemptsOf(db, chargeId)) {
    const summary = await paymentSummary(db, paymentId);
    newest ??= summary?.status ?? null;
    if (summary?.status !== 'success') continue;
    await db.transaction().execute((trx) => settleCharge(trx, chargeId, paymentId));
    return 'success';
  }
  return newest;
}

/**
 * The `fees.payment-finished` outbox job: a successful payment settles its charge (idempotent,
 * as above); any other ending leaves the charge unpaid, and a form's application held, until the
 * person tries again. The payment's state is read back rather than trusted from the message.
 */
export const paymentFinishedHandler: OutboxHandler = async (payload, { db, logger }) => {
  const paymentId = String(payload.paymentId);
  const chargeId = String(payload.purposeId);
  if (payload.status !== 'success') return;
  const summary = await paymentSummary(db, paymentId);
  if (summary?.status !== 'success' || summary.purpose?.id !== chargeId) return;
  const outcome = await db.transaction().execute((trx) => settleCharge(trx, chargeId, paymentId));
  if (outcome === 'paid-twice' || outcome === 'not-an-attempt')
    logger.warn({ paymentId, chargeId, outcome }, 'fees: a payment did not settle its charge');
};
