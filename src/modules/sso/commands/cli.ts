import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import { loadMessages, translator } from '../../../platform/i18n/i18n.js';
import { rotateSigningKeys } from '../keys.js';
import { AUTH_METHODS, registerRelyingParty, type AuthMethod } from './relying-parties.js';

/** What a command printed and its exit code, so the CLI and the tests run the same code. */
export interface CommandResult {
  code: number;
  out: string[];
  err: string[];
}

/**
 * `joinedup oidc:client:create --name N --redirect-uri U [--redirect-uri U2]
 * [--post-logout-redirect-uri U] [--backchannel-logout-uri U]
 * [--auth private_key_jwt|client_secret_post] [--jwks-uri U | --jwks-file F] [--sector S]
 * [--allow-submissions]`: registers a relying party and prints its client_id (and, for
 * client_secret_post, the secret, this once). `--allow-submissions` lets it ask people for the
 * `submissions` scope (docs/guides/oauth-submissions.md).
 */
export async function oidcClientCreate(
  db: Kysely<Database>,
  args: string[],
): Promise<CommandResult> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'post-logout-redirect-uri': { type: 'string', multiple: true },
      'backchannel-logout-uri': { type: 'string' },
      auth: { type: 'string', default: 'private_key_jwt' },
      'jwks-uri': { type: 'string' },
      'jwks-file': { type: 'string' },
      sector: { type: 'string' },
      'allow-submissions': { type: 'boolean', default: false },
    },
  });
  const err: string[] = [];
  if (!(AUTH_METHODS as readonly string[]).includes(values.auth!))
    return { code: 64, out: [], err: [`--auth must be one of ${AUTH_METHODS.join(', ')}`] };
  let jwks: string | undefined;
  if (values['jwks-file']) {
    try {
      jwks = readFileSync(values['jwks-file'], 'utf8');
    } catch {
      return { code: 1, out: [], err: [`Cannot read ${values['jwks-file']}`] };
    }
  }
  const outcome = await db.transaction().execute((trx) =>
    registerRelyingParty(
      trx,
      { userId: null, organisationId: null, role: 'cli' },
      {
        name: values.name ?? '',
        redirectUris: values['redirect-uri'] ?? [],
        postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
        authMethod: values.auth as AuthMethod,
        ...(values['jwks-uri'] ? { jwksUri: values['jwks-uri'] } : {}),
        ...(jwks ? { jwks } : {}),
        ...(values['backchannel-logout-uri']
          ? { backchannelLogoutUri: values['backchannel-logout-uri'] }
          : {}),
        ...(values.sector ? { sector: values.sector } : {}),
        submissions: values['allow-submissions'] === true,
      },
    ),
  );
  if (!outcome.ok) {
    const t = translator(await loadMessages(), 'en');
    for (const e of outcome.errors) err.push(`${e.field}: ${t(e.message)}`);
    return { code: 1, out: [], err };
  }
  const out = [`client_id ${outcome.clientId}`];
  if (outcome.clientSecret)
    out.push(`client_secret ${outcome.clientSecret} (shown once: keep it safe)`);
  return { code: 0, out, err };
}

/**
 * `joinedup oidc:keys:rotate`: new signing keys (ES256 and RS256) take over; the old ones stay
 * in the JWKS for a day. Running nodes pick the new keys up within 30 seconds.
 */
export async function oidcKeysRotate(db: Kysely<Database>): Promise<CommandResult> {
  const { retired, created } = await db.transaction().execute((trx) => rotateSigningKeys(trx));
  return {
    code: 0,
    out: [
      `New signing keys: ${created.join(', ')}`,
      `Retired (published for a day): ${retired.join(', ') || 'none'}`,
    ],
    err: [],
  };
}
