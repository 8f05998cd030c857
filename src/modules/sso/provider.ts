import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import Provider, {
  errors,
  interactionPolicy,
  type Account,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { Logger } from 'pino';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Config } from '../../platform/config/config.js';
import type { Database } from '../../platform/db/database.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import type { CurrentUser } from '../../platform/http/types.js';
import { sessionSecrets } from '../../platform/keyring/keyring.js';
import {
  endSession,
  findUserById,
  findVerifiedIdentity,
  SESSION_COOKIE,
  type KeptVerifiedIdentity,
} from '../identity/index.js';
import { databaseAdapter, purgeExpiredPayloads } from './db/adapter.js';
import { SIGN_IN_SCOPES, SUBMISSIONS_SCOPE } from './commands/relying-parties.js';
import { ensureSigningKeys, publishedKeys, sharedSecret } from './keys.js';
import { levelOfVector, parseVtr } from './vectors.js';

/** Where the provider is mounted; the issuer is the site's address followed by this. */
export const OIDC_PREFIX = '/oidc';

/** How often a node looks for rotated keys in the database. */
const KEY_CHECK_MS = 30_000;

/**
 * What the Fastify side knows about a request, handed to oidc-provider on the raw request:
 * the Joinedup session's person, the language, and a way to render our bilingual pages.
 */
export interface SsoRequestState {
  user: CurrentUser | null;
  locale: Locale;
  t: Translate;
  render(template: string, data: Record<string, unknown>): Promise<string>;
  requestId: string;
}

const STATE = Symbol('joinedup.sso');

export function attachState(req: IncomingMessage, state: SsoRequestState): void {
  (req as IncomingMessage & { [STATE]?: SsoRequestState })[STATE] = state;
}

function stateOf(ctx: KoaContextWithOIDC): SsoRequestState | undefined {
  return (ctx.req as IncomingMessage & { [STATE]?: SsoRequestState })[STATE];
}

/**
 * The pairwise subject for a person at a sector (a relying party's redirect host, or the
 * sector an admin configured): an HMAC of the user id under a secret shared by all nodes, so
 * relying parties cannot join up what they know of a person without asking.
 */
export function pairwiseSubject(salt: string, sector: string, userId: string): string {
  return createHmac('sha256', salt).update(`${sector}\n${userId}`).digest('base64url');
}

/** A client's sector: the one an admin set, or the host of its first redirect URI. */
export function sectorOf(client: {
  sectorIdentifier?: string;
  metadata(): Record<string, unknown>;
}) {
  const configured = client.metadata().joinedup_sector;
  return typeof configured === 'string' && configured
    ? configured
    : (client.sectorIdentifier ?? '');
}

/** The trustmark document's address, which ID tokens carry as `vtm`. */
export function trustmarkUrl(issuer: string): string {
  return `${issuer}/trustmark`;
}

interface Dependencies {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
}

/**
 * Builds oidc-provider over the database, profiled like GOV.UK One Login: authorization code
 * with PKCE (S256, always), private_key_jwt or client_secret_post, pairwise subjects, ES256
 * ID tokens carrying `vot`/`vtm`, vectors of trust, RP-initiated and back-channel logout.
 */
export async function buildProvider(
  { db, config, logger }: Dependencies,
  issuer: string,
): Promise<{ provider: Provider; keyFingerprint: string; salt: string }> {
  await ensureSigningKeys(db);
  const keys = await publishedKeys(db);
  const salt = await sharedSecret(db, 'pairwise-salt');
  // Newest first: the provider signs its cookies with the first and accepts any, so cookies
  // signed before SESSION_SECRET changed still hold during a rotation (src/platform/keyring).
  const cookieKeys = sessionSecrets(config).map((secret) =>
    createHmac('sha256', secret).update('oidc-cookies').digest('base64url'),
  );

  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  // The Joinedup session is the source of truth: signed out there, or someone else signed
  // in, means the provider's own session no longer stands.
  login.checks.add(
    new interactionPolicy.Check(
      'joinedup_session',
      'the Joinedup session has ended or changed',
      'login_required',
      (ctx) => {
        const user = stateOf(ctx)?.user;
        return !user || user.id !== ctx.oidc.session?.accountId
          ? interactionPolicy.Check.REQUEST_PROMPT
          : interactionPolicy.Check.NO_NEED_TO_PROMPT;
      },
    ),
  );
  login.checks.add(
    new interactionPolicy.Check(
      'vtr_not_met',
      'the vector of trust asked for is higher than the session gives',
      'login_required',
      (ctx) => {
        const asked = parseVtr(ctx.oidc.params?.vtr);
        const achieved = levelOfVector(ctx.oidc.session?.acr);
        return asked.ok && achieved < asked.level
          ? interactionPolicy.Check.REQUEST_PROMPT
          : interactionPolicy.Check.NO_NEED_TO_PROMPT;
      },
    ),
  );

  const configuration: Configuration = {
    adapter: databaseAdapter(db),
    jwks: { keys: keys as never },
    cookies: { keys: cookieKeys, long: { signed: true }, short: { signed: true } },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      id_token_signed_response_alg: 'ES256',
      subject_type: 'pairwise',
    },
    subjectTypes: ['pairwise'],
    async pairwiseIdentifier(_ctx, accountId, client) {
      return pairwiseSubject(salt, sectorOf(client as never), accountId);
    },
    extraClientMetadata: { properties: ['joinedup_sector'] },
    clientAuthMethods: ['private_key_jwt', 'client_secret_post'],
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'RS256'],
      userinfoSigningAlgValues: ['ES256', 'RS256'],
      clientAuthSigningAlgValues: ['ES256', 'RS256', 'PS256'],
      requestObjectSigningAlgValues: ['ES256', 'RS256', 'PS256'],
    },
    scopes: [...OIDC_SCOPES],
    claims: {
      openid: ['sub', 'vot', 'vtm'],
      email: ['email', 'email_verified'],
      phone: ['phone_number', 'phone_number_verified'],
      // The verified identity: released only for a P2 sign-in (see findAccount).
      profile: [...PROFILE_CLAIMS],
      address: ['address'],
    },
    // Userinfo has no session to look at: each access token remembers the vector its sign-in
    // achieved (kept with the token in the database, never shown to the relying party).
    async extraTokenClaims(ctx, token) {
      if (token.kind !== 'AccessToken') return undefined;
      const vot = ctx.oidc.entities.AuthorizationCode?.acr;
      return typeof vot === 'string' ? { vot } : undefined;
    },
    // vot and vtm belong in the ID token; findAccount gives each claim only where it belongs.
    conformIdTokenClaims: false,
    acrValues: ['Cl', 'Cl.Cm', 'Cl.Cm.P2'],
    extraParams: {
      async vtr(_ctx, value) {
        if (!parseVtr(value).ok)
          throw new errors.InvalidRequest('vtr must be a JSON array of vectors such as ["Cl.Cm"]');
      },
    },
    pkce: { required: () => true },
    clientBasedCORS: () => false,
    // oidc-provider refuses to fetch (JWKS URIs, back-channel logout) from special-use
    // addresses such as 127.0.0.1. A development or test site (no BASE_URL, or a localhost
    // one) may have its relying parties on this machine; anywhere else the guard stays.
    fetch: (url, options) => {
      const local = LOCAL_HOSTS.has(new URL(url instanceof Request ? url.url : url).hostname);
      if (!local || !config.developmentSite) return globalThis.fetch(url, options);
      const { dispatcher: _guarded, ...unguarded } = options as RequestInit & {
        dispatcher?: unknown;
      };
      return globalThis.fetch(url, unguarded);
    },
    features: {
      devInteractions: { enabled: false },
      requestObjects: { enabled: true },
      claimsParameter: { enabled: true },
      // A client revokes only the tokens issued to itself.
      revocation: {
        enabled: true,
        async allowedPolicy(_ctx, client, token) {
          return token.clientId === client.clientId;
        },
      },
      // RFC 7662, for registered clients (authenticated as at the token endpoint), about
      // the tokens issued to themselves only.
      introspection: {
        enabled: true,
        async allowedPolicy(_ctx, client, token) {
          return token.clientId === client.clientId;
        },
      },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          await renderPage(ctx, 'modules/sso/pages/logout/logout.njk', {
            form,
            clientName: ctx.oidc.client?.clientName,
          });
        },
        async postLogoutSuccessSource(ctx) {
          await renderPage(ctx, 'modules/sso/pages/logout/signed-out.njk', {
            clientName: ctx.oidc.client?.clientName,
          });
        },
      },
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}`,
    },
    // Consent is implicit for signing in: relying parties are public bodies an administrator
    // registered. Sending applications for a person (`submissions`) is never implied: the
    // grant gets it only when the person agrees on the consent page (oidc-routes.ts), and
    // until then the `consent` prompt asks them.
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      const grant = existing
        ? await ctx.oidc.provider.Grant.find(existing)
        : new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      if (!grant) return undefined;
      const scope = String(ctx.oidc.params?.scope ?? 'openid');
      grant.addOIDCScope(
        scope
          .split(' ')
          .filter((s) => (OIDC_SCOPES as readonly string[]).includes(s) && s !== SUBMISSIONS_SCOPE)
          .join(' '),
      );
      // Claims asked for one by one with the `claims` parameter (e.g. birthdate alone).
      const asked = ctx.oidc.params?.claims ? [...ctx.oidc.requestParamClaims] : [];
      if (asked.length > 0) grant.addOIDCClaims(asked);
      await grant.save();
      return grant;
    },
    async findAccount(ctx, id, token) {
      const row = await findUserById(db, id);
      const user = row as Record<string, unknown> | undefined;
      if (!user || user.deleted_at) return undefined;
      // The vector the sign-in achieved: the code's (ID token), the access token's (userinfo).
      const source = token as { acr?: string; extra?: { vot?: unknown } } | undefined;
      const achieved = source?.acr ?? source?.extra?.vot ?? ctx.oidc.session?.acr;
      // The verified identity is read only for a P2 sign-in, and released only then.
      const verified = achieved === 'Cl.Cm.P2' ? await findVerifiedIdentity(db, id) : undefined;
      const account: Account = {
        accountId: id,
        claims(use, _scope, requested) {
          if (use === 'id_token') {
            const vot = (token as { acr?: string } | undefined)?.acr ?? ctx.oidc.session?.acr;
            // In the ID token only what the `claims` parameter asked for there by name.
            const asked = verified
              ? pick(identityClaims(verified), Object.keys(requested ?? {}))
              : {};
            return { sub: id, ...(vot ? { vot } : {}), vtm: trustmarkUrl(issuer), ...asked };
          }
          // Phone columns come with the second-factor work; read them only if they exist.
          const phone = typeof user.phone === 'string' && user.phone ? user.phone : undefined;
          return {
            sub: id,
            email: user.email as string,
            email_verified: Boolean(user.email_verified_at),
            ...(phone
              ? { phone_number: phone, phone_number_verified: Boolean(user.phone_verified_at) }
              : {}),
            ...(verified ? identityClaims(verified) : {}),
          };
        },
      };
      return account;
    },
    async renderError(ctx, out, error) {
      const state = stateOf(ctx);
      const code = String(out.error ?? 'server_error');
      if (ctx.status >= 500) logger.error({ err: error }, 'oidc error');
      await renderPage(ctx, 'modules/sso/pages/errors/error.njk', {
        code,
        known: KNOWN_ERRORS.has(code),
        description: out.error_description,
        requestId: state?.requestId,
      });
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = config.TRUST_PROXY === 'true';
  provider.on('server_error', (_ctx, err) => logger.error({ err }, 'oidc server error'));
  provider.on('authorization.success', (ctx) => {
    const accountId = ctx.oidc.session?.accountId;
    const client = ctx.oidc.client;
    if (!accountId || !client) return;
    void recordAudit(
      db,
      { userId: accountId, organisationId: null, role: null, requestId: stateOf(ctx)?.requestId },
      {
        action: 'sso.signed_in',
        resourceType: 'oidc_client',
        resourceId: client.clientId,
        subjectUserId: accountId,
        details: { client: client.clientName ?? client.clientId, vot: ctx.oidc.session?.acr },
      },
    ).catch((err: unknown) => logger.error({ err }, 'could not audit an SSO sign-in'));
  });
  // "Yes, sign me out" at the end-session page signs the person out of Joinedup too.
  provider.on('end_session.success', (ctx) => {
    if (!ctx.oidc.params?.logout) return;
    const token = ctx.cookies.get(SESSION_COOKIE, { signed: false });
    if (!token) return;
    ctx.cookies.set(SESSION_COOKIE, null, { path: '/', signed: false });
    void endSession(db, token).catch((err: unknown) =>
      logger.error({ err }, 'could not end the Joinedup session at RP-initiated logout'),
    );
  });
  const keyFingerprint = fingerprint(keys.map((k) => k.kid));
  return { provider, keyFingerprint, salt };
}

/** The scopes a relying party may ask for (each client only those it was registered with). */
const OIDC_SCOPES = [...SIGN_IN_SCOPES, SUBMISSIONS_SCOPE] as const;
/** The standard claims of the `profile` scope that Joinedup has: those of a verified identity. */
const PROFILE_CLAIMS = ['name', 'given_name', 'family_name', 'birthdate'] as const;

/**
 * A verified identity as standard OpenID Connect claims (Core §5.1): `address` is structured,
 * with `formatted` as lines separated by newlines.
 *
 * @example identityClaims(sam).address.postal_code // 'GL5 4UB'
 */
export function identityClaims(identity: KeptVerifiedIdentity) {
  const { lines, town, postcode, country } = identity.address;
  return {
    name: `${identity.givenName} ${identity.familyName}`,
    given_name: identity.givenName,
    family_name: identity.familyName,
    birthdate: identity.birthdate,
    address: {
      formatted: [...lines, town, postcode].join('\n'),
      street_address: lines.join('\n'),
      locality: town,
      postal_code: postcode,
      country,
    },
  };
}

function pick<T extends Record<string, unknown>>(from: T, keys: string[]): Partial<T> {
  return Object.fromEntries(
    Object.entries(from).filter(([key]) => keys.includes(key)),
  ) as Partial<T>;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const KNOWN_ERRORS = new Set([
  'invalid_client',
  'invalid_redirect_uri',
  'invalid_request',
  'login_required',
  'access_denied',
  'unauthorized_client',
  'invalid_request_object',
  'session_not_found',
]);

function fingerprint(kids: string[]): string {
  return createHash('sha256').update(kids.join(',')).digest('base64url');
}

async function renderPage(
  ctx: KoaContextWithOIDC,
  template: string,
  data: Record<string, unknown>,
): Promise<void> {
  const state = stateOf(ctx);
  ctx.type = 'html';
  ctx.body = state
    ? await state.render(template, data)
    : 'Sorry, there is a problem with the service';
}

/**
 * One provider per app, rebuilt when another node rotated the keys (checked every 30 s) and
 * once the issuer is known: from BASE_URL, or else the address the server listens on.
 */
export class ProviderHolder {
  private current: {
    provider: Provider;
    keyFingerprint: string;
    salt: string;
    issuer: string;
  } | null = null;
  private building: Promise<NonNullable<ProviderHolder['current']>> | null = null;
  private checkedAt = 0;
  private handlers = new WeakMap<
    Provider,
    (req: IncomingMessage, res: ServerResponse) => unknown
  >();

  constructor(
    private readonly deps: Dependencies,
    private readonly app: FastifyInstance,
  ) {}

  issuer(): string {
    if (this.deps.config.BASE_URL) return `${this.deps.config.baseUrl}${OIDC_PREFIX}`;
    const address = this.app.server.address();
    if (address && typeof address === 'object') {
      const host = ['0.0.0.0', '::'].includes(address.address)
        ? 'localhost'
        : address.family === 'IPv6'
          ? `[${address.address}]`
          : address.address;
      return `http://${host}:${address.port}${OIDC_PREFIX}`;
    }
    return `${this.deps.config.baseUrl}${OIDC_PREFIX}`;
  }

  /** The provider, its pairwise salt and issuer; built on first use. */
  async get(): Promise<NonNullable<ProviderHolder['current']>> {
    const now = Date.now();
    if (this.current && now - this.checkedAt < KEY_CHECK_MS) return this.current;
    if (!this.building) {
      this.building = this.refresh().finally(() => {
        this.building = null;
      });
    }
    return this.building;
  }

  /** Looks at the keys in the database now, rebuilding the provider if they changed. */
  async refresh(): Promise<NonNullable<ProviderHolder['current']>> {
    const issuer = this.issuer();
    const kids = (await publishedKeys(this.deps.db)).map((k) => k.kid);
    this.checkedAt = Date.now();
    // Expired codes, sessions and replay markers are never read again; clear them now and then.
    await purgeExpiredPayloads(this.deps.db);
    if (
      this.current &&
      this.current.issuer === issuer &&
      this.current.keyFingerprint === fingerprint(kids) &&
      kids.length > 0
    )
      return this.current;
    const built = await buildProvider(this.deps, issuer);
    this.current = { ...built, issuer };
    return this.current;
  }

  /** Koa's request handler for a provider, made once. */
  handler(provider: Provider): (req: IncomingMessage, res: ServerResponse) => unknown {
    let handle = this.handlers.get(provider);
    if (!handle) {
      handle = provider.callback();
      this.handlers.set(provider, handle);
    }
    return handle;
  }
}
