import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { STAFF_ROLES, type StaffRole, type UserRow } from '../db/tables.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from '../passwords.js';

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

/** Creates a citizen's account. The e-mail must be new; the password passes the NCSC checks. */
export async function registerCitizen(
  db: Db,
  input: Registration,
): Promise<Outcome<{ user: UserRow }>> {
  const errors = registrationErrors(input);
  if (errors.length === 0 && (await emailTaken(db, input.email))) {
    errors.push({ field: 'email', message: 'identity.email.taken' });
  }
  if (errors.length > 0) return { ok: false, errors };
  const user = await db
    .insertInto('users')
    .values({
      email: input.email,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      kind: 'citizen',
      organisation_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
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
  const user = await db
    .insertInto('users')
    .values({
      email: input.email,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      kind: 'staff',
      organisation_id: input.organisationId,
      roles: input.roles,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, user };
}

/**
 * Checks an e-mail and password. The same error for an unknown e-mail and a wrong password,
 * and the same work (one argon2 verification) for both, so neither tells whether an account exists.
 */
export async function authenticate(
  db: Db,
  email: string,
  password: string,
): Promise<Outcome<{ user: UserRow }>> {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  const valid = await verifyPassword(user?.password_hash ?? (await decoyHash()), password);
  if (!user || !valid)
    return { ok: false, errors: [{ field: 'email', message: 'identity.signIn.wrong' }] };
  await db
    .updateTable('users')
    .set({ last_signed_in_at: new Date() })
    .where('id', '=', user.id)
    .execute();
  return { ok: true, user };
}
