import { randomUUID } from 'node:crypto';
import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { Sealer } from '../../../platform/keyring/keyring.js';
import { findOrganisationById } from '../../organisations/index.js';
import { seal } from '../crypto.js';
import type { KeyType, NotifyServiceRow } from '../db/tables.js';

/**
 * The organisation's Notify service, created the first time it is needed (the service id is
 * what every API key of the organisation carries).
 */
export async function ensureService(db: Db, organisationId: string): Promise<NotifyServiceRow> {
  const existing = await db
    .selectFrom('notify_services')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (existing) return existing;
  const organisation = await findOrganisationById(db, organisationId);
  if (!organisation) throw new Error(`no organisation with id ${organisationId}`);
  await db
    .insertInto('notify_services')
    .values({ organisation_id: organisationId, name: organisation.name })
    .onConflict((oc) => oc.column('organisation_id').doNothing())
    .execute();
  return db
    .selectFrom('notify_services')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
}

/** Notify's key type names as people type them: a `live` key is stored as `normal`. */
export function keyTypeFromName(name: string): KeyType | null {
  if (name === 'live' || name === 'normal') return 'normal';
  if (name === 'team' || name === 'test') return name;
  return null;
}

/** How a key's name appears at the start of the key text (`{key_name}-{service_id}-{secret}`). */
export function keyNameSlug(name: string): string {
  return (
    name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'key'
  );
}

/**
 * Issues an API key in Notify's format, `{key_name}-{service_id}-{secret}`. The text is returned
 * this once; only the sealed secret is kept (HS256 needs the secret itself to check a token).
 *
 * @example const { key } = await createApiKey(trx, sealingKey, { organisationId, name: 'Case system', keyType: 'normal' }, actor);
 */
export async function createApiKey(
  db: Db,
  sealingKey: Sealer,
  input: { organisationId: string; name: string; keyType: KeyType; createdBy?: string | null },
  actor: Actor,
): Promise<{ id: string; key: string; serviceId: string }> {
  const service = await ensureService(db, input.organisationId);
  const secret = randomUUID();
  const row = await db
    .insertInto('notify_api_keys')
    .values({
      service_id: service.id,
      name: input.name,
      key_type: input.keyType,
      secret_sealed: seal(sealingKey, secret),
      created_by: input.createdBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: 'notify.api-key.created',
    resourceType: 'notify_api_key',
    resourceId: row.id,
    subjectUserId: null,
    details: { serviceId: service.id, name: input.name, keyType: input.keyType },
  });
  return {
    id: row.id,
    key: `${keyNameSlug(input.name)}-${service.id}-${secret}`,
    serviceId: service.id,
  };
}

/** Revokes a key of the organisation's service; tokens it signs get "API key revoked" from then on. */
export async function revokeApiKey(
  db: Db,
  input: { organisationId: string; keyId: string },
  actor: Actor,
): Promise<boolean> {
  const service = await ensureService(db, input.organisationId);
  const result = await db
    .updateTable('notify_api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', input.keyId)
    .where('service_id', '=', service.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await recordAudit(db, actor, {
    action: 'notify.api-key.revoked',
    resourceType: 'notify_api_key',
    resourceId: input.keyId,
    subjectUserId: null,
    details: { serviceId: service.id },
  });
  return true;
}

/**
 * Sets (or, with a null URL, removes) the URL that delivery-status callbacks are POSTed to and
 * the bearer token they carry. The URL must be https, except to localhost for development.
 */
export async function setDeliveryCallback(
  db: Db,
  sealingKey: Sealer,
  input: { organisationId: string; url: string | null; bearerToken?: string },
  actor: Actor,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (input.url !== null) {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      return { ok: false, reason: 'Enter a URL' };
    }
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))
      return { ok: false, reason: 'The callback URL must start with https://' };
    if (!input.bearerToken || input.bearerToken.length < 10)
      return { ok: false, reason: 'The bearer token must be at least 10 characters' };
  }
  const service = await ensureService(db, input.organisationId);
  await db
    .updateTable('notify_services')
    .set({
      callback_url: input.url,
      callback_token_sealed:
        input.url && input.bearerToken ? seal(sealingKey, input.bearerToken) : null,
    })
    .where('id', '=', service.id)
    .execute();
  await recordAudit(db, actor, {
    action: input.url ? 'notify.callback.set' : 'notify.callback.removed',
    resourceType: 'notify_service',
    resourceId: service.id,
    subjectUserId: null,
    details: { url: input.url },
  });
  return { ok: true };
}
