import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';

/** Algorithms we sign with: ES256 by default (as One Login), RS256 for relying parties that need it. */
export const SIGNING_ALGS = ['ES256', 'RS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** How long a retired key stays in the JWKS: longer than any token it signed lives. */
export const RETIRED_KEY_GRACE_SECONDS = 24 * 3600;

/** A private JWK with its `kid`, `alg` and `use`, as oidc-provider's `jwks` option takes it. */
export type PrivateJwk = Record<string, unknown> & { kid: string; alg: SigningAlg; use: 'sig' };

function newKey(alg: SigningAlg): PrivateJwk {
  const { privateKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { ...jwk, kid: randomBytes(12).toString('base64url'), alg, use: 'sig' };
}

async function insertKey(db: Db, alg: SigningAlg): Promise<string> {
  const key = newKey(alg);
  await db
    .insertInto('oidc_keys')
    .values({ kid: key.kid, alg, private_jwk: JSON.stringify(key) })
    .execute();
  return key.kid;
}

/**
 * Makes sure there is a current signing key for each algorithm, generating one on first
 * start. Returns the kids it created.
 */
export async function ensureSigningKeys(db: Db): Promise<string[]> {
  const current = await db
    .selectFrom('oidc_keys')
    .select('alg')
    .where('retired_at', 'is', null)
    .execute();
  const created: string[] = [];
  for (const alg of SIGNING_ALGS) {
    if (!current.some((row) => row.alg === alg)) created.push(await insertKey(db, alg));
  }
  return created;
}

/**
 * Key rotation: a new key for each algorithm becomes the signing key; the old ones are
 * retired but stay published until `graceSeconds` from now, so relying parties can still
 * check tokens they signed. Call inside a transaction (the CLI `oidc:keys:rotate` does).
 *
 * @example await db.transaction().execute((trx) => rotateSigningKeys(trx));
 */
export async function rotateSigningKeys(
  db: Db,
  graceSeconds = RETIRED_KEY_GRACE_SECONDS,
): Promise<{ retired: string[]; created: string[] }> {
  const retired = await db
    .updateTable('oidc_keys')
    .set({
      retired_at: sql<Date>`now()`,
      expires_at: new Date(Date.now() + graceSeconds * 1000),
    })
    .where('retired_at', 'is', null)
    .returning('kid')
    .execute();
  const created: string[] = [];
  for (const alg of SIGNING_ALGS) created.push(await insertKey(db, alg));
  return { retired: retired.map((r) => r.kid), created };
}

/**
 * The keys to publish and sign with, current ones first (oidc-provider signs with the first
 * key of an algorithm), then retired ones that have not yet expired.
 */
export async function publishedKeys(db: Db): Promise<PrivateJwk[]> {
  const rows = await db
    .selectFrom('oidc_keys')
    .select(['private_jwk'])
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
    .orderBy(sql`retired_at is not null`)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => r.private_jwk as PrivateJwk);
}

/** A secret generated once and shared by every node (e.g. the pairwise subject salt). */
export async function sharedSecret(db: Db, name: string): Promise<string> {
  await db
    .insertInto('oidc_secrets')
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('oidc_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}
