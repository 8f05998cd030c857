import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { HubApiKeyRow, HubKeyScope } from '../db/tables.js';
import { HubError } from './errors.js';
import { ttlCache } from './ttl-cache.js';

/** What every hub key starts with, so secret scanners (and people) recognise one. */
export const KEY_PREFIX = 'juhub';
const KEY_TEXT = /^juhub\.([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;

/** The body a request's key belongs to, and what the key may do. */
export interface HubCaller {
  keyId: string;
  organisationId: string;
  scope: HubKeyScope;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Issues a hub API key for a body: `juhub.<key id>.<secret>`, the secret 256 random bits. The
 * text is returned this once; only a SHA-256 of the secret is kept, and its last four
 * characters as a hint.
 *
 * @example const { key } = await createHubKey(trx, { organisationId, name: 'Case system', scope: 'receive' }, actor);
 */
export async function createHubKey(
  db: Db,
  input: { organisationId: string; name: string; scope: HubKeyScope; createdBy?: string | null },
  actor: Actor,
): Promise<{ id: string; key: string }> {
  const secret = randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('hub_api_keys')
    .values({
      organisation_id: input.organisationId,
      name: input.name,
      scope: input.scope,
      secret_sha256: sha256Hex(secret),
      hint: secret.slice(-4),
      created_by: input.createdBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: 'hub.api-key.created',
    resourceType: 'hub_api_key',
    resourceId: row.id,
    subjectUserId: null,
    details: { organisationId: input.organisationId, name: input.name, scope: input.scope },
  });
  return { id: row.id, key: `${KEY_PREFIX}.${row.id.replace(/-/g, '')}.${secret}` };
}

/** Revokes one of the body's keys; from then on it is refused. False if there was none to revoke. */
export async function revokeHubKey(
  db: Db,
  input: { organisationId: string; keyId: string },
  actor: Actor,
): Promise<boolean> {
  const result = await db
    .updateTable('hub_api_keys')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', input.keyId)
    .where('organisation_id', '=', input.organisationId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await recordAudit(db, actor, {
    action: 'hub.api-key.revoked',
    resourceType: 'hub_api_key',
    resourceId: input.keyId,
    subjectUserId: null,
    details: { organisationId: input.organisationId },
  });
  return true;
}

/** A body's keys, newest first, revoked ones included (for the admin page). */
export async function listHubKeys(db: Db, organisationId: string): Promise<HubApiKeyRow[]> {
  return db
    .selectFrom('hub_api_keys')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findHubKey(
  db: Db,
  organisationId: string,
  keyId: string,
): Promise<HubApiKeyRow | undefined> {
  return db
    .selectFrom('hub_api_keys')
    .selectAll()
    .where('id', '=', keyId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

/** The key's id and the SHA-256 of the secret in `Authorization: Bearer juhub.…`; 401 if malformed. */
function presentedKey(authorization: string | undefined): { id: string; digest: string } {
  if (!authorization || authorization.slice(0, 7).toLowerCase() !== 'bearer ')
    throw new HubError(
      'api_key_invalid',
      401,
      'Send your hub API key as Authorization: Bearer <key>',
    );
  const match = KEY_TEXT.exec(authorization.slice(7).trim());
  if (!match) throw new HubError('api_key_invalid', 401, 'API key not found');
  return { id: uuidFromHex(match[1]!), digest: sha256Hex(match[2]!) };
}

type StoredKey = Pick<
  HubApiKeyRow,
  'id' | 'organisation_id' | 'scope' | 'secret_sha256' | 'revoked_at'
>;

/**
 * Reads a key, and (in the same statement: one round trip) moves its last_used_at on only for
 * the right secret of a live key whose stored time is over a minute old. The statement's SELECT
 * sees the row as it was before that UPDATE, so nothing below depends on it.
 */
async function loadKey(db: Db, id: string, digest: string): Promise<StoredKey | undefined> {
  return db
    .with('touched', (qb) =>
      qb
        .updateTable('hub_api_keys')
        .set({ last_used_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('secret_sha256', '=', digest)
        .where('revoked_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('last_used_at', 'is', null),
            eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`),
          ]),
        )
        .returning('id'),
    )
    .selectFrom('hub_api_keys')
    .select(['id', 'organisation_id', 'scope', 'secret_sha256', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Whether the presented secret is the key's, compared in constant time. */
function secretMatches(key: StoredKey | undefined, digest: string): boolean {
  const presented = Buffer.from(digest, 'hex');
  const stored = Buffer.from(key?.secret_sha256 ?? '0'.repeat(64), 'hex');
  return timingSafeEqual(presented, stored) && !!key;
}

/** The caller, if the presented secret is the key's (compared in constant time) and it is live. */
function callerOfKey(key: StoredKey | undefined, digest: string): HubCaller {
  if (!key || !secretMatches(key, digest))
    throw new HubError('api_key_invalid', 401, 'API key not found');
  if (key.revoked_at) throw new HubError('api_key_invalid', 401, 'API key revoked');
  return { keyId: key.id, organisationId: key.organisation_id, scope: key.scope };
}

/**
 * Checks `Authorization: Bearer juhub.…`: the key must exist, its secret's SHA-256 must match
 * (compared in constant time) and it must not be revoked. Records when it was last used (at
 * most once a minute, so a busy key is not a write per request) in the same statement that
 * reads the key: one round trip. Throws a 401 HubError.
 */
export async function authenticateHubKey(
  db: Db,
  authorization: string | undefined,
): Promise<HubCaller> {
  const { id, digest } = presentedKey(authorization);
  return callerOfKey(await loadKey(db, id, digest), digest);
}

/** How long the submit route keeps a live key it has read (see hubKeyCache). */
export const KEY_TTL_MS = 5_000;

/**
 * authenticateHubKey for the submit route, with the live keys it read kept for KEY_TTL_MS, so
 * a busy key costs no round trip before its submission is validated. Only what never changes
 * is relied on from the cache — the key's body, its scope and its secret's SHA-256 (compared
 * in constant time on every request); a revoked or unknown key, or one read with a wrong
 * secret, is never kept.
 *
 * Revocation still applies at once: whatever was read from the cache is `cached: true`, and
 * the caller must check the key again before it stores or answers anything. The batch
 * statement that stores a submission checks it in the same statement (createSubmissionBatch);
 * every other answer calls authenticateHubKey first. So a revoked key stores nothing and
 * gets 401, as without the cache; it may only get there after its body was read and checked.
 *
 * @example const keys = hubKeyCache(db); const { caller, cached } = await keys(request.headers.authorization);
 */
export function hubKeyCache(db: Db, options: { ttlMs?: number; now?: () => number } = {}) {
  // Kept only when read with its right secret (so its last use was recorded) and live.
  const keys = ttlCache<{ key: StoredKey | undefined; matched: boolean }>(
    options.ttlMs ?? KEY_TTL_MS,
    options.now ?? Date.now,
    ({ key, matched }) => matched && !key?.revoked_at,
  );
  return async (
    authorization: string | undefined,
  ): Promise<{ caller: HubCaller; cached: boolean }> => {
    const { id, digest } = presentedKey(authorization);
    let loaded = false;
    const { key } = (await keys(id, async () => {
      loaded = true;
      const key = await loadKey(db, id, digest);
      return { key, matched: secretMatches(key, digest) };
    }))!;
    return { caller: callerOfKey(key, digest), cached: !loaded };
  };
}
