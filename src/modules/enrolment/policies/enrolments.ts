import type { CurrentUser } from '../../../platform/http/types.js';
import type { EnrolmentRow } from '../db/tables.js';

/** A person may see, activate and remove only their own enrolments; nobody else may, staff included. */
export function canManageEnrolment(
  user: CurrentUser | null,
  enrolment: Pick<EnrolmentRow, 'user_id'>,
): boolean {
  return user !== null && user.id === enrolment.user_id;
}
