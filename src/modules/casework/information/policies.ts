import type { CurrentUser } from '../../../platform/http/types.js';
import type { CaseRow } from '../db/tables.js';
import { canWorkCase, isAgentFor, isApplicantOf } from '../policies/cases.js';

/**
 * Only staff who work cases of the body that owns the case (its caseworkers and team leaders)
 * ask its applicant for information or cancel a request: a body the case was shared with reads
 * what it was given, but does not write to someone else's applicant.
 */
export function canAskForInformation(
  user: CurrentUser | null,
  caseRow: Pick<CaseRow, 'organisation_id'>,
): boolean {
  return canWorkCase(user, caseRow);
}

/** How the person answering is allowed to: as the applicant, their agent, or the e-mail's owner. */
export type AnswererRole = 'applicant' | 'agent' | 'email-holder';

/** What the policy needs beyond the user and the case, found by the query first. */
export interface AnswerFacts {
  /** The agents module's `canActFor` for the case's applicant in the case's service. */
  agentHasAuthority: boolean;
  /** For an application sent without an account: the e-mail address it gave (the request went there). */
  applicationEmail: string | null;
  /** Whether the signed-in person's own e-mail address is confirmed. */
  emailConfirmed: boolean;
}

/**
 * Who may see and answer a request for information on a case:
 *
 * - the applicant, signed in to their own account;
 * - an agent acting for the applicant, with authority for the case's service;
 * - for an application sent without an account, a person signed in with a confirmed account
 *   whose e-mail address is the one the application gave — proof they hold the mailbox the
 *   request was sent to, which is all the e-mail itself relies on.
 *
 * Staff never answer for the applicant; anyone else is refused (the page then says "not
 * found", so references cannot be probed).
 */
export function answererRole(
  user: CurrentUser | null,
  caseRow: Pick<CaseRow, 'organisation_id' | 'applicant_user_id'>,
  facts: AnswerFacts,
): AnswererRole | null {
  if (isApplicantOf(user, caseRow)) return 'applicant';
  if (isAgentFor(user, caseRow, facts.agentHasAuthority)) return 'agent';
  if (
    user?.kind === 'citizen' &&
    !user.actingFor &&
    caseRow.applicant_user_id === null &&
    facts.applicationEmail !== null &&
    facts.emailConfirmed &&
    sameAddress(user.email, facts.applicationEmail)
  )
    return 'email-holder';
  return null;
}

function sameAddress(one: string, other: string): boolean {
  return one.trim().toLowerCase() === other.trim().toLowerCase();
}

/**
 * Only the applicant (or their agent with authority) asks for a review of a decision: it is
 * the workflow's applicant action, which needs the applicant's account.
 */
export function canAskForReview(
  user: CurrentUser | null,
  caseRow: Pick<CaseRow, 'organisation_id' | 'applicant_user_id'>,
  agentHasAuthority: boolean,
): boolean {
  return isApplicantOf(user, caseRow) || isAgentFor(user, caseRow, agentHasAuthority);
}
