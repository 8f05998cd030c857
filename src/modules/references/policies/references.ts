import type { CurrentUser } from '../../../platform/http/types.js';
import { isCitizen, isStaffOf } from '../../identity/index.js';
import type { HubCaller } from '../../submissions/index.js';

/**
 * A body's caseworkers, team leaders and administrators register its references, see them and
 * work its resolution queue; nobody sees another body's references.
 */
export function mayKeepReferences(user: CurrentUser | null, organisationId: string): boolean {
  return (
    isStaffOf(user, organisationId, 'caseworker') || isStaffOf(user, organisationId, 'team-leader')
  );
}

/** A body's back office registers references and looks people up with its hub `receive` key. */
export function mayUseReferenceApi(caller: HubCaller): boolean {
  return caller.scope === 'receive';
}

/**
 * A person sees the bodies that hold a link to them, and confirms or declines a record that
 * may be theirs, only for themselves (an agent acting for them does not: it is about who they are)
 * and only with a proved identity for confirming.
 */
export function mayConfirmOwnRecords(user: CurrentUser | null): boolean {
  return isCitizen(user) && !user?.actingFor && user?.identityLevel === 'P2';
}

/** The bodies linked to a person are listed to the person themselves. */
export function maySeeOwnLinks(user: CurrentUser | null): boolean {
  return isCitizen(user) && !user?.actingFor;
}
