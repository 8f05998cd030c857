import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import { recordAudit } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import { errorView, formText, safeReturnPath } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireLevel } from '../../assurance.js';
import {
  beginTotpSetup,
  confirmCodeSetup,
  confirmTotpSetup,
  groupSecret,
  methodAvailable,
  pendingTotp,
  phoneEnding,
  removeSecondFactor,
  sendCode,
  SETUP_CODE,
  totpKey,
  type CodeMethod,
} from '../../commands/second-factor.js';
import { rotateSession, SESSION_COOKIE } from '../../commands/sessions.js';
import { SECOND_FACTORS, type SecondFactor, type UserRow } from '../../db/tables.js';
import { requireSignIn } from '../../guards.js';
import { findUserById } from '../../queries/users.js';
import { perAccountCodeLimit, setSessionCookie } from '../sign-in/second-factor.js';

const CHOOSE = 'modules/identity/pages/second-factor/choose.njk';
const APP = 'modules/identity/pages/second-factor/app.njk';
const CODE = 'modules/identity/pages/second-factor/code.njk';
const BASE = '/account/second-factor';

function actorOf(request: FastifyRequest, user: UserRow): Actor {
  return {
    userId: user.id,
    organisationId: user.organisation_id,
    role: user.kind,
    requestId: request.id,
  };
}

/** `?returnTo=…` to carry along, or ''. */
function carry(returnTo: string, first = '?'): string {
  return returnTo ? `${first}returnTo=${encodeURIComponent(returnTo)}` : '';
}

/**
 * Setting up, changing and turning off the second factor (`/account/second-factor`): an
 * authenticator app (TOTP), a code by text message to a confirmed phone, or a code by e-mail.
 * Each is proved with a code before it counts. Someone who has a second factor must use it
 * (be at level 2) before changing it, so a stolen password cannot replace it. Proving a new
 * one raises the session to `Cl.Cm`, so step-up for someone with none is: set one up, go back.
 */
export function secondFactorRoutes(
  app: FastifyInstance,
  { db, config, wakeOutbox }: AppContext,
): void {
  const key = totpKey(config);
  const limit = { config: { rateLimit: perAccountCodeLimit(db) } };

  /** Staff keep a second factor while STAFF_SECOND_FACTOR requires one: they cannot turn it off. */
  function staffMustHaveOne(user: Pick<UserRow, 'kind'>): boolean {
    return config.staffSecondFactor && user.kind === 'staff';
  }

  /** The signed-in account, at level 2 if it already has a second factor; else replies. */
  async function load(request: FastifyRequest, reply: FastifyReply) {
    const session = requireSignIn(request, reply);
    if (!session) return undefined;
    const user = await findUserById(db, session.id);
    if (!user) return undefined;
    if (user.second_factor !== 'none' && !requireLevel(request, reply, 2)) return undefined;
    const query = request.query as { returnTo?: string };
    const given = request.method === 'GET' ? query.returnTo : formText(request.body, 'returnTo');
    const returnTo = given ? safeReturnPath(given, '') : '';
    return { session, user, returnTo };
  }

  /** After a new second factor is proved: the session rises to `Cl.Cm` and goes back. */
  async function finish(
    trx: Db,
    request: FastifyRequest,
    reply: FastifyReply,
    session: CurrentUser,
    user: UserRow,
    method: SecondFactor,
  ): Promise<string | undefined> {
    if (session.credentialLevel === 'Cl.Cm') return undefined;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return undefined;
    await recordAudit(trx, actorOf(request, user), {
      action: 'account.second_factor_passed',
      resourceType: 'user',
      resourceId: user.id,
      subjectUserId: user.id,
      details: { method, purpose: 'setup' },
    });
    return rotateSession(trx, token, { credentialLevel: 'Cl.Cm' });
  }

  function done(reply: FastifyReply, token: string | undefined, returnTo: string, method: string) {
    wakeOutbox();
    if (token) setSessionCookie(reply, config, token);
    return reply.redirect(returnTo || `${BASE}?changed=${method}`, 303);
  }

  function renderChoose(
    request: FastifyRequest,
    reply: FastifyReply,
    user: UserRow,
    returnTo: string,
    extra: Record<string, unknown> = {},
  ) {
    const changed = (request.query as { changed?: string }).changed;
    return reply.view(CHOOSE, {
      current: user.second_factor,
      staffMustHaveOne: staffMustHaveOne(user),
      smsAvailable: methodAvailable(user, 'sms'),
      phoneEnding: phoneEnding(user.phone),
      email: user.email,
      returnTo,
      changed: SECOND_FACTORS.includes(changed as SecondFactor) ? changed : undefined,
      fieldErrors: {},
      ...extra,
    });
  }

  app.get(BASE, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    return renderChoose(request, reply, loaded.user, loaded.returnTo);
  });

  app.post(BASE, limit, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const { user, returnTo } = loaded;
    const method = formText(request.body, 'method') as SecondFactor;
    const problem = !SECOND_FACTORS.includes(method)
      ? 'identity.secondFactor.choose.missing'
      : !methodAvailable(user, method)
        ? 'identity.secondFactor.choose.noPhone'
        : method === 'none' && user.second_factor === 'none'
          ? 'identity.secondFactor.choose.missing'
          : method === 'none' && staffMustHaveOne(user)
            ? 'identity.secondFactor.staff.cannotTurnOff'
            : undefined;
    if (problem) {
      return renderChoose(
        request,
        reply.code(400),
        user,
        returnTo,
        errorView([{ field: 'method', message: problem }], request.t),
      );
    }
    if (method === 'totp') {
      await beginTotpSetup(db, key, user);
      return reply.redirect(`${BASE}/app${carry(returnTo)}`, 303);
    }
    if (method === 'none') {
      await db
        .transaction()
        .execute((trx) => removeSecondFactor(trx, user, actorOf(request, user)));
      wakeOutbox();
      return reply.redirect(`${BASE}?changed=none`, 303);
    }
    await db.transaction().execute((trx) => sendCode(trx, user, method, SETUP_CODE, request.t));
    wakeOutbox();
    return reply.redirect(`${BASE}/code?method=${method}${carry(returnTo, '&')}`, 303);
  });

  function renderApp(
    reply: FastifyReply,
    pending: { secret: string; uri: string },
    returnTo: string,
    extra: Record<string, unknown> = {},
  ) {
    return reply.view(APP, {
      secret: groupSecret(pending.secret),
      uri: pending.uri,
      returnTo,
      backLink: `${BASE}${carry(returnTo)}`,
      fieldErrors: {},
      ...extra,
    });
  }

  app.get(`${BASE}/app`, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const pending = pendingTotp(key, loaded.user);
    if (!pending) return reply.redirect(`${BASE}${carry(loaded.returnTo)}`, 303);
    return renderApp(reply, pending, loaded.returnTo);
  });

  app.post(`${BASE}/app`, limit, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const { session, user, returnTo } = loaded;
    const pending = pendingTotp(key, user);
    if (!pending) return reply.redirect(`${BASE}${carry(returnTo)}`, 303);
    const result = await db.transaction().execute(async (trx) => {
      const outcome = await confirmTotpSetup(
        trx,
        key,
        user,
        formText(request.body, 'code'),
        actorOf(request, user),
      );
      if (!outcome.ok) return outcome;
      return { ok: true as const, token: await finish(trx, request, reply, session, user, 'totp') };
    });
    if (!result.ok)
      return renderApp(reply.code(400), pending, returnTo, errorView(result.errors, request.t));
    return done(reply, result.token, returnTo, 'totp');
  });

  function renderCode(
    reply: FastifyReply,
    user: UserRow,
    method: CodeMethod,
    returnTo: string,
    extra: Record<string, unknown> = {},
  ) {
    return reply.view(CODE, {
      method,
      email: user.email,
      phoneEnding: phoneEnding(user.phone),
      returnTo,
      backLink: `${BASE}${carry(returnTo)}`,
      fieldErrors: {},
      ...extra,
    });
  }

  function codeMethod(value: unknown): CodeMethod {
    return value === 'sms' ? 'sms' : 'email';
  }

  app.get(`${BASE}/code`, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const method = codeMethod((request.query as { method?: string }).method);
    return renderCode(reply, loaded.user, method, loaded.returnTo);
  });

  app.post(`${BASE}/code`, limit, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const { session, user, returnTo } = loaded;
    const result = await db.transaction().execute(async (trx) => {
      const outcome = await confirmCodeSetup(
        trx,
        user,
        formText(request.body, 'code'),
        actorOf(request, user),
      );
      if (!outcome.ok) return outcome;
      const token = await finish(trx, request, reply, session, user, outcome.method);
      return { ok: true as const, token, method: outcome.method };
    });
    if (!result.ok) {
      const method = codeMethod(formText(request.body, 'method'));
      return renderCode(
        reply.code(400),
        user,
        method,
        returnTo,
        errorView(result.errors, request.t),
      );
    }
    return done(reply, result.token, returnTo, result.method);
  });
}
