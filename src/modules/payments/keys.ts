import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import type { PayApiKeyRow } from './db/tables.js';

/** What every payments key starts with, so secret scanners (and people) recognise one. */
export const PAY_KEY_PREFIX = 'jupay';
const KEY_TEXT = /^jupay\.([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;

/** The body a request's key belongs to. */
export interface PayCaller {
  keyId: string;
  organisationId: string;
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Issues a payments API key for a body: `jupay.<key id>.<secret>`, the secret 256 random bits.
 * The text is returned this once; only the SHA-256 of the secret is kept, and a four-character hint.
 *
 * @example const { key } = await createPayKey(trx, { organisationId, name: 'Parking permits' }, actor);
 */
export async function createPayKey(
  db: Db,
  input: { organisationId: string; name: string; createdBy?: string | null },
  actor: Actor,
): Promise<{ id: string; key: string }> {
  const secret = randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('pay_api_keys')
    .values({
      organisation_id: input.organisationId,
      name: input.name,
      secret_sha256: sha256Hex(secret),
      hint: secret.slice(-4),
      created_by: input.createdBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: 'payments.api-key.created',
    resourceType: 'pay_api_key',
    resourceId: row.id,
    subjectUserId: null,
    details: { organisationId: input.organisationId, name: input.name },
  });
  return { id: row.id, key: `${PAY_KEY_PREFIX}.${row.id.replace(/-/g, '')}.${secret}` };
}

/** Revokes one of the body's keys; false if there was no live one to revoke. */
export async function revokePayKey(
  db: Db,
  input: { organisationId: string; keyId: string },
  actor: Actor,
): Promise<boolean> {
  const result = await db
    .updateTable('pay_api_keys')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', input.keyId)
    .where('organisation_id', '=', input.organisationId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await recordAudit(db, actor, {
    action: 'payments.api-key.revoked',
    resourceType: 'pay_api_key',
    resourceId: input.keyId,
    subjectUserId: null,
    details: { organisationId: input.organisationId },
  });
  return true;
}

/** A body's keys, newest first, revoked ones included. */
export async function listPayKeys(db: Db, organisationId: string): Promise<PayApiKeyRow[]> {
  return db
    .selectFrom('pay_api_keys')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * The body whose live key is in `Authorization: Bearer jupay.…` (the secret's SHA-256 compared
 * in constant time), or null: Pay answers every bad credential with the same 401.
 */
export async function authenticatePayKey(
  db: Db,
  authorization: string | undefined,
): Promise<PayCaller | null> {
  if (!authorization || authorization.slice(0, 7).toLowerCase() !== 'bearer ') return null;
  const match = KEY_TEXT.exec(authorization.slice(7).trim());
  if (!match) return null;
  const key = await db
    .selectFrom('pay_api_keys')
    .select(['id', 'organisation_id', 'secret_sha256', 'revoked_at'])
    .where('id', '=', uuidFromHex(match[1]!))
    .executeTakeFirst();
  const presented = Buffer.from(sha256Hex(match[2]!), 'hex');
  const stored = Buffer.from(key?.secret_sha256 ?? '0'.repeat(64), 'hex');
  if (!timingSafeEqual(presented, stored) || !key || key.revoked_at) return null;
  return { keyId: key.id, organisationId: key.organisation_id };
}
