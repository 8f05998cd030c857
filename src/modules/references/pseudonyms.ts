import { createHmac } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { deriveKeys, type SecretSource } from '../../platform/keyring/keyring.js';

/** The keyring purpose of pseudonyms: one key for all bodies, the body's id inside the MAC. */
const SALT = 'joinedup';
const INFO = 'reference-pseudonym-v1';

/**
 * A body's pseudonymous identifier for a person as derived now: HMAC-SHA256 of the body's id
 * and the account's id under the keyring's current key, base64url, prefixed `jp_`. Two bodies
 * get unrelated identifiers for one person, and neither can work out the account id.
 */
export function derivePseudonym(
  secrets: SecretSource,
  organisationId: string,
  userId: string,
): string {
  const [key] = deriveKeys(secrets, SALT, INFO);
  const mac = createHmac('sha256', key!).update(`${organisationId}\n${userId}`).digest('base64url');
  return `jp_${mac.slice(0, 32)}`;
}

/**
 * A body's pseudonymous identifier for a person: the one it was given before, or a new one
 * (derived with the current key and kept, so rotating SESSION_SECRET never changes it).
 *
 * @example const id = await pseudonymFor(db, config, dwp.id, user.id); // 'jp_…'
 */
export async function pseudonymFor(
  db: Db,
  secrets: SecretSource,
  organisationId: string,
  userId: string,
): Promise<string> {
  const kept = await keptPseudonym(db, organisationId, userId);
  if (kept) return kept;
  const pseudonym = derivePseudonym(secrets, organisationId, userId);
  await db
    .insertInto('reference_pseudonyms')
    .values({ organisation_id: organisationId, user_id: userId, pseudonym })
    .onConflict((oc) => oc.columns(['organisation_id', 'user_id']).doNothing())
    .execute();
  return (await keptPseudonym(db, organisationId, userId))!;
}

async function keptPseudonym(db: Db, organisationId: string, userId: string) {
  const row = await db
    .selectFrom('reference_pseudonyms')
    .select('pseudonym')
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.pseudonym;
}

/**
 * The account a body's pseudonym stands for, only for that body (another body's pseudonym is
 * unknown to it), or undefined.
 */
export async function userOfPseudonym(
  db: Db,
  organisationId: string,
  pseudonym: string,
): Promise<string | undefined> {
  if (!/^jp_[A-Za-z0-9_-]{32}$/.test(pseudonym)) return undefined;
  const row = await db
    .selectFrom('reference_pseudonyms')
    .select('user_id')
    .where('organisation_id', '=', organisationId)
    .where('pseudonym', '=', pseudonym)
    .executeTakeFirst();
  return row?.user_id;
}
