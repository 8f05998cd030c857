import type { Actor } from '../../../platform/audit/audit.js';
import type { CurrentUser } from '../../../platform/http/types.js';

/** Who is doing something to a case, and the request it came in on (for the audit log). */
export interface CaseActor {
  user: CurrentUser;
  requestId?: string | undefined;
  /**
   * Set only by the answer to a request for information, once its policy found the person
   * signed in with the confirmed e-mail address an application without an account gave
   * (`answererRole`: 'email-holder'): the move their answer makes is the applicant's action.
   */
  answersForApplicant?: boolean;
}

/**
 * The audit log's actor: staff by their first casework role, an agent as `agent`, the applicant
 * as `citizen`.
 */
export function auditActor({ user, requestId }: CaseActor): Actor {
  const role =
    user.kind === 'staff'
      ? (['caseworker', 'team-leader', 'service-owner', 'admin'].find((r) =>
          user.roles.includes(r),
        ) ?? 'staff')
      : user.actingFor
        ? 'agent'
        : 'citizen';
  return { userId: user.id, organisationId: user.organisationId, role, requestId };
}
