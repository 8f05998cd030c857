/**
 * Who may do what to a case. Every command and query of the casework module asks here first;
 * the answers depend only on the person and the case's facts, so each is unit-tested both ways.
 */
import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import type { CaseRow } from '../db/tables.js';
import type { CaseRole } from '../workflow/schema.js';

type CaseFacts = Pick<CaseRow, 'organisation_id' | 'applicant_user_id'>;

/** Staff of the case's own body who work cases: its caseworkers and team leaders (and admins). */
export function canWorkCase(
  user: CurrentUser | null,
  caseRow: Pick<CaseRow, 'organisation_id'>,
): boolean {
  return (
    isStaffOf(user, caseRow.organisation_id, 'caseworker') ||
    isStaffOf(user, caseRow.organisation_id, 'team-leader')
  );
}

/** The applicant themselves, signed in to their own account (not an agent acting for them). */
export function isApplicantOf(user: CurrentUser | null, caseRow: CaseFacts): boolean {
  return (
    !!user &&
    user.kind === 'citizen' &&
    !user.actingFor &&
    caseRow.applicant_user_id !== null &&
    user.id === caseRow.applicant_user_id
  );
}

/**
 * An agent acting for the applicant acts as the applicant, when the agents module says their
 * authority covers the case's service (`hasAuthority`: `canActFor`, checked on this request).
 */
export function isAgentFor(
  user: CurrentUser | null,
  caseRow: CaseFacts,
  hasAuthority: boolean,
): boolean {
  return (
    !!user &&
    user.kind === 'citizen' &&
    caseRow.applicant_user_id !== null &&
    user.actingFor?.userId === caseRow.applicant_user_id &&
    hasAuthority
  );
}

/**
 * The workflow roles someone has on a case: the body's staff by their staff roles (an admin has
 * both), the applicant (or their agent, given `agentAuthority`) as `applicant`, anyone else none.
 */
export function caseRolesOf(
  user: CurrentUser | null,
  caseRow: CaseFacts,
  agentAuthority = false,
): CaseRole[] {
  if (!user) return [];
  if (user.kind === 'staff') {
    const roles: CaseRole[] = [];
    if (isStaffOf(user, caseRow.organisation_id, 'caseworker')) roles.push('caseworker');
    if (isStaffOf(user, caseRow.organisation_id, 'team-leader')) roles.push('team-leader');
    return roles;
  }
  return isApplicantOf(user, caseRow) || isAgentFor(user, caseRow, agentAuthority)
    ? ['applicant']
    : [];
}

/** Whoever may see a case exists at all (the others get "not found"): its staff and applicant. */
export function canSeeCase(user: CurrentUser | null, caseRow: CaseFacts, agentAuthority = false) {
  return caseRolesOf(user, caseRow, agentAuthority).length > 0;
}

/** Someone a case may be assigned to: a caseworker of the case's body whose account is open. */
export interface Assignee {
  id: string;
  kind: 'citizen' | 'staff';
  organisation_id: string | null;
  roles: readonly string[];
  deleted_at: Date | null;
}

/**
 * Staff of the case's body assign its cases, to themselves or to a colleague of the same body
 * who is a caseworker (or a team leader, who works cases too).
 */
export function canAssign(
  user: CurrentUser | null,
  caseRow: Pick<CaseRow, 'organisation_id'>,
  assignee: Assignee,
): boolean {
  return (
    canWorkCase(user, caseRow) &&
    assignee.kind === 'staff' &&
    assignee.deleted_at === null &&
    assignee.organisation_id === caseRow.organisation_id &&
    ['caseworker', 'team-leader', 'admin'].some((role) => assignee.roles.includes(role))
  );
}

/** Two cases are linked by staff who work both: cases of their own body. */
export function canLink(
  user: CurrentUser | null,
  one: Pick<CaseRow, 'organisation_id'>,
  other: Pick<CaseRow, 'organisation_id'>,
): boolean {
  return canWorkCase(user, one) && canWorkCase(user, other);
}

/** A body's service owners (and admins) write its workflows and choose which a service follows. */
export function canManageWorkflows(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'service-owner');
}
