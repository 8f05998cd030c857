import type { Actor } from '../../../platform/audit/audit.js';
import type { CurrentUser } from '../../../platform/http/types.js';

/** Who is doing something here: the signed-in person and the request, for the audit log. */
export interface AgentsActor {
  user: CurrentUser;
  requestId?: string | undefined;
}

export function auditActor(actor: AgentsActor, role: string | null): Actor {
  return {
    userId: actor.user.id,
    organisationId: actor.user.organisationId,
    role,
    requestId: actor.requestId,
  };
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** The same e-mail rule as registration's, so an invitation can always be accepted. */
export function emailProblem(email: string, prefix: string): string | undefined {
  if (!email) return `${prefix}.missing`;
  if (email.length > 254 || !EMAIL.test(email)) return `${prefix}.invalid`;
  return undefined;
}
