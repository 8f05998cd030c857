import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';
import { findOrganisationById } from '../../organisations/index.js';
import { sendNewSignInMail, shortUserAgent } from '../security-mail.js';
import { checkCode } from './codes.js';
import { holdForSecondFactor, staffSecondFactorStep } from '../staff-second-factor.js';
import type { SecondFactor } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';

export const SESSION_COOKIE = 'ju_session';
/** Absolute lifetime: a session ends this long after sign-in, however active. */
export const SESSION_HOURS = 8;
/** A session not used for this long ends: the default of `SESSION_IDLE_MINUTES`. */
export const IDLE_MINUTES = 30;
/** last_seen_at is written at most this often per session, not on every request. */
export const TOUCH_SECONDS = 60;

/** The database key of a session token: only this hash is stored, never the token. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Runs `work` in the caller's transaction, or in a new one when given the database. */
async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** Where a sign-in came from: the browser, the request (for the audit log), an earlier session. */
export interface SessionOrigin {
  userAgent?: string | undefined;
  requestId?: string | undefined;
  /** The token of a session the browser already had: it is ended, so each sign-in gets a new token. */
  previousToken?: string | undefined;
}

/** The {@link SessionOrigin} of a request. */
export function sessionOrigin(request: FastifyRequest): SessionOrigin {
  return {
    userAgent: request.headers['user-agent'],
    requestId: request.id,
    previousToken: request.cookies[SESSION_COOKIE],
  };
}

/**
 * Starts a session; the token goes in the cookie, only its hash in the database. It ends
 * `SESSION_HOURS` after now whatever happens, and earlier after `IDLE_MINUTES` unused.
 * Given an origin (an interactive sign-in), it also ends the browser's previous session
 * (so the token is never reused across a sign-in), records `account.signed_in` and e-mails
 * the account holder "New sign-in to your account".
 *
 * @example const { token } = await startSession(db, user.id, sessionOrigin(request));
 */
export async function startSession(
  db: Db,
  userId: string,
  origin?: SessionOrigin,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  const userAgent = shortUserAgent(origin?.userAgent);
  await inTransaction(db, async (trx) => {
    if (origin?.previousToken) {
      await trx
        .deleteFrom('sessions')
        .where('id_hash', '=', hashSessionToken(origin.previousToken))
        .execute();
    }
    await trx
      .insertInto('sessions')
      .values({
        id_hash: hashSessionToken(token),
        user_id: userId,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        user_agent: userAgent,
      })
      .execute();
    if (!origin) return;
    const user = await trx
      .selectFrom('users')
      .select(['id', 'email', 'organisation_id'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    await recordAudit(
      trx,
      { userId, organisationId: user.organisation_id, role: null, requestId: origin.requestId },
      {
        action: 'account.signed_in',
        resourceType: 'user',
        resourceId: userId,
        subjectUserId: userId,
        details: { userAgent },
      },
    );
    await sendNewSignInMail(trx, user, { at: now, userAgent });
  });
  return { token, expiresAt };
}

/**
 * Replaces a session with a new token after a step-up (e.g. a second factor), so a token seen
 * before the step-up is worth nothing after it. The sign-in time, absolute expiry and browser
 * carry over; the credential level may rise. Returns the new token for the cookie.
 *
 * @example const token = await rotateSession(db, request.cookies[SESSION_COOKIE]!, { credentialLevel: 'Cl.Cm' });
 */
export async function rotateSession(
  db: Db,
  oldToken: string,
  changes: { credentialLevel?: 'Cl' | 'Cl.Cm' },
): Promise<string> {
  const token = newToken();
  // Updated in place, so whatever hangs off the session (e.g. an agent acting for a client,
  // by a foreign key with on update cascade) follows it to the new token.
  const rotated = await db
    .updateTable('sessions')
    .set((eb) => ({
      id_hash: hashSessionToken(token),
      credential_level: changes.credentialLevel ?? eb.ref('credential_level'),
      last_seen_at: new Date(),
    }))
    .where('id_hash', '=', hashSessionToken(oldToken))
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (Number(rotated.numUpdatedRows) !== 1) {
    throw new AppError('session_ended', 401, 'Your session has ended: sign in again');
  }
  return token;
}

/** Ends one session (signing out) and records `account.signed_out` for its owner. */
export async function endSession(
  db: Db,
  token: string,
  origin: { requestId?: string | undefined; reason?: 'idle' | 'expired' } = {},
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const ended = await trx
      .deleteFrom('sessions')
      .where('id_hash', '=', hashSessionToken(token))
      .returning('user_id')
      .executeTakeFirst();
    if (!ended) return;
    await recordAudit(
      trx,
      {
        userId: origin.reason ? null : ended.user_id,
        organisationId: null,
        role: null,
        requestId: origin.requestId,
      },
      {
        action: 'account.signed_out',
        resourceType: 'user',
        resourceId: ended.user_id,
        subjectUserId: ended.user_id,
        details: origin.reason ? { reason: origin.reason } : {},
      },
    );
  });
}

/**
 * "Sign out everywhere": ends every session of a person, this one included, and records
 * `account.signed_out_everywhere`. Returns how many sessions ended.
 */
export async function endAllSessions(
  db: Db,
  userId: string,
  origin: { requestId?: string | undefined; accountEvent?: AppContext['accountEvent'] } = {},
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const ended = await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await origin.accountEvent?.(trx, { type: 'signed-out-everywhere', userId });
    const count = ended.reduce((sum, r) => sum + Number(r.numDeletedRows), 0);
    await recordAudit(
      trx,
      { userId, organisationId: null, role: null, requestId: origin.requestId },
      {
        action: 'account.signed_out_everywhere',
        resourceType: 'user',
        resourceId: userId,
        subjectUserId: userId,
        details: { sessions: count },
      },
    );
    return count;
  });
}

/** One of a person's sessions as the Security page lists it. */
export interface ActiveSession {
  startedAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  credentialLevel: 'Cl' | 'Cl.Cm';
  /** The session of the browser asking. */
  current: boolean;
}

/** A person's sessions that have neither expired nor gone idle, newest first. */
export async function activeSessions(
  db: Db,
  userId: string,
  currentToken?: string,
  idleMinutes = IDLE_MINUTES,
): Promise<ActiveSession[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id_hash', 'created_at', 'last_seen_at', 'user_agent', 'credential_level'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now()`)
    .where('last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
    .orderBy('created_at', 'desc')
    .execute();
  const currentHash = currentToken ? hashSessionToken(currentToken) : undefined;
  return rows.map((r) => ({
    startedAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    userAgent: r.user_agent,
    credentialLevel: r.credential_level,
    current: r.id_hash === currentHash,
  }));
}

/** A live session's person and the whole seconds until it goes idle if unused; or why there is none. */
export type SessionLookup =
  | { user: CurrentUser; idleSecondsLeft: number; secondFactor: SecondFactor }
  | { user: null; ended: 'idle' | 'expired' | 'unknown' };

/**
 * The person a session token belongs to. A session past its absolute expiry or idle for
 * `IDLE_MINUTES` is deleted and reported as ended; a live one has last_seen_at refreshed,
 * at most once every `TOUCH_SECONDS` so that pages do not each cost a write.
 */
export async function resolveSession(
  db: Db,
  token: string,
  options: { touch?: 'throttled' | 'always'; requestId?: string; idleMinutes?: number } = {},
): Promise<SessionLookup> {
  const idleMinutes = options.idleMinutes ?? IDLE_MINUTES;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.kind',
      'users.organisation_id',
      'users.roles',
      'users.identity_level',
      'users.second_factor',
      'sessions.id_hash',
      'sessions.credential_level',
      sql<boolean>`sessions.expires_at <= now()`.as('expired'),
      sql<boolean>`sessions.last_seen_at <= now() - make_interval(mins => ${idleMinutes})`.as(
        'idle',
      ),
      sql<number>`cast(extract(epoch from sessions.last_seen_at + make_interval(mins => ${idleMinutes}) - now()) as double precision)`.as(
        'idle_seconds_left',
      ),
      sql<boolean>`sessions.last_seen_at <= now() - make_interval(secs => ${TOUCH_SECONDS})`.as(
        'stale',
      ),
    ])
    .where('sessions.id_hash', '=', hashSessionToken(token))
    .executeTakeFirst();
  if (!row) return { user: null, ended: 'unknown' };
  if (row.expired || row.idle) {
    const reason = row.expired ? 'expired' : 'idle';
    await endSession(db, token, { reason, requestId: options.requestId });
    return { user: null, ended: reason };
  }
  const touch = row.stale || options.touch === 'always';
  if (touch) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now()` as never })
      .where('id_hash', '=', row.id_hash)
      .execute();
  }
  // The organisation's name through its own module (staff only; citizens belong to none).
  const organisation = row.organisation_id
    ? await findOrganisationById(db, row.organisation_id)
    : undefined;
  return {
    user: {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      kind: row.kind,
      organisationId: row.organisation_id,
      organisationName: organisation?.name ?? null,
      roles: row.roles,
      credentialLevel: row.credential_level,
      identityLevel: row.identity_level,
    },
    secondFactor: row.second_factor,
    // Rounded up, so a page counting down reaches zero no sooner than the session goes idle.
    idleSecondsLeft: touch
      ? idleMinutes * 60
      : Math.max(0, Math.ceil(Number(row.idle_seconds_left))),
  };
}

/** The person a session token belongs to, or null if it is unknown, expired or idle. */
export async function userForSession(db: Db, token: string): Promise<CurrentUser | null> {
  return (await resolveSession(db, token)).user;
}

/** Paths never redirected to "You have been signed out": APIs, assets, and the sign-in pages. */
const NO_SIGNED_OUT_REDIRECT =
  /^\/(api|assets|healthz|readyz|metrics|oidc|\.well-known|sign-in|signed-out|unlock)(\/|\?|$)/;

const idleSecondsLeftOf = new WeakMap<FastifyRequest, number>();

/**
 * How many seconds the request's session has before it goes idle if unused (null when signed
 * out): the time-out warning counts down from it.
 */
export function sessionIdleSecondsLeft(request: FastifyRequest): number | null {
  return idleSecondsLeftOf.get(request) ?? null;
}

/**
 * The onRequest hook that sets `request.user` from the session cookie. When the cookie's
 * session turns out idle or expired, the cookie is cleared and a page request (GET, not an
 * API) goes to `/signed-out?reason=idle|expired` to say why; anything else carries on signed out.
 *
 * With `staffSecondFactor`, a member of staff whose session has not given a second factor is
 * held at its set-up, or at giving it (staff-second-factor.ts), until it has.
 *
 * @example app.addHook('onRequest', sessionHook(db, config.SESSION_IDLE_MINUTES));
 */
export function sessionHook(
  db: Db,
  idleMinutes = IDLE_MINUTES,
  options: { staffSecondFactor?: boolean } = {},
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    request.user = null;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const found = await resolveSession(db, token, { requestId: request.id, idleMinutes });
    if (found.user) {
      request.user = found.user;
      idleSecondsLeftOf.set(request, found.idleSecondsLeft);
      const required = options.staffSecondFactor ?? false;
      const step = staffSecondFactorStep(found.user, found.secondFactor, required);
      if (step) return holdForSecondFactor(request, reply, step);
      return;
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    if (
      found.ended !== 'unknown' &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !NO_SIGNED_OUT_REDIRECT.test(request.url)
    ) {
      const returnTo = encodeURIComponent(request.url);
      return reply.redirect(`/signed-out?reason=${found.ended}&returnTo=${returnTo}`, 303);
    }
  };
}

/** Marks the session as used now, whatever the throttle: the "stay signed in" link and button. */
export async function touchSession(
  db: Db,
  token: string,
  idleMinutes = IDLE_MINUTES,
): Promise<void> {
  await resolveSession(db, token, { touch: 'always', idleMinutes });
}

/** The one-time code purpose of the link that unlocks a locked account (destination: user id). */
export const UNLOCK_PURPOSE = 'unlock';

/**
 * Unlocks an account with the code from the e-mailed link: the code is spent, the wrong-password
 * count and lock are cleared and `account.unlocked` recorded. A wrong, used or expired code
 * changes nothing.
 */
export async function unlockAccount(
  db: Db,
  userId: string,
  code: string,
  origin: { requestId?: string | undefined } = {},
): Promise<
  { ok: true } | { ok: false; reason: 'wrong' | 'expired' | 'used' | 'none' | 'too-many' }
> {
  if (!isUuid(userId) || !/^\d{1,12}$/.test(code)) return { ok: false, reason: 'wrong' };
  return inTransaction(db, async (trx) => {
    const checked = await checkCode(trx, UNLOCK_PURPOSE, userId, code);
    if (!checked.ok) return checked;
    await trx
      .updateTable('users')
      .set({ failed_sign_ins: 0, locked_until: null })
      .where('id', '=', userId)
      .execute();
    await recordAudit(
      trx,
      { userId: null, organisationId: null, role: null, requestId: origin.requestId },
      {
        action: 'account.unlocked',
        resourceType: 'user',
        resourceId: userId,
        subjectUserId: userId,
        details: { by: 'e-mail link' },
      },
    );
    return { ok: true as const };
  });
}
