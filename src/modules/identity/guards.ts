import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../platform/http/types.js';

/**
 * The signed-in user, or a redirect to sign in that comes back here afterwards.
 * Returns null when it has already replied.
 *
 * @example const user = requireSignIn(request, reply); if (!user) return reply;
 */
export function requireSignIn(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  if (request.user) return request.user;
  const returnTo = request.method === 'GET' ? request.url : '/';
  void reply.redirect(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`, 303);
  return null;
}
