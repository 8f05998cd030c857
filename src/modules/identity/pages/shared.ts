import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../platform/config/config.js';
import type { Db } from '../../../platform/db/database.js';
import { formText } from '../../../platform/http/forms.js';
import {
  SESSION_COOKIE,
  SESSION_HOURS,
  sessionOrigin,
  startSession,
} from '../commands/sessions.js';

/** Starts a session for the user, sets its cookie and sends them on to where they were going. */
export async function signInAs(
  db: Db,
  config: Config,
  reply: FastifyReply,
  userId: string,
  returnTo: string,
) {
  const session = await startSession(db, userId, sessionOrigin(reply.request));
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.baseUrl.startsWith('https://'),
    maxAge: SESSION_HOURS * 3600,
  });
  return reply.redirect(returnTo, 303);
}

/**
 * Attempts counted per address and per e-mail, in the database so every node counts them,
 * so that guessing one account's password is slow while an office sharing an address can
 * still sign in.
 */
export function perAccountRateLimit(config: Config) {
  return {
    max: config.SIGN_IN_ATTEMPTS_PER_MINUTE,
    timeWindow: 60_000,
    hook: 'preHandler' as const, // after the body is parsed, so the e-mail is known
    keyGenerator: (request: FastifyRequest) =>
      `${request.ip}:${formText(request.body, 'email').toLowerCase()}`,
  };
}
