import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { STAFF_ROLES, type StaffRole, type UserRow } from '../db/tables.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from '../passwords.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { sendUnlockMail } from '../security-mail.js';
import { issueCode } from './codes.js';
import { UNLOCK_PURPOSE } from './sessions.js';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function emailProblem(email: string): string | undefined {
  if (!email) return 'identity.email.missing';
  if (email.length > 254 || !EMAIL.test(email)) return 'identity.email.invalid';
  return undefined;
}

async function emailTaken(db: Db, email: string): Promise<boolean> {
  const found = await db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  return found !== undefined;
}

export interface Registration {
  email: string;
  password: string;
  displayName: string;
}

function registrationErrors(input: Registration): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.displayName) errors.push({ field: 'displayName', message: 'identity.name.missing' });
  else if (input.displayName.length > 100)
    errors.push({ field: 'displayName', message: 'identity.name.tooLong' });
  const emailError = emailProblem(input.email);
  if (emailError) errors.push({ field: 'email', message: emailError });
  const passwordError = passwordProblem(input.password);
  if (passwordError) errors.push({ field: 'password', message: passwordError });
  return errors;
}

/** Inserts an account made by someone who vouches for its address: an operator, the seed, a test. */
async function insertAccount(
  db: Db,
  input: Registration & {
    kind: 'citizen' | 'staff';
    organisationId: string | null;
    roles: string[];
  },
): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      email: input.email,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      kind: input.kind,
      organisation_id: input.organisationId,
      roles: input.roles,
      email_verified_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Creates a citizen's account directly, its address taken as confirmed: for operators
 * (`joinedup user:create`), the demo seed and tests. People registering themselves go
 * through `startRegistration`, which confirms the address with a code first.
 */
export async function registerCitizen(
  db: Db,
  input: Registration,
): Promise<Outcome<{ user: UserRow }>> {
  const errors = registrationErrors(input);
  if (errors.length === 0 && (await emailTaken(db, input.email))) {
    errors.push({ field: 'email', message: 'identity.email.taken' });
  }
  if (errors.length > 0) return { ok: false, errors };
  const user = await insertAccount(db, {
    ...input,
    kind: 'citizen',
    organisationId: null,
    roles: [],
  });
  return { ok: true, user };
}

/** Creates a member of staff of one organisation with the given roles (CLI and seeding). */
export async function createStaffUser(
  db: Db,
  input: Registration & { organisationId: string; roles: string[] },
): Promise<Outcome<{ user: UserRow }>> {
  const errors = registrationErrors(input);
  const unknown = input.roles.filter((r) => !STAFF_ROLES.includes(r as StaffRole));
  if (input.roles.length === 0 || unknown.length > 0) {
    errors.push({ field: 'roles', message: `Roles must be some of ${STAFF_ROLES.join(', ')}` });
  }
  if (errors.length === 0 && (await emailTaken(db, input.email))) {
    errors.push({ field: 'email', message: 'identity.email.taken' });
  }
  if (errors.length > 0) return { ok: false, errors };
  const user = await insertAccount(db, { ...input, kind: 'staff' });
  return { ok: true, user };
}

/** Consecutive wrong passwords that lock an account. */
export const MAX_FAILED_SIGN_INS = 5;
/** How long a locked account stays locked unless unlocked by the e-mailed link. */
export const LOCK_MINUTES = 30;
/** How long the unlock link in the e-mail works. */
export const UNLOCK_CODE_MINUTES = 60;

/** Where a sign-in attempt came from: the site's address (for the unlock link) and the request. */
export interface SignInOrigin {
  /** e.g. https://joinedup.example; the unlock link is made from it ('' gives a relative link). */
  baseUrl?: string | undefined;
  requestId?: string | undefined;
}

/**
 * Checks an e-mail and password. The same error for an unknown e-mail, a wrong password and a
 * locked account, and the same work (one argon2 verification) for all, so none tells whether an
 * account exists. Five wrong passwords in a row lock the account for 30 minutes and e-mail its
 * holder a one-time unlock link; a right password resets the count. Failures and locks are
 * audited against the account (`account.sign_in_failed`, `account.locked`); the successful
 * sign-in is audited when its session starts (`startSession`).
 *
 * @example const outcome = await authenticate(db, email, password, { baseUrl: config.baseUrl, requestId: request.id });
 */
export async function authenticate(
  db: Db,
  email: string,
  password: string,
  origin: SignInOrigin = {},
): Promise<Outcome<{ user: UserRow }>> {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  const valid = await verifyPassword(user?.password_hash ?? (await decoyHash()), password);
  const refused = {
    ok: false as const,
    errors: [{ field: 'email', message: 'identity.signIn.wrong' }],
  };
  if (!user) return refused;
  const actor = {
    userId: null,
    organisationId: null,
    role: null,
    requestId: origin.requestId,
  };
  const audit = (trx: Db, action: string, details: Record<string, unknown>) =>
    recordAudit(trx, actor, {
      action,
      resourceType: 'user',
      resourceId: user.id,
      subjectUserId: user.id,
      details,
    });

  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    await audit(db, 'account.sign_in_failed', { reason: 'locked' });
    return refused;
  }
  if (!valid) {
    await db.transaction().execute(async (trx) => {
      const counted = await trx
        .updateTable('users')
        .set({ failed_sign_ins: sql<number>`failed_sign_ins + 1` as never })
        .where('id', '=', user.id)
        .returning('failed_sign_ins')
        .executeTakeFirstOrThrow();
      await audit(trx, 'account.sign_in_failed', {
        reason: 'wrong-password',
        consecutive: counted.failed_sign_ins,
      });
      if (counted.failed_sign_ins < MAX_FAILED_SIGN_INS) return;
      const lockedUntil = new Date(Date.now() + LOCK_MINUTES * 60_000);
      await trx
        .updateTable('users')
        .set({ failed_sign_ins: 0, locked_until: lockedUntil })
        .where('id', '=', user.id)
        .execute();
      await audit(trx, 'account.locked', { until: lockedUntil.toISOString() });
      const { code } = await issueCode(trx, {
        purpose: UNLOCK_PURPOSE,
        destination: user.id,
        userId: user.id,
        minutes: UNLOCK_CODE_MINUTES,
        digits: 10,
      });
      const link = `${origin.baseUrl ?? ''}/unlock?user=${user.id}&code=${code}`;
      await sendUnlockMail(trx, user, { link, lockedUntil });
    });
    return refused;
  }
  await db
    .updateTable('users')
    .set({ last_signed_in_at: new Date(), failed_sign_ins: 0, locked_until: null })
    .where('id', '=', user.id)
    .execute();
  return { ok: true, user };
}
