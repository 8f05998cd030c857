import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import type { CurrentUser } from '../../../platform/http/types.js';

/** The signed-in person or member of staff as the audit log records them. */
export function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.kind,
    requestId: request.id,
  };
}

/** A single query-string value, or ''. */
export function queryText(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
}
