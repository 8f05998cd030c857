/**
 * Why a caseworker opens a case that is not in their own queue. Their own queue is the cases of
 * their body assigned to them or to nobody yet (the shared queue they pick from); a team leader's
 * (or an admin's) is the whole body's, which they allocate and supervise. A case assigned to a
 * colleague opens only after the caseworker chooses a reason, which goes into the audit entry of
 * every look at the case for the next hour and is shown to the person on their "My data" page.
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { AppError, type FieldError, type Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import type { CaseRow } from '../db/tables.js';
import './tables.js';

export const ACCESS_REASONS = [
  'covering',
  'quality-check',
  'complaint',
  'person-contacted-us',
  'legal-request',
  'other',
] as const;
export type AccessReasonCode = (typeof ACCESS_REASONS)[number];

/** How long a reason given holds for the same case. */
export const REASON_MINUTES = 60;
export const MAX_REASON_DETAILS = 500;

/** A reason as the audit entry carries it. */
export interface AccessReason {
  code: AccessReasonCode;
  details: string;
}

/**
 * Whether the case is in the user's own queue: assigned to them or to nobody, or they lead the
 * body's team. Asked only of staff who may work the case (`canWorkCase`).
 */
export function inOwnQueue(
  user: CurrentUser,
  caseRow: Pick<CaseRow, 'organisation_id' | 'assigned_to'>,
): boolean {
  return (
    caseRow.assigned_to === null ||
    caseRow.assigned_to === user.id ||
    isStaffOf(user, caseRow.organisation_id, 'team-leader')
  );
}

/** The reason the user gave for this case within the last hour, if any. */
export async function currentReason(
  db: Db,
  userId: string,
  caseId: string,
  now = new Date(),
): Promise<AccessReason | undefined> {
  const row = await db
    .selectFrom('case_access_reasons')
    .select(['reason', 'details'])
    .where('user_id', '=', userId)
    .where('case_id', '=', caseId)
    .where('given_at', '>', new Date(now.getTime() - REASON_MINUTES * 60_000))
    .executeTakeFirst();
  return row ? { code: row.reason as AccessReasonCode, details: row.details } : undefined;
}

/** The form's answer, checked: a reason from the list, and "other" needs words. */
export function readReason(input: { reason: string; details: string }): Outcome<{
  reason: AccessReason;
}> {
  const errors: FieldError[] = [];
  const code = ACCESS_REASONS.find((r) => r === input.reason);
  if (!code) errors.push({ field: 'reason', message: 'casework.access.error.reason' });
  if (input.details.length > MAX_REASON_DETAILS)
    errors.push({ field: 'details', message: 'casework.access.error.tooLong' });
  else if (code === 'other' && !input.details)
    errors.push({ field: 'details', message: 'casework.access.error.otherDetails' });
  return errors.length || !code
    ? { ok: false, errors }
    : { ok: true, reason: { code, details: input.details } };
}

/** Records the reason given (the newest replaces an older one), and audits it. */
export async function giveReason(
  trx: Db,
  userId: string,
  caseRow: Pick<CaseRow, 'id' | 'reference' | 'applicant_user_id'>,
  reason: AccessReason,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  await trx
    .insertInto('case_access_reasons')
    .values({
      user_id: userId,
      case_id: caseRow.id,
      reason: reason.code,
      details: reason.details,
      given_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'case_id'])
        .doUpdateSet({ reason: reason.code, details: reason.details, given_at: now }),
    )
    .execute();
  await recordAudit(trx, actor, {
    action: 'casework.case.access_reason_given',
    resourceType: 'case',
    resourceId: caseRow.id,
    subjectUserId: caseRow.applicant_user_id,
    details: {
      reference: caseRow.reference,
      accessReason: reason.code,
      accessReasonDetails: reason.details,
    },
  });
}

/** Thrown when a case outside the user's queue is opened without a reason given first. */
export function reasonRequired(reference: string): AppError {
  return new AppError('access_reason_required', 403, 'Choose why you are opening this case first', {
    reference,
  });
}
