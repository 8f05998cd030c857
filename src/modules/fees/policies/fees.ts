import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';

/**
 * A body's caseworkers and counter advisers (and its admins) raise bills and set instalment
 * plans for it, and see them; nobody else's.
 */
export function mayManageCharges(user: CurrentUser | null, organisationId: string): boolean {
  return (
    isStaffOf(user, organisationId, 'caseworker') ||
    isStaffOf(user, organisationId, 'counter-adviser')
  );
}

/** Whether to show the staff "Bills" link: staff who may manage their own body's charges. */
export function mayManageAnyCharges(user: CurrentUser | null): boolean {
  return !!user?.organisationId && mayManageCharges(user, user.organisationId);
}

/**
 * A person sees and pays their own bills and instalments, signed in as themselves (an agent
 * acting for a client does not: bills are not part of an agent's authority).
 */
export function mayPayOwn(
  user: CurrentUser | null,
  charge: { user_id: string | null } | undefined,
): boolean {
  return (
    !!user &&
    user.kind === 'citizen' &&
    !user.actingFor &&
    !!charge?.user_id &&
    charge.user_id === user.id
  );
}

/** Whether to show "Bills to pay": a citizen signed in as themselves. */
export function hasBillsPage(user: CurrentUser | null): boolean {
  return !!user && user.kind === 'citizen' && !user.actingFor;
}
