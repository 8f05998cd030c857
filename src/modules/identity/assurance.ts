import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../platform/http/types.js';
import { requireSignIn } from './guards.js';

/** The seeds' four levels of authentication: 0 anonymous, 1 password, 2 + second factor, 3 + identity verified. */
export type AssuranceLevel = 0 | 1 | 2 | 3;

/** The level a signed-in session gives, from its credential and what is known of the person. */
export function assuranceLevel(user: CurrentUser | null): AssuranceLevel {
  if (!user) return 0;
  if (user.credentialLevel !== 'Cl.Cm') return 1;
  return user.identityLevel === 'P2' ? 3 : 2;
}

/** The level as a One Login vector of trust (RFC 8485): `Cl`, `Cl.Cm` or `Cl.Cm.P2`. */
export function vectorOfTrust(user: CurrentUser): 'Cl' | 'Cl.Cm' | 'Cl.Cm.P2' {
  const level = assuranceLevel(user);
  return level >= 3 ? 'Cl.Cm.P2' : level === 2 ? 'Cl.Cm' : 'Cl';
}

/** Where to go to raise a session to a level, coming back to `returnTo` afterwards. */
export function stepUpPath(level: AssuranceLevel, returnTo: string): string {
  const back = encodeURIComponent(returnTo);
  if (level >= 3) return `/verify?returnTo=${back}`;
  return `/sign-in/second-factor?returnTo=${back}`;
}

/**
 * The user, if their session is at least at `level`; otherwise replies with a redirect to
 * sign in or to step up in place, returning here afterwards, and gives null.
 *
 * @example const user = requireLevel(request, reply, 2); if (!user) return reply;
 */
export function requireLevel(
  request: FastifyRequest,
  reply: FastifyReply,
  level: AssuranceLevel,
): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (assuranceLevel(user) >= level) return user;
  const returnTo = request.method === 'GET' ? request.url : '/';
  // A second factor comes before identity: step up one level at a time.
  const next = assuranceLevel(user) < 2 ? 2 : level;
  void reply.redirect(stepUpPath(next as AssuranceLevel, returnTo), 303);
  return null;
}
