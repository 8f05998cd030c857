import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { chargeForSubmission } from '../queries/charges.js';
import { returnPath } from '../tokens.js';
import { startPayment } from './charges.js';

/** The application just sent, as the forms module made it (held: `awaiting-payment`). */
export interface HeldApplication {
  id: string;
  reference: string;
  organisationId: string;
  applicantUserId: string | null;
}

/**
 * The hook the forms module calls when it sends an application whose form charges a fee, in
 * the same transaction as the submission (made with `awaitingPayment`): the fee becomes a charge
 * and a payment is asked for it. The person is sent to `nextUrl`; once the payment succeeds the
 * fees module releases the application (`releaseHeldSubmission`).
 */
export async function chargeFormFee(
  trx: Db,
  secret: string,
  input: {
    application: HeldApplication;
    amount: number;
    description: string;
    email: string | null;
    language: Locale;
    /** When the fee came from the service's fee rules: the version that priced it. */
    ruleSetVersionId?: string | null;
  },
): Promise<{ nextUrl: string }> {
  const { application } = input;
  const charge = await trx
    .insertInto('fee_charges')
    .values({
      kind: 'form',
      organisation_id: application.organisationId,
      user_id: application.applicantUserId,
      email: input.email,
      amount: input.amount,
      description: input.description,
      reference: application.reference,
      submission_id: application.id,
      plan_id: null,
      instalment: null,
      paid_at: null,
      paid_by_payment: null,
      created_by: application.applicantUserId,
      rule_set_version_id: input.ruleSetVersionId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const started = await startPayment(trx, secret, charge.id, input.language);
  if (!started.ok) throw new Error(`A new form fee could not be paid: ${started.reason}`);
  return { nextUrl: started.nextUrl };
}

/**
 * Where to send someone who sends a held application again (a second click, the back button):
 * the page that says it waits for its fee and lets them pay. Null when it has no fee.
 */
export async function heldApplicationPath(
  db: Db,
  secret: string,
  submissionId: string,
): Promise<string | null> {
  const charge = await chargeForSubmission(db, submissionId);
  return charge ? returnPath(secret, charge.id) : null;
}
