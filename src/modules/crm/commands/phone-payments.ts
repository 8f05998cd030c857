/**
 * Card payments over the phone (MOTO) at the adviser's desk: when an application the adviser
 * filled in with the customer is held for its fee, the adviser may take the customer's card
 * now instead of leaving the fee due. The payment is the fees module's (an attempt at the
 * application's own fee) and the payments module's card page is for this adviser's session
 * only; the customer's card details are never stored (only the last 4 digits, as for any card).
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { heldFeeOf, settleHeldFee, takeFeeByPhone } from '../../fees/index.js';
import { findSubmissionById, findSubmissionIdOfReference } from '../../submissions/index.js';
import { itemVisible, type Adviser, type SharedKinds } from '../policies/desk.js';

/** An application's fee as the customer's record shows it to the adviser. */
export interface AssistedFee {
  reference: string;
  amount: number;
  paid: boolean;
  /** Whether the body being paid takes card payments over the phone. */
  motoAllowed: boolean;
}

/**
 * The customer's application with this reference, when its body's payments are shared with the
 * adviser's contact centre (or it is the contact centre's own); otherwise undefined.
 */
async function applicationForPayment(
  db: Db,
  adviser: Adviser,
  shared: SharedKinds,
  customerId: string,
  reference: string,
) {
  const id = await findSubmissionIdOfReference(db, reference);
  const submission = id ? await findSubmissionById(db, id) : undefined;
  if (!submission || submission.applicant_user_id !== customerId) return undefined;
  if (!itemVisible(adviser.organisationId, shared, submission.organisation_id, 'payments'))
    return undefined;
  return submission;
}

/**
 * The fee of the customer's application `reference`, or null (no such application of theirs,
 * not shared, or no fee). With `settle`, back from the card page: a successful payment settles
 * the fee now, so the adviser can tell the customer.
 */
export async function assistedFee(
  db: Kysely<Database>,
  adviser: Adviser,
  shared: SharedKinds,
  customerId: string,
  reference: string,
  settle = false,
): Promise<AssistedFee | null> {
  const submission = await applicationForPayment(db, adviser, shared, customerId, reference);
  if (!submission) return null;
  const fee = settle ? await settleHeldFee(db, submission.id) : await heldFeeOf(db, submission.id);
  if (!fee) return null;
  return {
    reference: submission.reference,
    amount: fee.amount,
    paid: fee.status === 'paid',
    motoAllowed: fee.motoAllowed,
  };
}

export type PhonePaymentStart =
  { ok: true; nextUrl: string } | { ok: false; reason: 'not-found' | 'paid' | 'moto-not-allowed' };

/**
 * Asks for a MOTO payment of the application's fee for this adviser to take, coming back to
 * the customer's record. Audited `crm.payment.started`, or `crm.payment.refused` with why.
 */
export async function startPhonePayment(
  trx: Db,
  adviser: Adviser,
  actor: Actor,
  input: {
    customer: { id: string; email: string };
    reference: string;
    shared: SharedKinds;
    language: Locale;
  },
): Promise<PhonePaymentStart> {
  const { customer } = input;
  const submission = await applicationForPayment(
    trx,
    adviser,
    input.shared,
    customer.id,
    input.reference,
  );
  if (!submission) return { ok: false, reason: 'not-found' };
  const outcome = await takeFeeByPhone(trx, {
    submissionId: submission.id,
    takenBy: adviser.id,
    returnUrl: `/adviser/customers/${customer.id}?paid=${submission.reference}`,
    language: input.language,
    email: customer.email,
  });
  const reason = outcome.ok ? null : outcome.reason === 'no-fee' ? 'not-found' : outcome.reason;
  await recordAudit(trx, actor, {
    action: reason ? 'crm.payment.refused' : 'crm.payment.started',
    resourceType: 'submission',
    resourceId: submission.id,
    subjectUserId: customer.id,
    details: { reference: submission.reference, moto: true, ...(reason ? { reason } : {}) },
  });
  if (!outcome.ok)
    return { ok: false, reason: reason as 'not-found' | 'paid' | 'moto-not-allowed' };
  return { ok: true, nextUrl: outcome.nextUrl };
}
