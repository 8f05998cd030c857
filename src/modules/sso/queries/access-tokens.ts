import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';

/** What an access token the provider issued stands for, when it is still good. */
export interface IntrospectedToken {
  /** The person who granted it (the Joinedup user id, not the pairwise `sub`). */
  userId: string;
  /** The relying party it was issued to. */
  clientId: string;
  scopes: string[];
  expiresAt: Date;
}

/** oidc-provider's opaque access tokens: 43 characters of base64url (256 bits). */
const TOKEN_TEXT = /^[A-Za-z0-9_-]{20,128}$/;

interface StoredAccessToken {
  jti?: unknown;
  kind?: unknown;
  exp?: unknown;
  accountId?: unknown;
  clientId?: unknown;
  grantId?: unknown;
  scope?: unknown;
  sessionUid?: unknown;
  expiresWithSession?: unknown;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks an access token Joinedup's OpenID Connect provider issued, for another module that
 * accepts it as a bearer token (the submission hub): read from the provider's own storage
 * (`oidc_payloads`; tokens are opaque, their value is their id). Undefined unless the token
 * exists, has not expired, was not revoked (revocation and sign-out delete it, or its grant),
 * its grant still stands, its sign-in session too when it ends with it, and its client is
 * still registered. The stored value is compared with the one given in constant time.
 *
 * @example const token = await introspectAccessToken(db, bearer);
 *          if (token?.scopes.includes('submissions')) …
 */
export async function introspectAccessToken(
  db: Db,
  token: string,
): Promise<IntrospectedToken | undefined> {
  if (!TOKEN_TEXT.test(token)) return undefined;
  const row = await db
    .selectFrom('oidc_payloads')
    .select(['payload', 'expires_at', 'consumed_at'])
    .where('type', '=', 'AccessToken')
    .where('id', '=', token)
    .executeTakeFirst();
  if (!row || row.consumed_at) return undefined;
  const stored = row.payload as StoredAccessToken;
  if (stored.kind !== 'AccessToken' || typeof stored.jti !== 'string') return undefined;
  if (!sameText(stored.jti, token)) return undefined;
  const { accountId, clientId, grantId, exp } = stored;
  if (typeof accountId !== 'string' || typeof clientId !== 'string') return undefined;
  if (typeof grantId !== 'string' || typeof exp !== 'number') return undefined;
  const now = Date.now();
  const expiresAt = new Date(exp * 1000);
  if (expiresAt.getTime() <= now) return undefined;
  if (row.expires_at && new Date(row.expires_at).getTime() <= now) return undefined;

  const [grant, client, session] = await Promise.all([
    live(db, 'Grant', 'id', grantId),
    db
      .selectFrom('oidc_clients')
      .select('client_id')
      .where('client_id', '=', clientId)
      .executeTakeFirst(),
    stored.expiresWithSession && typeof stored.sessionUid === 'string'
      ? live(db, 'Session', 'uid', stored.sessionUid)
      : Promise.resolve({}),
  ]);
  if (!grant || !client || !session) return undefined;
  const grantPayload = grant as { accountId?: unknown; clientId?: unknown };
  if (grantPayload.accountId !== accountId || grantPayload.clientId !== clientId) return undefined;
  const scopes = typeof stored.scope === 'string' ? stored.scope.split(' ').filter(Boolean) : [];
  return { userId: accountId, clientId, scopes, expiresAt };
}

/** A stored artefact that has not expired or been consumed. */
async function live(
  db: Db,
  type: string,
  column: 'id' | 'uid',
  value: string,
): Promise<Record<string, unknown> | undefined> {
  const row = await db
    .selectFrom('oidc_payloads')
    .select(['payload', 'expires_at', 'consumed_at'])
    .where('type', '=', type)
    .where(column, '=', value)
    .executeTakeFirst();
  if (!row || row.consumed_at) return undefined;
  if (row.expires_at && new Date(row.expires_at).getTime() <= Date.now()) return undefined;
  return row.payload;
}
