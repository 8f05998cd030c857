import type { FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../identity/index.js';
import type { AgentsActor } from '../commands/actor.js';
import { sessionIdHash } from '../commands/acting.js';
import type { CurrentUser } from '../../../platform/http/types.js';

export function actorOf(request: FastifyRequest, user: CurrentUser): AgentsActor {
  return { user, requestId: request.id };
}

/** The key of this request's session, for acting entries; null when there is no session cookie. */
export function sessionHashOf(request: FastifyRequest): string | null {
  const token = request.cookies[SESSION_COOKIE];
  return token ? sessionIdHash(token) : null;
}

/** Codes are typed by people: ten tries a minute per account is plenty and slows guessing. */
export const CODE_RATE_LIMIT = {
  max: 10,
  timeWindow: 60_000,
  hook: 'preHandler' as const,
  keyGenerator: (request: FastifyRequest) => `agents-code:${request.user?.id ?? request.ip}`,
};

export function param(request: FastifyRequest, name: string): string {
  return String((request.params as Record<string, unknown>)[name] ?? '');
}
