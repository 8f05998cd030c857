import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import type { SubmissionRow } from '../db/tables.js';

/** A person sees their own applications. (Acting for others arrives with agents.) */
export function canApplicantSee(
  user: CurrentUser | null,
  submission: Pick<SubmissionRow, 'applicant_user_id'>,
): boolean {
  return !!user && user.kind === 'citizen' && user.id === submission.applicant_user_id;
}

/** Staff work only their own organisation's submissions, and only as caseworkers (or admins). */
export function canStaffWork(
  user: CurrentUser | null,
  submission: Pick<SubmissionRow, 'organisation_id'>,
): boolean {
  return isStaffOf(user, submission.organisation_id, 'caseworker');
}
