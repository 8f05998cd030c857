import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import type { SubmissionRow } from '../db/tables.js';

/** A person sees their own applications. */
export function canApplicantSee(
  user: CurrentUser | null,
  submission: Pick<SubmissionRow, 'applicant_user_id'>,
): boolean {
  return !!user && user.kind === 'citizen' && user.id === submission.applicant_user_id;
}

/**
 * An agent acting for the applicant sees the application when the agents module says the
 * authority covers its service (`hasAuthority`: `canActFor`, checked on this request).
 */
export function canAgentSee(
  user: CurrentUser | null,
  submission: Pick<SubmissionRow, 'applicant_user_id'>,
  hasAuthority: boolean,
): boolean {
  return (
    !!user &&
    user.kind === 'citizen' &&
    user.actingFor?.userId === submission.applicant_user_id &&
    hasAuthority
  );
}

/**
 * Staff work only their own organisation's submissions, and only as caseworkers or team leaders
 * (who lead and decide cases, reviews among them), or admins; not one held for its fee (it has
 * not been sent to them yet).
 */
export function canStaffWork(
  user: CurrentUser | null,
  submission: Pick<SubmissionRow, 'organisation_id'> & { status?: SubmissionRow['status'] },
): boolean {
  if (submission.status === 'awaiting-payment') return false;
  return (
    isStaffOf(user, submission.organisation_id, 'caseworker') ||
    isStaffOf(user, submission.organisation_id, 'team-leader')
  );
}
