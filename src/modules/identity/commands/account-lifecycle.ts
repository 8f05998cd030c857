import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import { hashSessionToken } from './sessions.js';
import type { AppContext } from '../../../platform/http/types.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { loadMessages, translator, type Messages } from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { SMS_TOPIC } from '../../../platform/sms/sms.js';
import type { UserRow } from '../db/tables.js';
import { hashPassword, passwordProblem, verifyPassword } from '../passwords.js';
import { emailProblem } from './accounts.js';
import { checkCode, issueCode, type CodeCheck } from './codes.js';

/**
 * The life of a citizen's account after "Create an account": e-mail confirmed by a code,
 * a forgotten password reset by a code, e-mail and mobile number changed with re-confirmation,
 * password changed, and the account deleted. Every change is audited (subject: the person) and
 * announced by a security e-mail, in the same transaction as the change.
 *
 * Answers never tell whether an address has an account: registering with a known address and
 * asking for a reset for an unknown one look exactly like the other case to the person asking.
 */

/** Minutes a code sent by e-mail or text lasts. */
export const CODE_MINUTES = 15;

const PURPOSE = {
  confirm: 'email-confirmation',
  reset: 'password-reset',
  emailChange: 'email-change',
  phone: 'phone-confirmation',
} as const;

/** Where this request came from, for audit entries and links in e-mails. */
export interface LifecycleContext {
  baseUrl: string;
  requestId?: string | undefined;
  /** Tells the other modules (drafts, agents, single sign-on) of a deleted account. */
  accountEvent?: AppContext['accountEvent'];
}

// ——— helpers ———

let messages: Promise<Messages> | undefined;

/** Queues a bilingual e-mail (English then Welsh) from `identity.account.mail.<name>.*` messages. */
async function sendMail(
  db: Db,
  to: string,
  name: string,
  values: Record<string, string | number>,
  idempotencyKey: string,
): Promise<void> {
  const all = await (messages ??= loadMessages());
  const [en, cy] = [translator(all, 'en'), translator(all, 'cy')];
  const key = `identity.account.mail.${name}`;
  await enqueue(db, {
    topic: MAIL_TOPIC,
    payload: {
      to,
      subject: `${en(`${key}.subject`)} / ${cy(`${key}.subject`)}`,
      text: [en(`${key}.text`, values), cy(`${key}.text`, values)].join('\n\n———\n\n'),
    },
    idempotencyKey,
  });
}

function selfActor(user: Pick<UserRow, 'id' | 'organisation_id' | 'kind'>, ctx: LifecycleContext) {
  return {
    userId: user.id,
    organisationId: user.organisation_id,
    role: user.kind,
    requestId: ctx.requestId,
  } satisfies Actor;
}

function anonymous(ctx: LifecycleContext): Actor {
  return { userId: null, organisationId: null, role: null, requestId: ctx.requestId };
}

async function audit(db: Db, actor: Actor, action: string, subjectUserId: string) {
  await recordAudit(db, actor, {
    action,
    resourceType: 'user',
    resourceId: subjectUserId,
    subjectUserId,
  });
}

/** The account using this address (any case), if it has not been deleted. */
async function activeUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

async function activeUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** A typed code, with spaces taken out, or the error to show for it. */
function readCode(typed: string): { code: string } | { error: FieldError } {
  const code = typed.replace(/[\s-]+/g, '');
  if (!code) return { error: { field: 'code', message: 'identity.account.code.missing' } };
  if (!/^\d{6}$/.test(code))
    return { error: { field: 'code', message: 'identity.account.code.format' } };
  return { code };
}

/** A clear message for each way a code can fail; an unknown address reads as a wrong code. */
export function codeProblem(reason: Extract<CodeCheck, { ok: false }>['reason']): string {
  return `identity.account.code.${reason === 'none' ? 'wrong' : reason}`;
}

function fail(field: string, message: string): { ok: false; errors: FieldError[] } {
  return { ok: false, errors: [{ field, message }] };
}

// ——— registration ———

/**
 * Whether the account's e-mail address has been confirmed with a code. An unconfirmed account
 * must not be signed in: the sign-in page sends its owner to `/register/confirm?email=`.
 */
export async function isEmailConfirmed(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('email_verified_at')
    .where('id', '=', userId)
    .executeTakeFirst();
  return Boolean(row?.email_verified_at);
}

export interface RegistrationInput {
  email: string;
  password: string;
  displayName: string;
}

/**
 * Starts a registration. A new address gets an unconfirmed account and a code; the name and
 * password travel with the code, so only the registration whose code is entered takes effect
 * (someone who registers another person's address first cannot set the password they will use).
 * An address that already has a confirmed account gets an e-mail saying someone tried, and the
 * answer is the same "check your e-mail", so the page does not tell who has an account.
 */
export async function startRegistration(
  db: Db,
  input: RegistrationInput,
  ctx: LifecycleContext,
): Promise<Outcome<{ email: string }>> {
  const errors: FieldError[] = [];
  if (!input.displayName) errors.push({ field: 'displayName', message: 'identity.name.missing' });
  else if (input.displayName.length > 100)
    errors.push({ field: 'displayName', message: 'identity.name.tooLong' });
  const emailError = emailProblem(input.email);
  if (emailError) errors.push({ field: 'email', message: emailError });
  const passwordError = passwordProblem(input.password);
  if (passwordError) errors.push({ field: 'password', message: passwordError });
  if (errors.length > 0) return { ok: false, errors };

  // Hashed whatever happens next, so a known address takes as long as a new one.
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    const existing = await activeUserByEmail(trx, input.email);
    if (existing?.email_verified_at) {
      await audit(trx, anonymous(ctx), 'account.registration_attempted', existing.id);
      await sendMail(
        trx,
        existing.email,
        'alreadyRegistered',
        { signIn: `${ctx.baseUrl}/sign-in`, reset: `${ctx.baseUrl}/forgot-password` },
        `identity.registration-attempt:${existing.id}:${Date.now()}`,
      );
      return;
    }
    let userId = existing?.id;
    if (!userId) {
      const created = await trx
        .insertInto('users')
        .values({
          email: input.email,
          display_name: input.displayName,
          password_hash: passwordHash,
          kind: 'citizen',
          organisation_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      userId = created.id;
      await audit(trx, anonymous(ctx), 'account.registered', userId);
    }
    await sendConfirmationCode(trx, input.email, userId, {
      passwordHash,
      displayName: input.displayName,
    });
  });
  return { ok: true, email: input.email };
}

async function sendConfirmationCode(
  db: Db,
  email: string,
  userId: string,
  registration: { passwordHash: string; displayName: string },
) {
  const { id, code } = await issueCode(db, {
    purpose: PURPOSE.confirm,
    destination: email.toLowerCase(),
    userId,
    minutes: CODE_MINUTES,
    payload: registration,
  });
  await sendMail(db, email, 'confirm', { code, minutes: CODE_MINUTES }, `identity.code:${id}`);
}

/**
 * Sends a new confirmation code to an address whose account is not yet confirmed, carrying the
 * same registration as the last code. Any other address gets nothing, and the same answer.
 */
export async function resendConfirmationCode(db: Db, email: string): Promise<void> {
  if (emailProblem(email)) return;
  await db.transaction().execute(async (trx) => {
    const user = await activeUserByEmail(trx, email);
    if (!user || user.email_verified_at) return;
    const last = await trx
      .selectFrom('one_time_codes')
      .select('payload')
      .where('purpose', '=', PURPOSE.confirm)
      .where('destination', '=', email.toLowerCase())
      .where('user_id', '=', user.id)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const registration =
      typeof last?.payload.passwordHash === 'string' && typeof last.payload.displayName === 'string'
        ? { passwordHash: last.payload.passwordHash, displayName: last.payload.displayName }
        : { passwordHash: user.password_hash, displayName: user.display_name };
    await sendConfirmationCode(trx, user.email, user.id, registration);
  });
}

/**
 * Confirms an address with the code sent to it: the account becomes usable, with the name and
 * password of the registration the code was sent for.
 */
export async function confirmRegistration(
  db: Db,
  input: { email: string; code: string },
  ctx: LifecycleContext,
): Promise<Outcome<{ userId: string }>> {
  const read = readCode(input.code);
  if ('error' in read) return { ok: false, errors: [read.error] };
  return db.transaction().execute(async (trx) => {
    const check = await checkCode(trx, PURPOSE.confirm, input.email.toLowerCase(), read.code);
    if (!check.ok) return fail('code', codeProblem(check.reason));
    const user = check.userId ? await activeUserById(trx, check.userId) : undefined;
    if (!user || user.email_verified_at) return fail('code', 'identity.account.code.used');
    const { passwordHash, displayName } = check.payload as {
      passwordHash?: string;
      displayName?: string;
    };
    await trx
      .updateTable('users')
      .set({
        email_verified_at: new Date(),
        password_hash: passwordHash ?? user.password_hash,
        display_name: displayName ?? user.display_name,
      })
      .where('id', '=', user.id)
      .execute();
    await audit(trx, selfActor(user, ctx), 'account.email_confirmed', user.id);
    await sendMail(
      trx,
      user.email,
      'welcome',
      { link: `${ctx.baseUrl}/account` },
      `identity.welcome:${user.id}`,
    );
    return { ok: true as const, userId: user.id };
  });
}

// ——— forgotten password ———

/**
 * Sends a reset code if the address has an account; the answer is the same either way.
 * Only a malformed address is refused.
 */
export async function startPasswordReset(
  db: Db,
  email: string,
  ctx: LifecycleContext,
): Promise<Outcome<{ email: string }>> {
  const problem = emailProblem(email);
  if (problem) return fail('email', problem);
  await db.transaction().execute(async (trx) => {
    const user = await activeUserByEmail(trx, email);
    if (!user) return;
    const { id, code } = await issueCode(trx, {
      purpose: PURPOSE.reset,
      destination: email.toLowerCase(),
      userId: user.id,
      minutes: CODE_MINUTES,
    });
    await audit(trx, anonymous(ctx), 'account.password_reset_requested', user.id);
    await sendMail(
      trx,
      user.email,
      'resetCode',
      { code, minutes: CODE_MINUTES },
      `identity.code:${id}`,
    );
  });
  return { ok: true, email };
}

/**
 * Sets a new password with a reset code. Every session of the account ends (whoever had the old
 * password is signed out); the address counts as confirmed, as the code proved it.
 */
export async function resetPassword(
  db: Db,
  input: { email: string; code: string; password: string },
  ctx: LifecycleContext,
): Promise<Outcome<{ userId: string }>> {
  const errors: FieldError[] = [];
  const read = readCode(input.code);
  if ('error' in read) errors.push(read.error);
  const passwordError = passwordProblem(input.password);
  if (passwordError) errors.push({ field: 'password', message: passwordError });
  if (errors.length > 0 || 'error' in read) return { ok: false, errors };
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const check = await checkCode(trx, PURPOSE.reset, input.email.toLowerCase(), read.code);
    if (!check.ok) return fail('code', codeProblem(check.reason));
    const user = check.userId ? await activeUserById(trx, check.userId) : undefined;
    if (!user) return fail('code', 'identity.account.code.used');
    await trx
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        email_verified_at: user.email_verified_at ?? new Date(),
        failed_sign_ins: 0,
        locked_until: null,
      })
      .where('id', '=', user.id)
      .execute();
    await endSessionsOf(trx, user.id);
    await audit(trx, selfActor(user, ctx), 'account.password_reset', user.id);
    await sendMail(
      trx,
      user.email,
      'passwordReset',
      { reset: `${ctx.baseUrl}/forgot-password` },
      `identity.password-reset:${check.userId}:${Date.now()}`,
    );
    return { ok: true as const, userId: user.id };
  });
}

async function endSessionsOf(db: Db, userId: string, exceptToken?: string) {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptToken) query = query.where('id_hash', '!=', hashSessionToken(exceptToken));
  await query.execute();
  await db.deleteFrom('pending_sign_ins').where('user_id', '=', userId).execute();
}

// ——— account settings (signed in) ———

async function checkPassword(
  db: Db,
  userId: string,
  password: string,
  field = 'password',
): Promise<{ user: UserRow } | { error: FieldError }> {
  if (!password) return { error: { field, message: 'identity.account.password.currentMissing' } };
  const user = await activeUserById(db, userId);
  if (!user || !(await verifyPassword(user.password_hash, password)))
    return { error: { field, message: 'identity.account.password.wrong' } };
  return { user };
}

/**
 * Asks to change the account's e-mail address: a code goes to the new address, and nothing
 * changes until it is entered. An address another account uses gets a notice instead of a code,
 * and the answer is the same, so this cannot be used to find out who has an account.
 */
export async function startEmailChange(
  db: Db,
  userId: string,
  input: { email: string; password: string },
  ctx: LifecycleContext,
): Promise<Outcome<{ email: string }>> {
  const errors: FieldError[] = [];
  const problem = emailProblem(input.email);
  if (problem) errors.push({ field: 'email', message: problem });
  const checked = await checkPassword(db, userId, input.password);
  if ('error' in checked) errors.push(checked.error);
  else if (!problem && checked.user.email.toLowerCase() === input.email.toLowerCase())
    errors.push({ field: 'email', message: 'identity.account.email.same' });
  if (errors.length > 0 || 'error' in checked) return { ok: false, errors };
  const { user } = checked;
  await db.transaction().execute(async (trx) => {
    const other = await activeUserByEmail(trx, input.email);
    await audit(trx, selfActor(user, ctx), 'account.email_change_requested', user.id);
    if (other) {
      await sendMail(
        trx,
        input.email,
        'emailInUse',
        { reset: `${ctx.baseUrl}/forgot-password` },
        `identity.email-in-use:${user.id}:${Date.now()}`,
      );
      return;
    }
    const { id, code } = await issueCode(trx, {
      purpose: PURPOSE.emailChange,
      destination: input.email.toLowerCase(),
      userId: user.id,
      minutes: CODE_MINUTES,
      payload: { email: input.email },
    });
    await sendMail(
      trx,
      input.email,
      'emailChangeCode',
      { code, minutes: CODE_MINUTES },
      `identity.code:${id}`,
    );
  });
  return { ok: true, email: input.email };
}

/** Completes an e-mail change with the code sent to the new address; the old address is told. */
export async function confirmEmailChange(
  db: Db,
  userId: string,
  input: { email: string; code: string },
  ctx: LifecycleContext,
): Promise<Outcome<{ email: string }>> {
  const read = readCode(input.code);
  if ('error' in read) return { ok: false, errors: [read.error] };
  return db.transaction().execute(async (trx) => {
    const check = await checkCode(trx, PURPOSE.emailChange, input.email.toLowerCase(), read.code);
    if (!check.ok) return fail('code', codeProblem(check.reason));
    const user = await activeUserById(trx, userId);
    if (!user || check.userId !== userId) return fail('code', 'identity.account.code.wrong');
    const newEmail = String(check.payload.email);
    if (await activeUserByEmail(trx, newEmail)) return fail('code', 'identity.account.email.gone');
    await trx
      .updateTable('users')
      .set({ email: newEmail, email_verified_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    await audit(trx, selfActor(user, ctx), 'account.email_changed', user.id);
    const reset = `${ctx.baseUrl}/forgot-password`;
    await sendMail(
      trx,
      user.email,
      'emailChangedOld',
      { reset },
      `identity.email-changed:${check.userId}:${Date.now()}:old`,
    );
    await sendMail(
      trx,
      newEmail,
      'emailChangedNew',
      { reset },
      `identity.email-changed:${check.userId}:${Date.now()}:new`,
    );
    return { ok: true as const, email: newEmail };
  });
}

/**
 * A UK mobile number in the international form `+447…`, from the ways people write it
 * (`07700 900123`, `+44 (0)7700 900123`, `0044 7700 900123`), or undefined if it is not one.
 * 076 numbers are pagers, except 07624 (Isle of Man mobiles).
 */
export function normaliseUkMobile(input: string): string | undefined {
  let digits = input.replace(/[\s\-().]/g, '');
  if (digits.startsWith('+44')) digits = digits.slice(3);
  else if (digits.startsWith('0044')) digits = digits.slice(4);
  else if (digits.startsWith('44') && digits.length === 12) digits = digits.slice(2);
  if (digits.startsWith('0')) digits = digits.slice(1);
  if (!/^7\d{9}$/.test(digits)) return undefined;
  if (digits.startsWith('76') && !digits.startsWith('7624')) return undefined;
  return `+44${digits}`;
}

/** Asks to set or change the mobile number: a code is sent to it by text. */
export async function startPhoneChange(
  db: Db,
  userId: string,
  input: { phone: string },
  ctx: LifecycleContext,
): Promise<Outcome<{ phone: string }>> {
  if (!input.phone) return fail('phone', 'identity.account.phone.missing');
  const phone = normaliseUkMobile(input.phone);
  if (!phone) return fail('phone', 'identity.account.phone.invalid');
  const user = await activeUserById(db, userId);
  if (!user) return fail('phone', 'identity.account.phone.invalid');
  if (user.phone === phone && user.phone_verified_at)
    return fail('phone', 'identity.account.phone.same');
  const all = await (messages ??= loadMessages());
  await db.transaction().execute(async (trx) => {
    const { id, code } = await issueCode(trx, {
      purpose: PURPOSE.phone,
      destination: phone,
      userId: user.id,
      minutes: CODE_MINUTES,
    });
    await audit(trx, selfActor(user, ctx), 'account.phone_change_requested', user.id);
    const values = { code, minutes: CODE_MINUTES };
    await enqueue(trx, {
      topic: SMS_TOPIC,
      payload: {
        to: phone,
        text: `${translator(all, 'en')('identity.account.sms.code', values)} / ${translator(all, 'cy')('identity.account.sms.code', values)}`,
      },
      idempotencyKey: `identity.code:${id}`,
    });
  });
  return { ok: true, phone };
}

/** Completes a mobile number change with the code sent by text. */
export async function confirmPhoneChange(
  db: Db,
  userId: string,
  input: { phone: string; code: string },
  ctx: LifecycleContext,
): Promise<Outcome<{ phone: string }>> {
  const read = readCode(input.code);
  if ('error' in read) return { ok: false, errors: [read.error] };
  const phone = normaliseUkMobile(input.phone);
  if (!phone) return fail('code', 'identity.account.code.wrong');
  return db.transaction().execute(async (trx) => {
    const check = await checkCode(trx, PURPOSE.phone, phone, read.code);
    if (!check.ok) return fail('code', codeProblem(check.reason));
    const user = await activeUserById(trx, userId);
    if (!user || check.userId !== userId) return fail('code', 'identity.account.code.wrong');
    await trx
      .updateTable('users')
      .set({ phone, phone_verified_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    await audit(trx, selfActor(user, ctx), 'account.phone_changed', user.id);
    await sendMail(
      trx,
      user.email,
      'phoneChanged',
      { reset: `${ctx.baseUrl}/forgot-password` },
      `identity.phone-changed:${user.id}:${Date.now()}`,
    );
    return { ok: true as const, phone };
  });
}

/**
 * Changes the password, given the current one. Every other session of the account ends; the
 * one making the change (its cookie token given) stays signed in.
 */
export async function changePassword(
  db: Db,
  userId: string,
  input: { currentPassword: string; password: string; keepSessionToken?: string | undefined },
  ctx: LifecycleContext,
): Promise<Outcome<object>> {
  const errors: FieldError[] = [];
  const checked = await checkPassword(db, userId, input.currentPassword, 'currentPassword');
  if ('error' in checked) errors.push(checked.error);
  const problem = passwordProblem(input.password);
  if (problem) errors.push({ field: 'password', message: problem });
  else if (input.password === input.currentPassword)
    errors.push({ field: 'password', message: 'identity.account.password.same' });
  if (errors.length > 0 || 'error' in checked) return { ok: false, errors };
  const { user } = checked;
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', user.id)
      .execute();
    await endSessionsOf(trx, user.id, input.keepSessionToken);
    await audit(trx, selfActor(user, ctx), 'account.password_changed', user.id);
    await sendMail(
      trx,
      user.email,
      'passwordChanged',
      { reset: `${ctx.baseUrl}/forgot-password` },
      `identity.password-changed:${user.id}:${Date.now()}`,
    );
  });
  return { ok: true };
}

/**
 * Deletes a citizen's account, given their password. Not a soft delete: the row stays (its
 * submissions and audit entries refer to it) but the e-mail becomes a tombstone, the name
 * "Deleted account", the password unusable and the phone, second factor, sessions and codes go.
 * Applications already sent stay with the bodies that received them; the audit log is kept.
 */
export async function deleteAccount(
  db: Db,
  userId: string,
  input: { password: string },
  ctx: LifecycleContext,
): Promise<Outcome<object>> {
  const checked = await checkPassword(db, userId, input.password);
  if ('error' in checked) return { ok: false, errors: [checked.error] };
  const { user } = checked;
  if (user.kind !== 'citizen') return fail('password', 'identity.account.delete.staff');
  await db.transaction().execute(async (trx) => {
    // The goodbye e-mail is queued while the address is still known.
    await sendMail(trx, user.email, 'deleted', {}, `identity.deleted:${user.id}`);
    await trx
      .updateTable('users')
      .set({
        email: `deleted-${user.id}@invalid`,
        display_name: 'Deleted account',
        password_hash: '!deleted', // not a hash: verifyPassword is false for every password
        phone: null,
        phone_verified_at: null,
        email_verified_at: null,
        identity_level: 'P0',
        second_factor: 'none',
        totp_secret: null,
        totp_pending_secret: null,
        totp_last_step: null,
        deleted_at: new Date(),
      })
      .where('id', '=', user.id)
      .execute();
    await endSessionsOf(trx, user.id);
    await trx.deleteFrom('one_time_codes').where('user_id', '=', user.id).execute();
    await trx.deleteFrom('identity_verification_journeys').where('user_id', '=', user.id).execute();
    // The verified name, date of birth and address go too: single sign-on can release nothing.
    await trx.deleteFrom('verified_identities').where('user_id', '=', user.id).execute();
    await ctx.accountEvent?.(trx, { type: 'deleted', userId: user.id });
    await audit(trx, selfActor(user, ctx), 'account.deleted', user.id);
  });
  return { ok: true };
}
