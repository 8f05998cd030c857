import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';

export const SESSION_COOKIE = 'ju_session';
export const SESSION_HOURS = 12;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Starts a session; the token goes in the cookie, only its hash in the database. */
export async function startSession(
  db: Db,
  userId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await db
    .insertInto('sessions')
    .values({ id_hash: hashToken(token), user_id: userId, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashToken(token)).execute();
}

/** The person a session token belongs to, or null if it is unknown or expired. */
export async function userForSession(db: Db, token: string): Promise<CurrentUser | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.kind',
      'users.organisation_id',
      'users.roles',
      'users.identity_level',
      'sessions.credential_level',
      'organisations.name as organisation_name',
    ])
    .where('sessions.id_hash', '=', hashToken(token))
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    kind: row.kind,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    roles: row.roles,
    credentialLevel: row.credential_level,
    identityLevel: row.identity_level,
  };
}
