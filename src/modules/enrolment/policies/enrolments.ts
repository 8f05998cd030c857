import type { CurrentUser } from '../../../platform/http/types.js';
import type { MemberRole } from '../../agents/index.js';
import type { EnrolmentRow } from '../db/tables.js';

type Holder = Pick<EnrolmentRow, 'user_id' | 'business_account_id'>;

/**
 * Who may see an enrolment: a person's own only they may; a business's, every member of the
 * business (administrators and assistants). Nobody else, staff included.
 */
export function canSeeEnrolment(
  user: CurrentUser | null,
  enrolment: Holder,
  businessRole: MemberRole | null = null,
): boolean {
  if (user === null) return false;
  if (enrolment.business_account_id === null) return user.id === enrolment.user_id;
  return businessRole !== null;
}

/**
 * Who may activate and remove an enrolment: a person's own only they may; a business's, any
 * administrator of the business, not only the one who asked. Assistants may only look.
 */
export function canManageEnrolment(
  user: CurrentUser | null,
  enrolment: Holder,
  businessRole: MemberRole | null = null,
): boolean {
  if (user === null) return false;
  if (enrolment.business_account_id === null) return user.id === enrolment.user_id;
  return businessRole === 'administrator';
}

/** Every member of a business sees the services it has linked; non-members get "not found". */
export function canSeeBusinessEnrolments(businessRole: MemberRole | null): boolean {
  return businessRole !== null;
}

/**
 * Only an administrator enrols a business: linking a record gives every member sight of it,
 * which is the administrators' decision, as adding members is.
 */
export function canEnrolBusiness(
  user: CurrentUser | null,
  businessRole: MemberRole | null,
): boolean {
  return user !== null && user.kind === 'citizen' && businessRole === 'administrator';
}
