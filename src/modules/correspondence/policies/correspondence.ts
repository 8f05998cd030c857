/**
 * Who may do what with correspondence. Staff see only their own body's; people only their own.
 * Every command and query calls one of these first.
 */
import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import type { CorrespondenceRow } from '../db/tables.js';

/**
 * Who works a body's correspondence (reads it, answers, asks for clarification, drafts replies
 * to members): its caseworkers and team leaders (and admins). Other bodies' staff get 404.
 */
export function mayWorkCorrespondence(user: CurrentUser | null, organisationId: string): boolean {
  return (
    isStaffOf(user, organisationId, 'caseworker') || isStaffOf(user, organisationId, 'team-leader')
  );
}

/** Who clears a reply to a member before it is sent: the body's team leaders (and admins). */
export function mayClearReply(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'team-leader');
}

/** Who sets the body's complaint stages and member reply time: its service owners (and admins). */
export function maySetCorrespondenceRules(
  user: CurrentUser | null,
  organisationId: string,
): boolean {
  return isStaffOf(user, organisationId, 'service-owner');
}

/** Whether to show "Correspondence" in the staff navigation. */
export function isCorrespondenceStaff(user: CurrentUser | null): boolean {
  return (
    !!user?.organisationId &&
    (mayWorkCorrespondence(user, user.organisationId) ||
      maySetCorrespondenceRules(user, user.organisationId))
  );
}

/**
 * The account a new complaint or request is filed under: a signed-in person acting for
 * themselves. Anyone else (not signed in, staff, an agent for a client) makes it without one.
 */
export function requesterAccount(user: CurrentUser | null): string | null {
  return user && user.kind === 'citizen' && !user.actingFor ? user.id : null;
}

/** Who sees a complaint or request under their account: the person who made it, signed in. */
export function mayViewOwn(
  user: CurrentUser | null,
  item: Pick<CorrespondenceRow, 'account_id'>,
): boolean {
  return !!user && !user.actingFor && item.account_id !== null && item.account_id === user.id;
}

/** Who may take their own complaint to stage 2: its maker, once stage 1 is answered. */
export function mayEscalateOwn(
  user: CurrentUser | null,
  item: Pick<CorrespondenceRow, 'account_id' | 'kind' | 'state' | 'stage'>,
): boolean {
  return mayViewOwn(user, item) && isEscalatable(item);
}

/** A complaint answered at stage 1 may go to stage 2. */
export function isEscalatable(item: Pick<CorrespondenceRow, 'kind' | 'state' | 'stage'>): boolean {
  return item.kind === 'complaint' && item.state === 'responded' && item.stage === 1;
}
