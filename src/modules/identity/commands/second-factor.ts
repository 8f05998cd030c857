import { randomBytes } from 'node:crypto';
import { generate, generateSecret, generateURI, verify } from 'otplib';
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import { hashSessionToken } from './sessions.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import type { Translate } from '../../../platform/i18n/i18n.js';
import {
  countSealed,
  resealIfStale,
  sealer,
  type SealedCount,
  type Sealer,
  type SecretSource,
} from '../../../platform/keyring/keyring.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { SMS_TOPIC } from '../../../platform/sms/sms.js';
import type { SecondFactor, UserRow } from '../db/tables.js';
import { sendSecurityMail } from '../security-mail.js';
import { checkCode, issueCode } from './codes.js';
import { rotateSession, startSession, type SessionOrigin } from './sessions.js';

/** The purpose of a code sent by text or e-mail to finish signing in or to step up. */
export const SIGN_IN_CODE = 'sign-in-code';
/** The purpose of a code sent by text or e-mail to prove a new second factor. */
export const SETUP_CODE = 'second-factor-setup';
/** How long a code sent by text or e-mail lasts. */
export const CODE_MINUTES = 10;
/** How long a pending sign-in (right password, no second factor yet) lasts. */
export const PENDING_SIGN_IN_MINUTES = 15;
/** The cookie that names a pending sign-in; it is not a session and opens nothing. */
export const PENDING_SIGN_IN_COOKIE = 'ju_pending_sign_in';
/** The issuer shown in authenticator apps. */
const TOTP_ISSUER = 'Joinedup';

export type CodeMethod = Exclude<SecondFactor, 'none' | 'totp'>;

// --- Sealing the TOTP secret --------------------------------------------------------------

/**
 * The key that seals TOTP secrets at rest: AES-256-GCM, derived with HKDF from the session
 * secrets (src/platform/keyring), so a copy of the database alone does not give anyone's codes
 * away. After SESSION_SECRET changes, a secret sealed under a previous one (still in
 * SESSION_SECRETS_PREVIOUS) opens, and is sealed again under the new one at its next use.
 */
export function totpKey(secrets: SecretSource): Sealer {
  return sealer(secrets, 'joinedup', 'totp-secret-v1');
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url), AES-256-GCM under the current key. */
export function sealSecret(key: Sealer, plain: string): string {
  return key.seal(plain);
}

/** The plain secret from {@link sealSecret}; throws if it was tampered with or no key opens it. */
export function openSecret(key: Sealer, sealed: string): string {
  return key.open(sealed).plain;
}

/**
 * The sealed TOTP secrets (set up, and being set up) counted by the session secret that opens
 * them, for `joinedup secrets:rotate-check`.
 */
export async function sealedTotpCounts(db: Db, secrets: SecretSource): Promise<SealedCount> {
  const rows = await db
    .selectFrom('users')
    .select(['totp_secret', 'totp_pending_secret'])
    .where((eb) =>
      eb.or([eb('totp_secret', 'is not', null), eb('totp_pending_secret', 'is not', null)]),
    )
    .execute();
  const sealed = rows.flatMap((row) => [row.totp_secret, row.totp_pending_secret]);
  return countSealed(
    totpKey(secrets),
    sealed.filter((value): value is string => value !== null),
  );
}

/**
 * Seals again under the current session secret every TOTP secret only a previous one opens, so
 * accounts that do not sign in for a while keep their app when the old secret goes. Each row
 * changes only if it still holds the value read. Returns how many were sealed again.
 */
export async function resealTotpSecrets(db: Db, secrets: SecretSource): Promise<number> {
  const key = totpKey(secrets);
  const rows = await db
    .selectFrom('users')
    .select(['id', 'totp_secret', 'totp_pending_secret'])
    .where((eb) =>
      eb.or([eb('totp_secret', 'is not', null), eb('totp_pending_secret', 'is not', null)]),
    )
    .execute();
  let resealed = 0;
  for (const row of rows) {
    for (const column of ['totp_secret', 'totp_pending_secret'] as const) {
      const was = row[column];
      const now = was ? resealIfStale(key, was) : undefined;
      if (!was || !now) continue;
      const result = await db
        .updateTable('users')
        .set(column === 'totp_secret' ? { totp_secret: now } : { totp_pending_secret: now })
        .where('id', '=', row.id)
        .where(column, '=', was)
        .executeTakeFirst();
      resealed += Number(result.numUpdatedRows);
    }
  }
  return resealed;
}

// --- TOTP ---------------------------------------------------------------------------------

/** A secret in groups of four, for typing into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The current TOTP code for a secret: for tests and the demo, never shown to anyone. */
export async function currentTotp(secret: string, at = Date.now()): Promise<string> {
  return generate({ secret, epoch: Math.floor(at / 1000) });
}

type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'replayed' };

/** Checks a code against a secret, one 30-second step either side, refusing steps ≤ lastStep. */
async function checkTotp(
  secret: string,
  typed: string,
  lastStep: number | null,
): Promise<TotpCheck> {
  const token = typed.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'wrong' };
  const result = await verify({ secret, token, epochTolerance: 30 });
  if (!result.valid || !('timeStep' in result)) return { ok: false, reason: 'wrong' };
  if (lastStep !== null && result.timeStep <= lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step: result.timeStep };
}

/**
 * Seals a TOTP secret that opened under a previous session secret again under the current one,
 * so that secret can leave SESSION_SECRETS_PREVIOUS. Only if it is still the one that was read.
 */
async function resealTotp(
  db: Db,
  key: Sealer,
  userId: string,
  was: string,
  plain: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret: key.seal(plain) })
    .where('id', '=', userId)
    .where('totp_secret', '=', was)
    .execute();
}

/**
 * Records that a TOTP step was used, only if no later step was: two requests racing with the
 * same code cannot both win.
 */
async function spendStep(db: Db, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Starts setting up an authenticator app: a new secret, sealed, waits on the account until a
 * code from the app proves it. Returns what the person types or scans.
 */
export async function beginTotpSetup(
  db: Db,
  key: Sealer,
  user: { id: string; email: string },
): Promise<{ secret: string; uri: string }> {
  const secret = generateSecret();
  await db
    .updateTable('users')
    .set({ totp_pending_secret: sealSecret(key, secret) })
    .where('id', '=', user.id)
    .execute();
  return { secret, uri: generateURI({ issuer: TOTP_ISSUER, label: user.email, secret }) };
}

/** The secret being set up, to show again (e.g. after a wrong code), or null if none. */
export function pendingTotp(
  key: Sealer,
  user: Pick<UserRow, 'email' | 'totp_pending_secret'>,
): { secret: string; uri: string } | null {
  if (!user.totp_pending_secret) return null;
  const secret = openSecret(key, user.totp_pending_secret);
  return { secret, uri: generateURI({ issuer: TOTP_ISSUER, label: user.email, secret }) };
}

// --- Codes by text message and e-mail -----------------------------------------------------

/** The last four digits of a phone number, to say where a code went without showing it all. */
export function phoneEnding(phone: string | null): string {
  return (phone ?? '').replace(/\D/g, '').slice(-4);
}

/** Whether a method can be used by this account: text messages need a confirmed phone. */
export function methodAvailable(
  user: Pick<UserRow, 'phone' | 'phone_verified_at'>,
  method: SecondFactor,
): boolean {
  return method !== 'sms' || Boolean(user.phone && user.phone_verified_at);
}

/**
 * Sends a six-digit code by text or e-mail (through the outbox, in the caller's transaction)
 * for a purpose, replacing any earlier one. The destination of the code is the account, so a
 * person has one live code whichever way it went.
 */
export async function sendCode(
  db: Db,
  user: Pick<UserRow, 'id' | 'email' | 'phone'>,
  method: CodeMethod,
  purpose: typeof SIGN_IN_CODE | typeof SETUP_CODE,
  t: Translate,
): Promise<void> {
  const { id, code } = await issueCode(db, {
    purpose,
    destination: user.id,
    userId: user.id,
    minutes: CODE_MINUTES,
    payload: { method },
  });
  const text = t('identity.secondFactor.message.text', { code, minutes: CODE_MINUTES });
  if (method === 'sms') {
    await enqueue(db, {
      topic: SMS_TOPIC,
      payload: { to: user.phone, text },
      idempotencyKey: `second-factor-code:${id}`,
    });
  } else {
    await enqueue(db, {
      topic: MAIL_TOPIC,
      payload: { to: user.email, subject: t('identity.secondFactor.message.subject'), text },
      idempotencyKey: `second-factor-code:${id}`,
    });
  }
}

/** Whether a sign-in code sent earlier is still live, so a page shown again need not send one. */
export async function hasLiveCode(db: Db, userId: string, purpose: string): Promise<boolean> {
  const row = await db
    .selectFrom('one_time_codes')
    .select('id')
    .where('purpose', '=', purpose)
    .where('destination', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row !== undefined;
}

// --- Checking the second factor -----------------------------------------------------------

const REASON_MESSAGES = {
  missing: 'identity.secondFactor.code.missing',
  format: 'identity.secondFactor.code.format',
  wrong: 'identity.secondFactor.code.wrong',
  replayed: 'identity.secondFactor.code.replayed',
  expired: 'identity.secondFactor.code.expired',
  used: 'identity.secondFactor.code.used',
  none: 'identity.secondFactor.code.expired',
  'too-many': 'identity.secondFactor.code.tooMany',
} as const;
export type FailureReason = keyof typeof REASON_MESSAGES;

function failure(reason: FailureReason): {
  ok: false;
  errors: FieldError[];
  reason: FailureReason;
} {
  return { ok: false, errors: [{ field: 'code', message: REASON_MESSAGES[reason] }], reason };
}

type Check = { ok: true } | { ok: false; errors: FieldError[]; reason: FailureReason };

function formatProblem(typed: string): FailureReason | undefined {
  const code = typed.replace(/\s+/g, '');
  if (!code) return 'missing';
  return /^\d{6}$/.test(code) ? undefined : 'format';
}

/**
 * Checks the code a person typed for their second factor, and audits the result either way
 * ('account.second_factor_passed' or 'account.second_factor_failed', with the reason).
 * TOTP codes are accepted one step either side and never twice; text and e-mail codes once.
 */
export async function checkSecondFactor(
  db: Db,
  key: Sealer,
  user: Pick<UserRow, 'id' | 'second_factor' | 'totp_secret' | 'totp_last_step'>,
  typed: string,
  context: { actor: Actor; purpose: 'sign-in' | 'step-up' },
): Promise<Check> {
  const method = user.second_factor;
  const outcome = await (async (): Promise<Check> => {
    const problem = formatProblem(typed);
    if (problem) return failure(problem);
    if (method === 'totp' && user.totp_secret) {
      const opened = key.open(user.totp_secret);
      const checked = await checkTotp(opened.plain, typed, user.totp_last_step);
      if (!checked.ok) return failure(checked.reason);
      if (!(await spendStep(db, user.id, checked.step))) return failure('replayed');
      if (opened.stale) await resealTotp(db, key, user.id, user.totp_secret, opened.plain);
      return { ok: true };
    }
    if (method === 'sms' || method === 'email') {
      const checked = await checkCode(db, SIGN_IN_CODE, user.id, typed.replace(/\s+/g, ''));
      return checked.ok ? { ok: true } : failure(checked.reason);
    }
    return failure('none');
  })();
  await recordAudit(db, context.actor, {
    action: outcome.ok ? 'account.second_factor_passed' : 'account.second_factor_failed',
    resourceType: 'user',
    resourceId: user.id,
    subjectUserId: user.id,
    details: {
      method,
      purpose: context.purpose,
      ...(outcome.ok ? {} : { reason: outcome.reason }),
    },
  });
  return outcome;
}

// --- Changing the second factor -----------------------------------------------------------

/**
 * Makes `method` the account's second factor, with an audit entry and a security e-mail.
 * The caller has proved the method (a code from the app, the phone or the mailbox) and opens
 * the transaction. 'none' turns the second factor off.
 */
async function setSecondFactor(
  db: Db,
  user: Pick<UserRow, 'id' | 'email' | 'second_factor'>,
  method: SecondFactor,
  actor: Actor,
  totp?: { sealed: string; step: number },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      second_factor: method,
      totp_pending_secret: null,
      totp_secret: totp?.sealed ?? null,
      totp_last_step: totp?.step ?? null,
    })
    .where('id', '=', user.id)
    .execute();
  await recordAudit(db, actor, {
    action: 'account.second_factor_changed',
    resourceType: 'user',
    resourceId: user.id,
    subjectUserId: user.id,
    details: { from: user.second_factor, to: method },
  });
  await sendSecurityMail(db, user, 'second-factor-changed');
}

/** A wrong code while setting up, audited like one at sign-in. */
async function failedSetup(
  db: Db,
  user: { id: string },
  method: 'totp' | 'code',
  actor: Actor,
  reason: FailureReason,
) {
  await recordAudit(db, actor, {
    action: 'account.second_factor_failed',
    resourceType: 'user',
    resourceId: user.id,
    subjectUserId: user.id,
    details: { method, purpose: 'setup', reason },
  });
  return failure(reason);
}

/**
 * Finishes setting up an authenticator app with a code from it. The code's step is recorded,
 * so the same code cannot then be used to sign in.
 */
export async function confirmTotpSetup(
  db: Db,
  key: Sealer,
  user: Pick<UserRow, 'id' | 'email' | 'second_factor' | 'totp_pending_secret'>,
  typed: string,
  actor: Actor,
): Promise<Outcome<object>> {
  const problem = formatProblem(typed);
  if (problem) return failedSetup(db, user, 'totp', actor, problem);
  if (!user.totp_pending_secret) return failedSetup(db, user, 'totp', actor, 'expired');
  const opened = key.open(user.totp_pending_secret);
  const checked = await checkTotp(opened.plain, typed, null);
  if (!checked.ok) return failedSetup(db, user, 'totp', actor, checked.reason);
  await setSecondFactor(db, user, 'totp', actor, {
    sealed: opened.stale ? key.seal(opened.plain) : user.totp_pending_secret,
    step: checked.step,
  });
  return { ok: true };
}

/** Finishes setting up codes by text or e-mail with the code that was sent there. */
export async function confirmCodeSetup(
  db: Db,
  user: Pick<UserRow, 'id' | 'email' | 'second_factor'>,
  typed: string,
  actor: Actor,
): Promise<Outcome<{ method: CodeMethod }>> {
  const problem = formatProblem(typed);
  if (problem) return failedSetup(db, user, 'code', actor, problem);
  const checked = await checkCode(db, SETUP_CODE, user.id, typed.replace(/\s+/g, ''));
  if (!checked.ok) return failedSetup(db, user, 'code', actor, checked.reason);
  const method = checked.payload.method as CodeMethod;
  await setSecondFactor(db, user, method, actor);
  return { ok: true, method };
}

/** Turns the second factor off (the caller has made sure the session is at level 2). */
export async function removeSecondFactor(
  db: Db,
  user: Pick<UserRow, 'id' | 'email' | 'second_factor'>,
  actor: Actor,
): Promise<void> {
  if (user.second_factor === 'none') return;
  await setSecondFactor(db, user, 'none', actor);
}

// --- Pending sign-ins and raising sessions ------------------------------------------------

const hashToken = hashSessionToken;

/** Holds a sign-in whose password was right until the second factor is given. Returns its cookie token. */
export async function beginPendingSignIn(
  db: Db,
  userId: string,
  returnTo: string,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .deleteFrom('pending_sign_ins')
    .where('expires_at', '<', sql<Date>`now()`)
    .execute();
  await db
    .insertInto('pending_sign_ins')
    .values({
      id_hash: hashToken(token),
      user_id: userId,
      return_to: returnTo,
      expires_at: new Date(Date.now() + PENDING_SIGN_IN_MINUTES * 60_000),
    })
    .execute();
  return token;
}

/** The account and return path of a live pending sign-in, or undefined. */
export async function findPendingSignIn(
  db: Db,
  token: string,
): Promise<{ user: UserRow; returnTo: string } | undefined> {
  const row = await db
    .selectFrom('pending_sign_ins')
    .select(['user_id', 'return_to'])
    .where('id_hash', '=', hashToken(token))
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) return undefined;
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', row.user_id)
    .executeTakeFirst();
  return user ? { user, returnTo: row.return_to } : undefined;
}

export async function endPendingSignIn(db: Db, token: string): Promise<void> {
  await db.deleteFrom('pending_sign_ins').where('id_hash', '=', hashToken(token)).execute();
}

/**
 * Finishes a pending sign-in: a new session (audited and announced as a new sign-in by
 * startSession), raised at once to `Cl.Cm` under a fresh token. Returns the token for the cookie.
 */
export async function completePendingSignIn(
  db: Db,
  pendingToken: string,
  userId: string,
  origin: SessionOrigin,
): Promise<string> {
  await endPendingSignIn(db, pendingToken);
  const started = await startSession(db, userId, origin);
  return rotateSession(db, started.token, { credentialLevel: 'Cl.Cm' });
}
