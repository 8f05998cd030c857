import type { FastifyInstance } from 'fastify';
import { formText, safeReturnPath } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import {
  activeSessions,
  endAllSessions,
  SESSION_COOKIE,
  touchSession,
  unlockAccount,
} from '../../commands/sessions.js';
import { requireSignIn } from '../../guards.js';
import { securityEvents } from './events.js';

const SECURITY = 'modules/identity/pages/security/security.njk';
const UNLOCK = 'modules/identity/pages/security/unlock.njk';

/**
 * The person's Security page (their sessions and security events, and "sign out everywhere"),
 * the "stay signed in" link, and the unlock link e-mailed when an account is locked.
 */
export function securityRoutes(
  app: FastifyInstance,
  { db, accountEvent, wakeOutbox, config }: AppContext,
): void {
  const idleMinutes = config.SESSION_IDLE_MINUTES;
  app.get('/account/security', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const [sessions, events] = await Promise.all([
      activeSessions(db, user.id, request.cookies[SESSION_COOKIE], idleMinutes),
      securityEvents(db, user.id, request.t),
    ]);
    return reply.view(SECURITY, { sessions, events, idleMinutes });
  });

  app.post('/account/security/sign-out-everywhere', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const ended = await endAllSessions(db, user.id, { requestId: request.id, accountEvent });
    wakeOutbox();
    request.log.info({ userId: user.id, sessions: ended }, 'signed out everywhere');
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/signed-out?reason=everywhere', 303);
  });

  // Without JavaScript, "stay signed in" is a link: it marks the session as used and goes back.
  app.get('/session/keep-alive', async (request, reply) => {
    const returnTo = safeReturnPath((request.query as { returnTo?: unknown }).returnTo);
    const token = request.cookies[SESSION_COOKIE];
    if (!request.user || !token) {
      return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`, 303);
    }
    await touchSession(db, token, idleMinutes);
    return reply.redirect(returnTo, 303);
  });

  // With JavaScript, the time-out warning's "Stay signed in" button posts here (CSRF token
  // in the body, like any form) and stays on the page: 204, or 401 when the session has ended.
  app.post('/session/keep-alive', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!request.user || !token) return reply.code(401).send();
    await touchSession(db, token, idleMinutes);
    return reply.code(204).send();
  });

  app.get('/unlock', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const outcome = await unlockAccount(db, formText(query, 'user'), formText(query, 'code'), {
      requestId: request.id,
    });
    if (!outcome.ok) {
      request.log.info({ reason: outcome.reason }, 'unlock link refused');
      return reply.code(400).view(UNLOCK, { unlocked: false });
    }
    return reply.view(UNLOCK, { unlocked: true });
  });
}
