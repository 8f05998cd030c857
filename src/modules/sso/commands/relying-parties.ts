import { randomBytes } from 'node:crypto';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';

export const AUTH_METHODS = ['private_key_jwt', 'client_secret_post'] as const;

/** The scopes every relying party may ask for: signing a person in and their details. */
export const SIGN_IN_SCOPES = ['openid', 'email', 'phone', 'profile', 'address'] as const;
/**
 * The scope to send applications for a person through the submission hub. Only a relying party
 * registered with it may ask, and the person must agree to it on its own page.
 */
export const SUBMISSIONS_SCOPE = 'submissions';
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** What an administrator (or `joinedup oidc:client:create`) gives to register a relying party. */
export interface RelyingPartyInput {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string;
  authMethod: AuthMethod;
  /** For private_key_jwt: where the relying party publishes its public keys… */
  jwksUri?: string;
  /** …or its public keys themselves, as JWKS JSON text. */
  jwks?: string;
  /** A sector identifier (host name) to share pairwise subjects between several relying parties. */
  sector?: string;
  /** May ask people for the `submissions` scope (to send applications for them). */
  submissions?: boolean;
}

/** http is allowed only for this machine, for development and tests. */
function isAllowedUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.hash || url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

function parsePublicJwks(text: string): { keys: Record<string, unknown>[] } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 10) return null;
  for (const key of keys) {
    if (typeof key !== 'object' || key === null) return null;
    const k = key as Record<string, unknown>;
    // A private key pasted by mistake must not be stored: `d` (EC, RSA) or `k` (symmetric).
    if (typeof k.kty !== 'string' || 'd' in k || 'k' in k) return null;
  }
  return { keys: keys as Record<string, unknown>[] };
}

/** Checks the input, field by field, in the order the admin form shows them. */
export function relyingPartyProblems(input: RelyingPartyInput): FieldError[] {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', message: 'sso.admin.name.missing' });
  else if (name.length > 100) errors.push({ field: 'name', message: 'sso.admin.name.tooLong' });
  if (input.redirectUris.length === 0)
    errors.push({ field: 'redirectUris', message: 'sso.admin.redirectUris.missing' });
  else if (input.redirectUris.length > 10 || !input.redirectUris.every(isAllowedUrl))
    errors.push({ field: 'redirectUris', message: 'sso.admin.redirectUris.invalid' });
  if (!(input.postLogoutRedirectUris ?? []).every(isAllowedUrl))
    errors.push({ field: 'postLogoutRedirectUris', message: 'sso.admin.postLogout.invalid' });
  if (input.backchannelLogoutUri && !isAllowedUrl(input.backchannelLogoutUri))
    errors.push({ field: 'backchannelLogoutUri', message: 'sso.admin.backchannel.invalid' });
  if (!AUTH_METHODS.includes(input.authMethod)) {
    errors.push({ field: 'authMethod', message: 'sso.admin.authMethod.missing' });
  } else if (input.authMethod === 'private_key_jwt') {
    if (input.jwksUri && input.jwks)
      errors.push({ field: 'jwksUri', message: 'sso.admin.jwks.both' });
    else if (!input.jwksUri && !input.jwks)
      errors.push({ field: 'jwksUri', message: 'sso.admin.jwks.missing' });
    else if (input.jwksUri && !isAllowedUrl(input.jwksUri))
      errors.push({ field: 'jwksUri', message: 'sso.admin.jwksUri.invalid' });
    else if (input.jwks && !parsePublicJwks(input.jwks))
      errors.push({ field: 'jwks', message: 'sso.admin.jwks.invalid' });
  }
  if (
    input.sector &&
    !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(input.sector)
  )
    errors.push({ field: 'sector', message: 'sso.admin.sector.invalid' });
  return errors;
}

/**
 * Registers a relying party. For `client_secret_post` the secret is returned once, to be
 * given to the relying party; oidc-provider compares it as given, so it is stored as is.
 * Records `sso.client_registered` in the audit log.
 *
 * @example const outcome = await registerRelyingParty(trx, actor, { name: 'Parking permits', … });
 */
export async function registerRelyingParty(
  db: Db,
  actor: Actor,
  input: RelyingPartyInput,
): Promise<Outcome<{ clientId: string; clientSecret: string | null }>> {
  const errors = relyingPartyProblems(input);
  if (errors.length) return { ok: false, errors };
  const clientId = `ju-${randomBytes(12).toString('base64url')}`;
  const clientSecret =
    input.authMethod === 'client_secret_post' ? randomBytes(32).toString('base64url') : null;
  const metadata: Record<string, unknown> = {
    client_name: input.name.trim(),
    redirect_uris: input.redirectUris,
    post_logout_redirect_uris: input.postLogoutRedirectUris ?? [],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: input.authMethod,
    id_token_signed_response_alg: 'ES256',
    subject_type: 'pairwise',
    // What it may ask for (oidc-provider refuses anything else with invalid_scope).
    scope: [...SIGN_IN_SCOPES, ...(input.submissions ? [SUBMISSIONS_SCOPE] : [])].join(' '),
    ...(clientSecret ? { client_secret: clientSecret } : {}),
    ...(input.jwksUri ? { jwks_uri: input.jwksUri } : {}),
    ...(input.jwks ? { jwks: parsePublicJwks(input.jwks) } : {}),
    ...(input.backchannelLogoutUri
      ? {
          backchannel_logout_uri: input.backchannelLogoutUri,
          backchannel_logout_session_required: true,
        }
      : {}),
    ...(input.sector ? { joinedup_sector: input.sector.toLowerCase() } : {}),
  };
  await db
    .insertInto('oidc_clients')
    .values({
      client_id: clientId,
      name: input.name.trim(),
      metadata: JSON.stringify(metadata),
      created_by: actor.userId,
    })
    .execute();
  await recordAudit(db, actor, {
    action: 'sso.client_registered',
    resourceType: 'oidc_client',
    resourceId: clientId,
    subjectUserId: null,
    details: {
      name: input.name.trim(),
      authMethod: input.authMethod,
      submissions: Boolean(input.submissions),
    },
  });
  return { ok: true, clientId, clientSecret };
}
