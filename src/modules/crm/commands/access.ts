/**
 * Opening a customer's record at the adviser's desk. The adviser says why (a reason from a
 * list) and asks the caller identity questions; the answers are compared with what Joinedup
 * holds and each question is recorded as passed or failed (never the answers). A passed check
 * opens the record to that adviser for an hour; every look at it is then audited with the
 * reason, so the person sees it in the access log of "My data". A failed check, a look without
 * a reason, or a body without a sharing agreement is refused and audited too.
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { normalisePostcode, parseDateParts } from '../../../platform/validation/validators.js';
import { findUserById, findVerifiedIdentity } from '../../identity/index.js';
import { listForApplicant } from '../../submissions/index.js';
import { OPEN_REASONS, type OpenReason } from '../db/tables.js';
import type { Adviser } from '../policies/desk.js';

/** How long a passed identity check keeps the record open to the adviser. */
export const ACCESS_MINUTES = 60;
/** How many questions the caller must answer (all of them rightly). */
export const QUESTIONS_NEEDED = 2;
export const MAX_REASON_DETAILS = 500;

export const IDENTITY_QUESTIONS = ['birthdate', 'postcode', 'email', 'phone', 'reference'] as const;
export type IdentityQuestion = (typeof IDENTITY_QUESTIONS)[number];

/** What the caller answered, as the adviser typed it; an empty answer was not asked. */
export interface CallerAnswers {
  birthDay: string;
  birthMonth: string;
  birthYear: string;
  postcode: string;
  email: string;
  phone: string;
  reference: string;
}

export interface AccessReason {
  code: OpenReason;
  details: string;
}

/** Why the desk refused to show a record: kept in the audit entry of the refusal. */
export type Refusal = 'no-reason' | 'identity-failed' | 'no-agreement';

/** The asked questions, each normalised; errors for a form that cannot be checked. */
export function readAnswers(
  answers: CallerAnswers,
  reason: { code: string; details: string },
): Outcome<{ asked: Partial<Record<IdentityQuestion, string>>; reason: AccessReason }> {
  const errors: FieldError[] = [];
  const code = OPEN_REASONS.find((r) => r === reason.code);
  if (!code) errors.push({ field: 'reason', message: 'crm.confirm.error.reason' });
  if (reason.details.length > MAX_REASON_DETAILS)
    errors.push({ field: 'details', message: 'crm.confirm.error.tooLong' });
  else if (code === 'other' && !reason.details)
    errors.push({ field: 'details', message: 'crm.confirm.error.otherDetails' });
  const asked: Partial<Record<IdentityQuestion, string>> = {};
  const date = parseDateParts(answers.birthDay, answers.birthMonth, answers.birthYear);
  if ('date' in date) asked.birthdate = date.date;
  else if (date.problem !== 'required')
    errors.push({ field: 'birthDay', message: 'crm.confirm.error.birthdate' });
  if (answers.postcode) {
    const postcode = normalisePostcode(answers.postcode);
    if (postcode) asked.postcode = postcode;
    else errors.push({ field: 'postcode', message: 'crm.confirm.error.postcode' });
  }
  if (answers.email) asked.email = answers.email.toLowerCase();
  if (answers.phone) asked.phone = digitsOf(answers.phone);
  if (answers.reference) asked.reference = answers.reference.toUpperCase().replace(/\s/g, '');
  if (Object.keys(asked).length < QUESTIONS_NEEDED && !errors.some((e) => e.field !== 'reason'))
    errors.push({ field: 'birthDay', message: 'crm.confirm.error.tooFew' });
  return errors.length || !code
    ? { ok: false, errors }
    : { ok: true, asked, reason: { code, details: reason.details } };
}

function digitsOf(phone: string): string {
  return phone.replace(/\D/g, '').replace(/^44/, '0');
}

/** What Joinedup holds to compare each answer with; a fact it does not hold cannot be passed. */
async function factsOf(
  db: Db,
  customerId: string,
): Promise<Record<IdentityQuestion, string | null>> {
  const [user, identity, applications] = await Promise.all([
    findUserById(db, customerId),
    findVerifiedIdentity(db, customerId),
    listForApplicant(db, customerId),
  ]);
  return {
    birthdate: identity?.birthdate ?? null,
    postcode: identity?.address.postcode ?? null,
    email: user?.email.toLowerCase() ?? null,
    phone: user?.phone ? digitsOf(user.phone) : null,
    reference: applications[0]?.reference ?? null,
  };
}

/**
 * Compares the caller's answers with the record, keeps which questions passed and failed, and
 * audits the check. The caller passes only when every question asked was answered rightly.
 */
export async function checkIdentity(
  trx: Db,
  adviser: Adviser,
  actor: Actor,
  customerId: string,
  asked: Partial<Record<IdentityQuestion, string>>,
  reason: AccessReason,
): Promise<{ passed: boolean; results: Record<string, 'passed' | 'failed'> }> {
  const facts = await factsOf(trx, customerId);
  const results: Record<string, 'passed' | 'failed'> = {};
  for (const question of IDENTITY_QUESTIONS) {
    const answer = asked[question];
    if (answer === undefined) continue;
    const fact = facts[question];
    const same =
      question === 'reference'
        ? fact?.replace(/-/g, '') === answer.replace(/-/g, '')
        : fact === answer;
    results[question] = fact !== null && same ? 'passed' : 'failed';
  }
  const passed =
    Object.keys(results).length >= QUESTIONS_NEEDED &&
    Object.values(results).every((r) => r === 'passed');
  await trx
    .insertInto('crm_identity_checks')
    .values({
      adviser_user_id: adviser.id,
      contact_centre_id: adviser.organisationId,
      customer_user_id: customerId,
      results: JSON.stringify(results),
      passed,
      reason: reason.code,
      reason_details: reason.details,
    })
    .execute();
  await recordAudit(trx, actor, {
    action: passed ? 'crm.identity_check.passed' : 'crm.identity_check.failed',
    resourceType: 'user',
    resourceId: customerId,
    subjectUserId: customerId,
    details: { questions: results, accessReason: reason.code, accessReasonDetails: reason.details },
  });
  return { passed, results };
}

/**
 * The reason the adviser gave when the caller last passed, if that was within the hour and no
 * check failed since; otherwise why the record stays closed.
 */
export async function currentAccess(
  db: Db,
  adviser: Adviser,
  customerId: string,
  now = new Date(),
): Promise<{ ok: true; reason: AccessReason } | { ok: false; refusal: Refusal }> {
  const latest = await db
    .selectFrom('crm_identity_checks')
    .select(['passed', 'reason', 'reason_details', 'checked_at'])
    .where('adviser_user_id', '=', adviser.id)
    .where('customer_user_id', '=', customerId)
    .where('contact_centre_id', '=', adviser.organisationId)
    .where('checked_at', '>', new Date(now.getTime() - ACCESS_MINUTES * 60_000))
    .orderBy('checked_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest) return { ok: false, refusal: 'no-reason' };
  if (!latest.passed) return { ok: false, refusal: 'identity-failed' };
  return {
    ok: true,
    reason: { code: latest.reason as OpenReason, details: latest.reason_details },
  };
}

/** Records a look at the customer's record with the reason given: the person's access log shows it. */
export async function recordView(
  trx: Db,
  actor: Actor,
  customerId: string,
  reason: AccessReason,
): Promise<void> {
  await recordAudit(trx, actor, {
    action: 'crm.customer.viewed',
    resourceType: 'user',
    resourceId: customerId,
    subjectUserId: customerId,
    details: {
      accessReason: reason.code,
      accessReasonDetails: reason.details,
    },
  });
}

/**
 * Records a refused look (no reason, failed questions, no agreement, no consent) or a refused
 * assisted service (`identity-not-verified`: it needs a verified identity the account lacks).
 */
export async function recordRefusal(
  trx: Db,
  actor: Actor,
  customerId: string,
  refusal: Refusal | 'no-consent' | 'identity-not-verified',
): Promise<void> {
  await recordAudit(trx, actor, {
    action: 'crm.customer.refused',
    resourceType: 'user',
    resourceId: customerId,
    subjectUserId: customerId,
    details: { refusal },
  });
}
