/**
 * Assisted digital: a contact centre adviser takes the fee of an application they filled in
 * with the customer by card over the phone (MOTO), instead of leaving it due. The payment is an
 * attempt at the application's own fee charge, exactly like the customer's online attempts, so
 * whichever attempt succeeds pays the charge and sends the application on (`settleCharge`), and
 * a second success is refunded. Only the adviser's signed-in session can use its card page.
 */
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { motoAllowed, requestPayment } from '../../payments/index.js';
import { chargeForSubmission, lockCharge } from '../queries/charges.js';
import { FEES_PURPOSE, reconcile } from './charges.js';

/** The fee an application is held for, as the adviser's desk shows it. */
export interface HeldFee {
  amount: number;
  status: 'paid' | 'unpaid';
  /** Whether the body being paid takes card payments over the phone. */
  motoAllowed: boolean;
}

/** The application's fee (null when its form charged none). */
export async function heldFeeOf(db: Db, submissionId: string): Promise<HeldFee | null> {
  const charge = await chargeForSubmission(db, submissionId);
  if (!charge) return null;
  return {
    amount: charge.amount,
    status: charge.status === 'paid' ? 'paid' : 'unpaid',
    motoAllowed: await motoAllowed(db, charge.organisation_id),
  };
}

export type PhonePaymentOutcome =
  { ok: true; nextUrl: string } | { ok: false; reason: 'no-fee' | 'paid' | 'moto-not-allowed' };

/**
 * Asks for a MOTO payment of the application's unpaid fee, in the caller's transaction, for the
 * adviser (`takenBy`) to type the customer's card into; they are then sent to `nextUrl` and,
 * paid or not, come back to `returnUrl` (a path here: the customer's record). Refused when the
 * application has no fee, it is paid, or the body does not take card payments over the phone.
 * The receipt goes to `email`, the customer's, so the payment is among their own records.
 */
export async function takeFeeByPhone(
  trx: Db,
  input: {
    submissionId: string;
    takenBy: string;
    returnUrl: string;
    language: Locale;
    email: string | null;
  },
): Promise<PhonePaymentOutcome> {
  const found = await chargeForSubmission(trx, input.submissionId);
  const charge = found ? await lockCharge(trx, found.id) : undefined;
  if (!charge || charge.kind !== 'form') return { ok: false, reason: 'no-fee' };
  if (charge.status === 'paid') return { ok: false, reason: 'paid' };
  if (!(await motoAllowed(trx, charge.organisation_id)))
    return { ok: false, reason: 'moto-not-allowed' };
  const { paymentId, nextUrl } = await requestPayment(trx, {
    organisationId: charge.organisation_id,
    amount: charge.amount,
    description: charge.description,
    reference: charge.reference,
    returnUrl: input.returnUrl,
    language: input.language,
    email: input.email ?? charge.email,
    purpose: { kind: FEES_PURPOSE, id: charge.id },
    moto: { takenBy: input.takenBy },
  });
  await trx
    .insertInto('fee_attempts')
    .values({ payment_id: paymentId, charge_id: charge.id })
    .execute();
  return { ok: true, nextUrl };
}

/**
 * Back from the card page: settles the fee if a payment of it succeeded (before the outbox
 * does, so the adviser can tell the customer now) and answers how it stands.
 */
export async function settleHeldFee(
  db: Kysely<Database>,
  submissionId: string,
): Promise<HeldFee | null> {
  const charge = await chargeForSubmission(db, submissionId);
  if (charge && charge.status !== 'paid') await reconcile(db, charge.id);
  return heldFeeOf(db, submissionId);
}
