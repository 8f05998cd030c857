/**
 * Who may do what with "My data" and subject access requests. The answers depend only on the
 * person and the request's facts, so each is unit-tested both ways.
 */
import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import type { SubjectAccessRequestRow } from '../db/tables.js';

/**
 * Anyone signed in sees their own data, staff too (their account is theirs). Not while an agent
 * acts for a client: the page would be the agent's, not the client's they are working for.
 */
export function mayViewOwnData(user: CurrentUser | null): user is CurrentUser {
  return !!user && !user.actingFor;
}

/** A citizen acting for themselves asks bodies for what they hold about them. */
export function mayRequestAccess(user: CurrentUser | null): user is CurrentUser {
  return !!user && user.kind === 'citizen' && !user.actingFor;
}

/** Only the person who sent a request sees it as theirs. */
export function isRequester(
  user: CurrentUser | null,
  request: Pick<SubjectAccessRequestRow, 'user_id'>,
): boolean {
  return !!user && !user.actingFor && user.id === request.user_id;
}

/**
 * A body's team leaders and administrators answer the requests sent to it (the staff who can
 * see across its cases); nobody of another body sees them at all.
 */
export function mayHandleRequestsOf(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'team-leader');
}

/** Staff who handle requests for some body: theirs. */
export function handlesRequests(user: CurrentUser | null): user is CurrentUser {
  return !!user?.organisationId && mayHandleRequestsOf(user, user.organisationId);
}

export function mayHandleRequest(
  user: CurrentUser | null,
  request: Pick<SubjectAccessRequestRow, 'organisation_id'>,
): boolean {
  return mayHandleRequestsOf(user, request.organisation_id);
}
