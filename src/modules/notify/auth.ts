import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import type { NotifyApiKeyRow, NotifyServiceRow } from './db/tables.js';
import type { Config } from '../../platform/config/config.js';
import type { Opened, Sealer } from '../../platform/keyring/keyring.js';
import { authError, NotifyError } from './errors.js';
import { notifySealingKey } from './crypto.js';
import { isUuid } from '../../platform/validation/uuid.js';

/** Notify's message for a token that cannot be read at all. */
export const GENERAL_TOKEN_ERROR =
  'Invalid token: make sure your API token matches the example at https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header';

/** How far `iat` may be from our clock, as Notify allows. */
export const CLOCK_SKEW_SECONDS = 30;

export interface ApiCaller {
  service: NotifyServiceRow;
  key: NotifyApiKeyRow;
}

function decodePart(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
  return value as Record<string, unknown>;
}

/** The key's secret, or undefined when no session secret on the keyring sealed it. */
function openKeySecret(sealingKey: Sealer, key: NotifyApiKeyRow): Opened | undefined {
  try {
    return sealingKey.open(key.secret_sealed);
  } catch {
    return undefined;
  }
}

/**
 * Seals a key's secret that opened under a previous session secret again under the current one,
 * at its first honest use after a rotation, so that secret can leave SESSION_SECRETS_PREVIOUS.
 */
async function resealKey(
  db: Db,
  sealingKey: Sealer,
  key: NotifyApiKeyRow,
  secret: string,
): Promise<void> {
  await db
    .updateTable('notify_api_keys')
    .set({ secret_sealed: sealingKey.seal(secret) })
    .where('id', '=', key.id)
    .where('secret_sealed', '=', key.secret_sealed)
    .execute();
}

/**
 * Checks a request's `Authorization: Bearer <JWT>` as GOV.UK Notify does: the `iss` claim names
 * the service; the signature (HS256) is tried against each of the service's keys; the key that
 * signed it must not be revoked, and `iat` must be within 30 seconds of our clock. Throws a
 * {@link NotifyError} with Notify's own messages.
 */
export async function authenticate(
  db: Db,
  sealingKey: Sealer,
  header: string | undefined,
  now = Date.now(),
): Promise<ApiCaller> {
  if (!header) throw authError('Unauthorized: authentication token must be provided', 401);
  if (header.slice(0, 7).toLowerCase() !== 'bearer ')
    throw authError('Unauthorized: authentication bearer scheme must be used', 401);
  const token = header.slice(7).trim();
  const parts = token.split('.');
  if (parts.length !== 3) throw authError(GENERAL_TOKEN_ERROR);
  let head: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    head = decodePart(parts[0]!);
    claims = decodePart(parts[1]!);
  } catch {
    throw authError(GENERAL_TOKEN_ERROR);
  }
  if (claims.iss === undefined || claims.iss === null)
    throw authError('Invalid token: iss field not provided');
  if (!isUuid(claims.iss)) throw authError('Invalid token: service id is not the right data type');
  const service = await db
    .selectFrom('notify_services')
    .selectAll()
    .where('id', '=', claims.iss.toLowerCase())
    .executeTakeFirst();
  if (!service) throw authError('Invalid token: service not found');
  const keys = await db
    .selectFrom('notify_api_keys')
    .selectAll()
    .where('service_id', '=', service.id)
    .orderBy('created_at', 'desc')
    .execute();
  if (keys.length === 0) throw authError('Invalid token: service has no API keys');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2]!, 'base64url');
  for (const key of keys) {
    const opened = openKeySecret(sealingKey, key);
    // Sealed under a session secret no longer on the keyring: it cannot be checked, so it
    // matches nothing (`secrets:rotate-check` lists such keys before a secret is dropped).
    if (!opened) continue;
    const expected = createHmac('sha256', opened.plain).update(signed).digest();
    if (expected.length !== signature.length || !timingSafeEqual(expected, signature)) continue;
    if (head.alg !== 'HS256') throw authError('Invalid token: algorithm used is not HS256');
    if (typeof claims.iat !== 'number') throw authError(GENERAL_TOKEN_ERROR);
    if (Math.abs(now / 1000 - claims.iat) > CLOCK_SKEW_SECONDS)
      throw authError('Error: Your system clock must be accurate to within 30 seconds');
    if (key.revoked_at) throw authError('Invalid token: API key revoked');
    if (opened.stale) await resealKey(db, sealingKey, key, opened.plain);
    return { service, key };
  }
  throw authError('Invalid token: API key not found');
}

/** What {@link authenticateNotifyRequest} found: the calling body, or Notify's reason for refusing. */
export type NotifyRequestCaller =
  | {
      ok: true;
      serviceId: string;
      organisationId: string;
      keyId: string;
      keyType: NotifyApiKeyRow['key_type'];
    }
  | { ok: false; status: number; error: string; message: string };

/**
 * The Notify API key check for routes outside `/v2` (the account inbox's API): the same JWT
 * scheme and messages as {@link authenticate}, returned as an outcome instead of thrown.
 *
 * @example const caller = await authenticateNotifyRequest(db, config, request.headers.authorization);
 */
export async function authenticateNotifyRequest(
  db: Db,
  config: Pick<Config, 'SESSION_SECRET' | 'SESSION_SECRETS_PREVIOUS'>,
  authorizationHeader: string | undefined,
  now = Date.now(),
): Promise<NotifyRequestCaller> {
  try {
    const { service, key } = await authenticate(
      db,
      notifySealingKey(config),
      authorizationHeader,
      now,
    );
    return {
      ok: true,
      serviceId: service.id,
      organisationId: service.organisation_id,
      keyId: key.id,
      keyType: key.key_type,
    };
  } catch (error) {
    if (!(error instanceof NotifyError)) throw error;
    const [first] = error.errors;
    return { ok: false, status: error.status, error: first!.error, message: first!.message };
  }
}
