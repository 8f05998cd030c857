import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import type { CurrentUser } from '../../../platform/http/types.js';

/**
 * The signed-in user as the audit log records them: an adviser by their role (so the person's
 * access log says "counter adviser"), an administrator as such.
 */
export function actorOf(request: Pick<FastifyRequest, 'id'>, user: CurrentUser): Actor {
  const role = user.roles.includes('counter-adviser')
    ? 'counter-adviser'
    : user.roles.includes('platform-admin')
      ? 'platform-admin'
      : user.kind;
  return { userId: user.id, organisationId: user.organisationId, role, requestId: request.id };
}
