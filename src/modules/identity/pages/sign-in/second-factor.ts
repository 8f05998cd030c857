import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import type { Config } from '../../../../platform/config/config.js';
import type { Db } from '../../../../platform/db/database.js';
import { errorView, formText, safeReturnPath } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import {
  checkSecondFactor,
  completePendingSignIn,
  findPendingSignIn,
  beginPendingSignIn,
  hasLiveCode,
  PENDING_SIGN_IN_COOKIE,
  PENDING_SIGN_IN_MINUTES,
  phoneEnding,
  sendCode,
  SIGN_IN_CODE,
  totpKey,
} from '../../commands/second-factor.js';
import {
  rotateSession,
  SESSION_COOKIE,
  SESSION_HOURS,
  sessionOrigin,
} from '../../commands/sessions.js';
import type { UserRow } from '../../db/tables.js';
import { findUserById } from '../../queries/users.js';
import { signInAs } from '../shared.js';

const ENTER_CODE = 'modules/identity/pages/sign-in/second-factor.njk';
/** Codes a person may try per account in {@link CODE_WINDOW_MS}, on every node together. */
export const CODE_ATTEMPTS = 10;
export const CODE_WINDOW_MS = 15 * 60_000;

/** Sets the session cookie as signing in does. */
export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.baseUrl.startsWith('https://'),
    maxAge: SESSION_HOURS * 3600,
  });
}

/** Who is giving a second factor: someone part-way through signing in, or signed in and stepping up. */
type Attempt =
  | { mode: 'sign-in'; user: UserRow; returnTo: string; pendingToken: string }
  | { mode: 'step-up'; user: UserRow; returnTo: string; sessionToken: string };

async function attemptOf(
  db: Db,
  request: FastifyRequest,
  returnTo: string,
): Promise<Attempt | undefined> {
  const pendingToken = request.cookies[PENDING_SIGN_IN_COOKIE];
  if (pendingToken) {
    const pending = await findPendingSignIn(db, pendingToken);
    if (pending) return { mode: 'sign-in', ...pending, pendingToken };
  }
  const sessionToken = request.cookies[SESSION_COOKIE];
  if (request.user && sessionToken) {
    const user = await findUserById(db, request.user.id);
    if (user) return { mode: 'step-up', user, returnTo, sessionToken };
  }
  return undefined;
}

/**
 * Code entry limited per account (pending sign-in or session), counted in the database so
 * every node counts together; without either, per address.
 */
export function perAccountCodeLimit(db: Db) {
  return {
    max: CODE_ATTEMPTS,
    timeWindow: CODE_WINDOW_MS,
    hook: 'preHandler' as const,
    keyGenerator: async (request: FastifyRequest) => {
      if (request.user) return `account:${request.user.id}`;
      const pendingToken = request.cookies[PENDING_SIGN_IN_COOKIE];
      const pending = pendingToken ? await findPendingSignIn(db, pendingToken) : undefined;
      return pending ? `account:${pending.user.id}` : `ip:${request.ip}`;
    },
  };
}

function actorOf(request: FastifyRequest, user: UserRow): Actor {
  return {
    userId: user.id,
    organisationId: user.organisation_id,
    role: user.kind,
    requestId: request.id,
  };
}

/**
 * After a right password, for an account with a second factor: no session yet, but a pending
 * sign-in held in the database (its token in a short-lived cookie), and a code sent if the
 * second factor is a text or an e-mail. Replies with the redirect to the code page.
 */
export async function holdForSecondFactor(
  { db, config, wakeOutbox }: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  user: UserRow,
  returnTo: string,
) {
  const token = await db.transaction().execute(async (trx) => {
    const pending = await beginPendingSignIn(trx, user.id, returnTo);
    if (user.second_factor === 'sms' || user.second_factor === 'email')
      await sendCode(trx, user, user.second_factor, SIGN_IN_CODE, request.t);
    return pending;
  });
  wakeOutbox();
  reply.setCookie(PENDING_SIGN_IN_COOKIE, token, {
    path: '/sign-in',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.baseUrl.startsWith('https://'),
    maxAge: PENDING_SIGN_IN_MINUTES * 60,
  });
  return reply.redirect('/sign-in/second-factor', 303);
}

/**
 * Signs someone in after they proved they hold the mailbox (a password reset, a confirmed
 * address). That is the first factor's proof only: an account with a second factor still needs
 * its code, or whoever reads the person's e-mail could get in with a reset.
 */
export async function signInAfterMailboxProof(
  context: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  returnTo: string,
) {
  const user = await findUserById(context.db, userId);
  if (user && user.second_factor !== 'none')
    return holdForSecondFactor(context, request, reply, user, returnTo);
  return signInAs(context.db, context.config, reply, userId, returnTo);
}

/**
 * The second step of signing in, and stepping up in place: `/sign-in/second-factor?returnTo=…`.
 * Someone part-way through signing in gets a `Cl.Cm` session; someone signed in at `Cl` has
 * theirs raised to `Cl.Cm` under a new token. Both go back to where they were going.
 */
export function secondFactorSignInRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, config, wakeOutbox } = context;
  const key = totpKey(config);
  const limit = { config: { rateLimit: perAccountCodeLimit(db) } };

  /** Who is here, or the redirect that sends them where they should be instead. */
  async function resolve(request: FastifyRequest, reply: FastifyReply, given: unknown) {
    const returnTo = safeReturnPath(given);
    const attempt = await attemptOf(db, request, returnTo);
    if (!attempt) {
      void reply.redirect(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`, 303);
      return undefined;
    }
    if (attempt.mode === 'step-up') {
      if (request.user?.credentialLevel === 'Cl.Cm') {
        void reply.redirect(returnTo, 303);
        return undefined;
      }
      if (attempt.user.second_factor === 'none') {
        // Set one up first; proving it there raises the session and comes back to returnTo.
        void reply.redirect(`/account/second-factor?returnTo=${encodeURIComponent(returnTo)}`, 303);
        return undefined;
      }
    }
    return attempt;
  }

  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    attempt: Attempt,
    extra: Record<string, unknown> = {},
  ) {
    return reply.view(ENTER_CODE, {
      method: attempt.user.second_factor,
      email: attempt.user.email,
      phoneEnding: phoneEnding(attempt.user.phone),
      returnTo: attempt.mode === 'step-up' ? attempt.returnTo : '',
      stepUp: attempt.mode === 'step-up',
      fieldErrors: {},
      ...extra,
    });
  }

  app.get('/sign-in/second-factor', async (request, reply) => {
    const query = request.query as { returnTo?: string; sent?: string };
    const attempt = await resolve(request, reply, query.returnTo);
    if (!attempt) return reply;
    const method = attempt.user.second_factor;
    // Stepping up by text or e-mail: send a code unless one is still on its way.
    if (
      (method === 'sms' || method === 'email') &&
      !(await hasLiveCode(db, attempt.user.id, SIGN_IN_CODE))
    ) {
      await db
        .transaction()
        .execute((trx) => sendCode(trx, attempt.user, method, SIGN_IN_CODE, request.t));
      wakeOutbox();
    }
    return render(request, reply, attempt, { sent: query.sent === '1' });
  });

  app.post('/sign-in/second-factor', limit, async (request, reply) => {
    const attempt = await resolve(request, reply, formText(request.body, 'returnTo'));
    if (!attempt) return reply;
    const typed = formText(request.body, 'code');
    const result = await db.transaction().execute(async (trx) => {
      const checked = await checkSecondFactor(trx, key, attempt.user, typed, {
        actor: actorOf(request, attempt.user),
        purpose: attempt.mode,
      });
      if (!checked.ok) return checked;
      const token =
        attempt.mode === 'sign-in'
          ? await completePendingSignIn(
              trx,
              attempt.pendingToken,
              attempt.user.id,
              sessionOrigin(request),
            )
          : await rotateSession(trx, attempt.sessionToken, { credentialLevel: 'Cl.Cm' });
      return { ok: true as const, token };
    });
    if (!result.ok) {
      return render(request, reply.code(400), attempt, errorView(result.errors, request.t));
    }
    wakeOutbox(); // the "new sign-in" e-mail
    setSessionCookie(reply, config, result.token);
    if (attempt.mode === 'sign-in') reply.clearCookie(PENDING_SIGN_IN_COOKIE, { path: '/sign-in' });
    return reply.redirect(attempt.returnTo, 303);
  });

  app.post('/sign-in/second-factor/resend', limit, async (request, reply) => {
    const returnTo = formText(request.body, 'returnTo');
    const attempt = await resolve(request, reply, returnTo);
    if (!attempt) return reply;
    const method = attempt.user.second_factor;
    if (method === 'sms' || method === 'email') {
      await db
        .transaction()
        .execute((trx) => sendCode(trx, attempt.user, method, SIGN_IN_CODE, request.t));
      wakeOutbox();
    }
    const back =
      attempt.mode === 'step-up' ? `&returnTo=${encodeURIComponent(attempt.returnTo)}` : '';
    return reply.redirect(`/sign-in/second-factor?sent=1${back}`, 303);
  });
}
