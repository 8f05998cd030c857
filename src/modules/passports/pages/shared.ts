import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import type { CurrentUser } from '../../../platform/http/types.js';

/** The signed-in person as the audit log records them. */
export function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role:
      user.kind === 'staff'
        ? user.roles.includes('admin')
          ? 'admin'
          : (user.roles[0] ?? 'staff')
        : user.kind,
    requestId: request.id,
  };
}
