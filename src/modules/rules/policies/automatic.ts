/**
 * Who may let a service's rules decide (whoever may write its rules), and who may ask for a
 * person to review an automatic decision (the applicant, or an agent acting for them).
 */
import type { CurrentUser } from '../../../platform/http/types.js';
import type { OwnedServiceSummary } from '../../catalogue/index.js';
import { canEditRules } from './rules.js';

/** Whether the user may turn deciding by rules on or off and set the sample for this service. */
export function canSetAutomation(
  user: CurrentUser | null,
  service: Pick<OwnedServiceSummary, 'organisationId' | 'ownerUserId'>,
): boolean {
  return canEditRules(user, service);
}

/**
 * Whether the user may ask for a person to review the automatic decision on this application:
 * its applicant themselves. (An agent's access to the application is checked by the submissions
 * module before this is asked; staff never ask on a person's behalf here.)
 */
export function mayAskForReview(
  user: CurrentUser | null,
  submission: { applicant_user_id: string | null },
  asAgent: boolean,
): boolean {
  if (!user || user.organisationId) return false;
  return (
    asAgent || (submission.applicant_user_id !== null && submission.applicant_user_id === user.id)
  );
}
