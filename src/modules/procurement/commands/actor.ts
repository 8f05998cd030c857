import type { Actor } from '../../../platform/audit/audit.js';
import type { CurrentUser } from '../../../platform/http/types.js';

/** Who is acting in a procurement command: the signed-in person and the request. */
export interface ProcurementActor {
  user: CurrentUser;
  requestId?: string | undefined;
  /** The site's address, for links in the e-mails a command queues (config.baseUrl). */
  baseUrl?: string | undefined;
  /** The site's registered OCDS prefix for new notices' ocids (config.OCDS_OCID_PREFIX). */
  ocidPrefix?: string | undefined;
}

/** The audit log's view of the actor, with the role they act in. */
export function auditActor(actor: ProcurementActor, role: string): Actor {
  return {
    userId: actor.user.id,
    organisationId: actor.user.organisationId,
    role,
    requestId: actor.requestId,
  };
}
