import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../helpers/app.js';
import {
  oidcClientCreate,
  publishedKeys,
  reloadSigningKeys,
  rotateSigningKeys,
} from '../../src/modules/sso/index.js';
import { stepUpPath } from '../../src/modules/identity/index.js';

const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const PERMITS = 'https://permits.example.gov.uk/callback';
const LIBRARY = 'https://library.example.gov.uk/callback';
const PERMITS_HOME = 'https://permits.example.gov.uk/signed-out';

let app: TestApp;
let issuer: URL;
let backchannel: Server;
let backchannelUrl: string;
const logoutTokens: string[] = [];

interface RelyingParty {
  clientId: string;
  config: oidc.Configuration;
  key: CryptoKey;
  kid: string;
  redirectUri: string;
}

/** A relying party with its own ES256 key pair, registered with the same command as the CLI. */
async function aRelyingParty(
  name: string,
  redirectUri: string,
  extra: string[] = [],
): Promise<RelyingParty> {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const kid = `${name.replace(/\W/g, '-')}-key`;
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rp-')), 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [jwk] }));
  const created = await oidcClientCreate(app.platform.database.db, [
    '--name',
    name,
    '--redirect-uri',
    redirectUri,
    '--auth',
    'private_key_jwt',
    '--jwks-file',
    file,
    ...extra,
  ]);
  expect(created.code, created.err.join('\n')).toBe(0);
  const clientId = /^client_id (\S+)$/.exec(created.out[0]!)![1]!;
  const config = await oidc.discovery(
    issuer,
    clientId,
    { id_token_signed_response_alg: 'ES256' },
    oidc.PrivateKeyJwt({ key: privateKey, kid }),
    { execute: [oidc.allowInsecureRequests] },
  );
  return { clientId, config, key: privateKey, kid, redirectUri };
}

interface Started {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

async function authorizationRequest(
  rp: RelyingParty,
  extra: Record<string, string> = {},
): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(rp.config, {
    redirect_uri: rp.redirectUri,
    scope: 'openid email phone',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    vtr: '["Cl"]',
    ...extra,
  });
  return { url, verifier, state, nonce };
}

/** Follows redirects within Joinedup like a browser, stopping when one leaves for the RP. */
async function follow(visitor: Visitor, start: string, stopAt: (location: string) => boolean) {
  let location = start;
  for (let hop = 0; hop < 12; hop += 1) {
    const response = await visitor.get(location.replace(app.baseUrl, ''));
    const next = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !next) return { response, location };
    location = next;
    if (stopAt(location)) return { response, location };
  }
  throw new Error('too many redirects');
}

const leavesFor = (rp: RelyingParty) => (location: string) => location.startsWith(rp.redirectUri);

/** The whole journey for a signed-out visitor: authorize, sign in, come back with a code. */
async function signInThrough(
  rp: RelyingParty,
  visitor: Visitor,
  extra: Record<string, string> = {},
) {
  const started = await authorizationRequest(rp, extra);
  const first = await follow(visitor, started.url.href, leavesFor(rp));
  if (!leavesFor(rp)(first.location)) {
    expect(first.location).toMatch(/^\/sign-in\?returnTo=%2Foidc%2Finteraction%2F/);
    const returnTo = decodeURIComponent(first.location.split('returnTo=')[1]!);
    const signedIn = await visitor.post('/sign-in', {
      email: CITIZEN[0],
      password: CITIZEN[1],
      returnTo,
    });
    expect(signedIn.status).toBe(303);
    const back = await follow(visitor, signedIn.headers.get('location')!, leavesFor(rp));
    return { ...started, callback: new URL(back.location) };
  }
  return { ...started, callback: new URL(first.location) };
}

async function exchange(rp: RelyingParty, run: Awaited<ReturnType<typeof signInThrough>>) {
  return oidc.authorizationCodeGrant(rp.config, run.callback, {
    pkceCodeVerifier: run.verifier,
    expectedState: run.state,
    expectedNonce: run.nonce,
    idTokenExpected: true,
  });
}

async function citizenId(): Promise<string> {
  const row = await app.platform.database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', CITIZEN[0])
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  app = await startTestApp();
  issuer = new URL(`${app.baseUrl}/oidc`);
  backchannel = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (token) logoutTokens.push(token);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => backchannel.listen(0, '127.0.0.1', resolve));
  const address = backchannel.address();
  backchannelUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/logout`;
});

afterAll(async () => {
  backchannel?.close();
  await app?.close();
});

describe('a relying party built with openid-client', () => {
  it('discovers the provider, profiled like One Login', async () => {
    const rp = await aRelyingParty('Discovery check', PERMITS);
    const metadata = rp.config.serverMetadata();
    expect(metadata.issuer).toBe(issuer.href);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['private_key_jwt', 'client_secret_post']),
    );
    expect(metadata.subject_types_supported).toEqual(['pairwise']);
    expect(metadata.id_token_signing_alg_values_supported).toEqual(
      expect.arrayContaining(['ES256', 'RS256']),
    );
    expect(metadata.end_session_endpoint).toBe(`${issuer.href}/session/end`);
    expect(metadata.backchannel_logout_supported).toBe(true);
    const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as { keys: jose.JWK[] };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  });

  it('signs the demo citizen in at Cl with PKCE and private_key_jwt, with vot, vtm and a pairwise sub', async () => {
    const permits = await aRelyingParty('Parking permits', PERMITS);
    const library = await aRelyingParty('Library', LIBRARY);
    const visitor = new Visitor(app.baseUrl);

    const run = await signInThrough(permits, visitor);
    expect(run.callback.searchParams.get('iss')).toBe(issuer.href);
    const tokens = await exchange(permits, run);
    const claims = tokens.claims()!;
    expect(claims.vot).toBe('Cl');
    expect(claims.vtm).toBe(`${issuer.href}/trustmark`);
    expect(claims.aud).toBe(permits.clientId);
    expect(claims.sub).not.toBe(await citizenId());
    expect(jose.decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');

    const trustmark = (await (await fetch(claims.vtm as string)).json()) as { idp: string };
    expect(trustmark.idp).toBe(issuer.href);

    const userinfo = await oidc.fetchUserInfo(permits.config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ email: CITIZEN[0], email_verified: true });
    expect(userinfo).not.toHaveProperty('vot');

    // Already signed in: the library's request needs no sign-in, and sees another sub.
    const again = await signInThrough(library, visitor);
    const libraryClaims = (await exchange(library, again)).claims()!;
    expect(libraryClaims.sub).not.toBe(claims.sub);

    const audit = await app.platform.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'sso.signed_in')
      .where('resource_id', '=', permits.clientId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.subject_user_id).toBe(await citizenId());
    expect(audit[0]!.details).toMatchObject({ client: 'Parking permits' });
  });

  it('gives the same sub to two services that share a configured sector', async () => {
    const a = await aRelyingParty('Sector A', PERMITS, ['--sector', 'council.example.gov.uk']);
    const b = await aRelyingParty('Sector B', LIBRARY, ['--sector', 'council.example.gov.uk']);
    const visitor = new Visitor(app.baseUrl);
    const subA = (await exchange(a, await signInThrough(a, visitor))).claims()!.sub;
    const subB = (await exchange(b, await signInThrough(b, visitor))).claims()!.sub;
    expect(subA).toBe(subB);
  });

  it('signs a client_secret_post relying party in with the secret the command printed once', async () => {
    const created = await oidcClientCreate(app.platform.database.db, [
      '--name',
      'Secret RP',
      '--redirect-uri',
      PERMITS,
      '--auth',
      'client_secret_post',
    ]);
    expect(created.code).toBe(0);
    const clientId = /^client_id (\S+)$/.exec(created.out[0]!)![1]!;
    const secret = /^client_secret (\S+)/.exec(created.out[1]!)![1]!;
    const config = await oidc.discovery(
      issuer,
      clientId,
      { id_token_signed_response_alg: 'ES256' },
      oidc.ClientSecretPost(secret),
      { execute: [oidc.allowInsecureRequests] },
    );
    const rp = { clientId, config, key: null as never, kid: '', redirectUri: PERMITS };
    const tokens = await exchange(rp, await signInThrough(rp, new Visitor(app.baseUrl)));
    expect(tokens.claims()!.vot).toBe('Cl');
  });

  it('shows the interaction pages in Welsh when the relying party asks with ui_locales=cy', async () => {
    const rp = await aRelyingParty('Welsh RP', PERMITS);
    const visitor = new Visitor(app.baseUrl);
    const started = await authorizationRequest(rp, { ui_locales: 'cy en' });
    const { location } = await follow(visitor, started.url.href, (l) => l.startsWith('/sign-in'));
    expect(location).toMatch(/^\/sign-in\?returnTo=/);
    const page = await visitor.get(location);
    expect(page.html).toContain('lang="cy"');
  });
});

describe('stepping up for a higher vector of trust', () => {
  it('sends a Cl session to the second factor and resumes the sign-in at Cl.Cm afterwards', async () => {
    const rp = await aRelyingParty('Benefits', PERMITS);
    const visitor = new Visitor(app.baseUrl);
    await visitor.signIn(...CITIZEN);
    const started = await authorizationRequest(rp, { vtr: '["Cl.Cm"]' });
    const { location } = await follow(visitor, started.url.href, (l) =>
      l.startsWith('/sign-in/second-factor'),
    );
    const uid = /interaction%2F([\w-]+)/.exec(location)![1]!;
    expect(location).toBe(stepUpPath(2, `/oidc/interaction/${uid}`));

    // The second factor itself is the identity module's page (tested there); here the
    // session is raised to Cl.Cm as that page does, and the interaction resumes.
    await app.platform.database.db
      .updateTable('sessions')
      .set({ credential_level: 'Cl.Cm' })
      .where('user_id', '=', await citizenId())
      .execute();
    const back = await follow(visitor, `/oidc/interaction/${uid}`, leavesFor(rp));
    const tokens = await exchange(rp, { ...started, callback: new URL(back.location) });
    expect(tokens.claims()!.vot).toBe('Cl.Cm');
  });
});

describe('bad input', () => {
  it('refuses a redirect_uri the relying party did not register, on a bilingual page', async () => {
    const rp = await aRelyingParty('Strict RP', PERMITS);
    const started = await authorizationRequest(rp, { redirect_uri: 'https://evil.example/cb' });
    const visitor = new Visitor(app.baseUrl);
    const response = await visitor.get(started.url.pathname + started.url.search);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.html).toContain('data-code="invalid_redirect_uri"');
    expect(response.html).toContain('has not registered');
  });

  it('refuses an unknown client, in Welsh for a Welsh speaker', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/?lang=cy');
    const response = await visitor.get(
      `/oidc/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(PERMITS)}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`,
    );
    expect(response.status).toBe(400);
    expect(response.html).toContain('data-code="invalid_client"');
    expect(response.html).toContain('gofrestru i fewngofnodi pobl gyda ni');
  });

  it('refuses a vtr it cannot honour', async () => {
    const rp = await aRelyingParty('Vtr RP', PERMITS);
    const started = await authorizationRequest(rp, { vtr: '["Cl.P2"]' });
    const response = await new Visitor(app.baseUrl).get(started.url.pathname + started.url.search);
    const location = new URL(response.headers.get('location')!);
    expect(location.href.startsWith(PERMITS)).toBe(true);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a code whose PKCE verifier does not match', async () => {
    const rp = await aRelyingParty('PKCE RP', PERMITS);
    const run = await signInThrough(rp, new Visitor(app.baseUrl));
    await expect(
      exchange(rp, { ...run, verifier: oidc.randomPKCECodeVerifier() }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a client assertion whose jti was already used', async () => {
    const rp = await aRelyingParty('Replay RP', PERMITS);
    const visitor = new Visitor(app.baseUrl);
    const tokenEndpoint = rp.config.serverMetadata().token_endpoint!;
    const assertion = await new jose.SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: rp.kid })
      .setIssuer(rp.clientId)
      .setSubject(rp.clientId)
      .setAudience(tokenEndpoint)
      .setJti('the-same-jti')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(rp.key);
    const redeem = async () => {
      const run = await signInThrough(rp, visitor);
      return fetch(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: run.callback.searchParams.get('code')!,
          redirect_uri: rp.redirectUri,
          code_verifier: run.verifier,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }),
      });
    };
    expect((await redeem()).status).toBe(200);
    const replayed = await redeem();
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('signing keys', () => {
  it('rotates: new tokens are signed with the new key and the old key stays published', async () => {
    const rp = await aRelyingParty('Rotation RP', PERMITS);
    const db = app.platform.database.db;
    const before = (await publishedKeys(db)).map((k) => k.kid);
    const { created } = await db.transaction().execute((trx) => rotateSigningKeys(trx));
    await reloadSigningKeys(db);
    const jwks = (await (await fetch(rp.config.serverMetadata().jwks_uri!)).json()) as {
      keys: jose.JWK[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([...before, ...created]));
    const tokens = await exchange(rp, await signInThrough(rp, new Visitor(app.baseUrl)));
    expect(created).toContain(jose.decodeProtectedHeader(tokens.id_token!).kid);
  });
});

describe('logout', () => {
  it('RP-initiated logout signs the person out of Joinedup and returns them to the service', async () => {
    const rp = await aRelyingParty('Logout RP', PERMITS, [
      '--post-logout-redirect-uri',
      PERMITS_HOME,
    ]);
    const visitor = new Visitor(app.baseUrl);
    const tokens = await exchange(rp, await signInThrough(rp, visitor));
    const endSession = oidc.buildEndSessionUrl(rp.config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: PERMITS_HOME,
      state: 'bye',
    });
    const page = await visitor.get(endSession.pathname + endSession.search);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Yes, sign me out');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.html)![1]!;
    const done = await visitor.post('/oidc/session/end/confirm', { xsrf, logout: 'yes' }, '');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${PERMITS_HOME}?state=bye`);

    // Signed out of Joinedup too: the next sign-in through a service asks for the password.
    const started = await authorizationRequest(rp);
    const { location } = await follow(visitor, started.url.href, (l) => l.startsWith('/sign-in'));
    expect(location).toMatch(/^\/sign-in\?returnTo=/);
  });

  it('sends a signed back-channel logout token when the person signs out of Joinedup', async () => {
    const rp = await aRelyingParty('Backchannel RP', PERMITS, [
      '--backchannel-logout-uri',
      backchannelUrl,
    ]);
    const visitor = new Visitor(app.baseUrl);
    const tokens = await exchange(rp, await signInThrough(rp, visitor));
    const sub = tokens.claims()!.sub;
    await visitor.get('/');
    logoutTokens.length = 0;
    const signedOut = await visitor.post('/sign-out', {});
    expect(signedOut.status).toBe(303);
    expect(logoutTokens).toHaveLength(1);
    const jwks = jose.createRemoteJWKSet(new URL(rp.config.serverMetadata().jwks_uri!));
    const { payload } = await jose.jwtVerify(logoutTokens[0]!, jwks, {
      issuer: issuer.href,
      audience: rp.clientId,
    });
    expect(payload.sub).toBe(sub);
    expect(payload.sid).toBe(tokens.claims()!.sid);
    expect(payload.events).toHaveProperty('http://schemas.openid.net/event/backchannel-logout');
  });
});

describe('admin pages', () => {
  it('lets a platform admin register a relying party, and refuses bad input with a 400', async () => {
    const admin = new Visitor(app.baseUrl);
    await admin.signIn('admin@cabinet-office.example.gov.uk', 'demo-platform-admin');
    await admin.get('/admin/relying-parties/new');
    const bad = await admin.post('/admin/relying-parties', {
      name: '',
      redirectUris: 'not a url',
      authMethod: 'private_key_jwt',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('Enter the service name');

    const good = await admin.post('/admin/relying-parties', {
      name: 'Council tax',
      redirectUris: 'https://tax.example.gov.uk/cb',
      authMethod: 'client_secret_post',
    });
    expect(good.status).toBe(201);
    const clientId = /id="client-id">([^<]+)</.exec(good.html)![1]!;
    expect(good.html).toContain('id="client-secret"');
    const list = await admin.get('/admin/relying-parties');
    expect(list.html).toContain(clientId);
    const audit = await app.platform.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'sso.client_registered')
      .where('resource_id', '=', clientId)
      .executeTakeFirst();
    expect(audit?.actor_role).toBe('platform-admin');
  });

  it('hides the pages from a citizen', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    expect((await citizen.get('/admin/relying-parties')).status).toBe(404);
  });
});
