import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { UserRow } from '../db/tables.js';

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Staff and citizens, for the CLI's start-up listing; never exposes password hashes. */
export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A citizen account by e-mail address (case-insensitive), deleted or not. */
export async function findCitizenByEmail(
  db: Db,
  email: string,
): Promise<Pick<UserRow, 'id' | 'email' | 'display_name' | 'deleted_at'> | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'deleted_at'])
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('kind', '=', 'citizen')
    .executeTakeFirst();
}

/** Any account's id by e-mail address (case-insensitive). */
export async function findUserIdByEmail(db: Db, email: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  return row?.id;
}

/** The e-mail addresses and phone numbers of an organisation's staff whose accounts are not deleted. */
export async function staffContactsOf(
  db: Db,
  organisationId: string,
): Promise<Pick<UserRow, 'email' | 'phone'>[]> {
  return db
    .selectFrom('users')
    .select(['email', 'phone'])
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'staff')
    .where('deleted_at', 'is', null)
    .execute();
}

/** The e-mail addresses of an organisation's staff who hold a role (its admins, say), not deleted. */
export async function staffEmailsWithRole(
  db: Db,
  organisationId: string,
  role: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'staff')
    .where('deleted_at', 'is', null)
    .where(sql<boolean>`${role} = any(roles)`)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}

/**
 * An organisation's staff who hold any of these roles (an admin holds them all), open accounts
 * only, by name: the colleagues a case can be assigned to.
 */
export async function staffWithRoles(
  db: Db,
  organisationId: string,
  roles: readonly string[],
): Promise<Pick<UserRow, 'id' | 'display_name' | 'email'>[]> {
  const wanted = [...roles, 'admin'];
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'email'])
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'staff')
    .where('deleted_at', 'is', null)
    .where(sql<boolean>`roles && ${sql.val(wanted)}::text[]`)
    .orderBy('display_name')
    .execute();
}
