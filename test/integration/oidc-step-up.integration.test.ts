import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../helpers/app.js';
import { oidcClientCreate } from '../../src/modules/sso/index.js';
import { stepUpPath } from '../../src/modules/identity/index.js';

// A real relying party (openid-client 6) signs people in through the real pages: password,
// authenticator app code, and the online identity check. No level is set in the database.

const PASSWORD = 'a long enough password for sso';
const CALLBACK = 'https://benefits.example.gov.uk/callback';
const ADVISER = ['counter@stroud.example.gov.uk', 'demo-stroud-counter-adviser'] as const;

/** Sam Citizen as DWP's demo register holds them (README: "Proving your identity"). */
const SAM = {
  givenName: 'Sam',
  familyName: 'Citizen',
  day: '14',
  month: '7',
  year: '1985',
  nino: 'JG 10 37 59 A',
  postcode: 'gl54ub',
};
/** What userinfo should release for Sam: the register's record, not what was typed. */
const SAM_CLAIMS = {
  name: 'Sam Citizen',
  given_name: 'Sam',
  family_name: 'Citizen',
  birthdate: '1985-07-14',
  address: {
    formatted: '1 High Street\nStroud\nGL5 4UB',
    street_address: '1 High Street',
    locality: 'Stroud',
    postal_code: 'GL5 4UB',
    country: 'GB',
  },
};
const IDENTITY_CLAIMS = ['name', 'given_name', 'family_name', 'birthdate', 'address'];

let app: TestApp;
let issuer: URL;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
  issuer = new URL(`${app.baseUrl}/oidc`);
});
afterAll(async () => {
  await app?.close();
});

interface RelyingParty {
  clientId: string;
  config: oidc.Configuration;
}

/** A relying party with its own ES256 key, registered as the CLI does. */
async function aRelyingParty(name: string): Promise<RelyingParty> {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const kid = `${name.replace(/\W/g, '-')}-key`;
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rp-')), 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [jwk] }));
  const created = await oidcClientCreate(db(), [
    '--name',
    name,
    '--redirect-uri',
    CALLBACK,
    '--auth',
    'private_key_jwt',
    '--jwks-file',
    file,
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
  return { clientId, config };
}

interface Started {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

async function authorizationRequest(
  rp: RelyingParty,
  params: Record<string, string>,
): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(rp.config, {
    redirect_uri: CALLBACK,
    scope: 'openid email profile address',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url, verifier, state, nonce };
}

/** Follows redirects like a browser, stopping at the relying party or where `stopAt` says. */
async function follow(
  visitor: Visitor,
  start: string,
  stopAt: (location: string) => boolean = () => false,
) {
  let location = start;
  for (let hop = 0; hop < 12; hop += 1) {
    if (location.startsWith(CALLBACK)) return { location };
    const response = await visitor.get(location.replace(app.baseUrl, ''));
    const next = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !next) return { location, response };
    location = next;
    if (stopAt(location)) return { location };
  }
  throw new Error('too many redirects');
}

async function exchange(rp: RelyingParty, started: Started, callback: string) {
  expect(callback.startsWith(CALLBACK), `expected the callback, got ${callback}`).toBe(true);
  return oidc.authorizationCodeGrant(rp.config, new URL(callback), {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
    idTokenExpected: true,
  });
}

/** The code an authenticator app shows, one step ahead (setting up spent the current step's). */
function appCode(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
}

let people = 0;

/** Registers through /register and the e-mail code; returns the visitor, signed in at Cl. */
async function register(): Promise<{ visitor: Visitor; email: string; id: string }> {
  const email = `sso-step-up-${++people}@example.com`;
  const visitor = new Visitor(app.baseUrl);
  await visitor.get('/register');
  const registered = await visitor.post('/register', {
    displayName: `Person ${people}`,
    email,
    password: PASSWORD,
    returnTo: '/',
  });
  expect(registered.status).toBe(303);
  const mail = await db()
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'mail.send')
    .where(sql<string>`payload->>'to'`, '=', email)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const code = /\b(\d{6})\b/.exec(String(mail.payload.text))![1]!;
  await visitor.get(registered.headers.get('location')!);
  const confirmed = await visitor.post('/register/confirm', { email, code, returnTo: '/' });
  expect(confirmed.status).toBe(303);
  const { id } = await db()
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return { visitor, email, id };
}

/** Sets up an authenticator app at /account/second-factor; returns the secret the app keeps. */
async function setUpAuthenticator(visitor: Visitor): Promise<string> {
  await visitor.get('/account/second-factor');
  const chosen = await visitor.post('/account/second-factor', { method: 'totp', returnTo: '' });
  expect(chosen.status).toBe(303);
  const page = await visitor.get(chosen.headers.get('location')!);
  const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(page.html)![1]!.replace(/ /g, '');
  const proved = await visitor.post('/account/second-factor/app', {
    code: await generate({ secret }),
    returnTo: '',
  });
  expect(proved.status).toBe(303);
  return secret;
}

/**
 * From an authorization request to the callback for a signed-out visitor: the password at
 * /sign-in, then the app's code at /sign-in/second-factor.
 */
async function signInWithPasswordAndApp(
  visitor: Visitor,
  started: Started,
  email: string,
  secret: string,
): Promise<string> {
  const first = await follow(visitor, started.url.href, (l) => l.startsWith('/sign-in'));
  expect(first.location).toMatch(/^\/sign-in\?returnTo=%2Foidc%2Finteraction%2F/);
  const returnTo = decodeURIComponent(first.location.split('returnTo=')[1]!);
  await visitor.get(first.location);
  const password = await visitor.post('/sign-in', { email, password: PASSWORD, returnTo });
  expect(password.status).toBe(303);
  expect(password.headers.get('location')).toBe('/sign-in/second-factor');
  const page = await visitor.get('/sign-in/second-factor');
  expect(page.html).toContain('Enter the code from your authenticator app');
  const coded = await visitor.post('/sign-in/second-factor', { code: await appCode(secret) });
  expect(coded.status).toBe(303);
  expect(coded.headers.get('location')).toBe(returnTo);
  return (await follow(visitor, returnTo)).location;
}

/** Answers the online identity check's pages as Sam; returns where "Check" sends the person. */
async function verifyAsSam(visitor: Visitor, verifyPath: string): Promise<string> {
  const start = await visitor.get(verifyPath);
  expect(start.status).toBe(200);
  const returnTo = decodeURIComponent(verifyPath.split('returnTo=')[1]!);
  expect((await visitor.post('/verify', { returnTo })).headers.get('location')).toBe(
    '/verify/name',
  );
  const answers: [string, Record<string, string>][] = [
    ['name', { givenName: SAM.givenName, familyName: SAM.familyName }],
    [
      'date-of-birth',
      { 'dateOfBirth-day': SAM.day, 'dateOfBirth-month': SAM.month, 'dateOfBirth-year': SAM.year },
    ],
    ['national-insurance-number', { nino: SAM.nino }],
    ['postcode', { postcode: SAM.postcode }],
  ];
  for (const [step, fields] of answers) {
    await visitor.get(`/verify/${step}`);
    const answered = await visitor.post(`/verify/${step}`, fields);
    expect(answered.status, `answering ${step}`).toBe(303);
  }
  const check = await visitor.get('/verify/check');
  expect(check.status).toBe(200);
  const checked = await visitor.post('/verify/check', {});
  expect(checked.status).toBe(303);
  return checked.headers.get('location')!;
}

async function auditFor(userId: string, action: string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_user_id', '=', userId)
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

/** A person with an authenticator app, signed in through `rp` at P2; the tokens of that sign-in. */
async function aPersonAtP2(rp: RelyingParty) {
  const { visitor, email, id } = await register();
  const secret = await setUpAuthenticator(visitor);
  await visitor.post('/sign-out', {});
  const started = await authorizationRequest(rp, { vtr: '["Cl.Cm.P2"]' });
  // The interaction sends the new Cl.Cm session to the identity check before the callback.
  const sent = await signInWithPasswordAndApp(visitor, started, email, secret);
  expect(sent).toMatch(/^\/verify\?returnTo=/);
  const back = await verifyAsSam(visitor, sent);
  const callback = (await follow(visitor, back)).location;
  return { visitor, email, id, tokens: await exchange(rp, started, callback) };
}

describe('a real relying party stepping a person up from Cl.Cm to P2', () => {
  it('signs a person in at Cl.Cm with their password and app code, then steps them up to P2 through the identity check, releasing the verified name, birth date and address only then', async () => {
    const rp = await aRelyingParty('Benefits online');
    const { visitor, email, id } = await register();
    const secret = await setUpAuthenticator(visitor);
    await visitor.post('/sign-out', {});

    // 1. vtr ["Cl.Cm"]: password, then the authenticator app's code.
    const first = await authorizationRequest(rp, { vtr: '["Cl.Cm"]' });
    const callback = await signInWithPasswordAndApp(visitor, first, email, secret);
    const atCm = await exchange(rp, first, callback);
    expect(atCm.claims()!.vot).toBe('Cl.Cm');
    const sub = atCm.claims()!.sub;
    const before = await oidc.fetchUserInfo(rp.config, atCm.access_token, sub);
    expect(before).toMatchObject({ sub, email, email_verified: true });
    // profile and address were asked for, but the sign-in is not P2: nothing is released.
    for (const claim of IDENTITY_CLAIMS) expect(before).not.toHaveProperty(claim);

    // 2. vtr ["Cl.Cm.P2"]: the same session is sent to /verify, and comes back.
    const second = await authorizationRequest(rp, { vtr: '["Cl.Cm.P2"]' });
    const sent = await follow(visitor, second.url.href, (l) => l.startsWith('/verify'));
    const uid = /interaction%2F([\w-]+)/.exec(sent.location)![1]!;
    expect(sent.location).toBe(stepUpPath(3, `/oidc/interaction/${uid}`));
    const back = await verifyAsSam(visitor, sent.location);
    expect(back).toBe(`/oidc/interaction/${uid}`);
    const resumed = await follow(visitor, back);
    const atP2 = await exchange(rp, second, resumed.location);
    const claims = atP2.claims()!;
    expect(claims.vot).toBe('Cl.Cm.P2');
    expect(claims.sub).toBe(sub);
    // The ID token carries only what the claims parameter asks for there (nothing here).
    for (const claim of IDENTITY_CLAIMS) expect(claims).not.toHaveProperty(claim);

    const userinfo = await oidc.fetchUserInfo(rp.config, atP2.access_token, sub);
    expect(userinfo).toMatchObject({ sub, email, ...SAM_CLAIMS });

    // The earlier Cl.Cm access token still releases nothing: it belongs to a Cl.Cm sign-in.
    const stillBefore = await oidc.fetchUserInfo(rp.config, atCm.access_token, sub);
    for (const claim of IDENTITY_CLAIMS) expect(stillBefore).not.toHaveProperty(claim);

    const verified = await auditFor(id, 'identity.verified');
    expect(verified).toHaveLength(1);
    expect(verified[0]!.details).toMatchObject({ method: 'online-known-facts' });
    const signedIn = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'sso.signed_in')
      .where('resource_id', '=', rp.clientId)
      .orderBy('id')
      .execute();
    expect(signedIn.map((r) => (r.details as { vot: string }).vot)).toEqual(['Cl.Cm', 'Cl.Cm.P2']);
  });

  it('releases only the identity claims the scope or the claims parameter asks for', async () => {
    const rp = await aRelyingParty('Pensions online');
    const { visitor, tokens } = await aPersonAtP2(rp);
    const sub = tokens.claims()!.sub;

    // Already at P2: no pages, straight back with a code.
    const emailOnly = await authorizationRequest(rp, {
      vtr: '["Cl.Cm.P2"]',
      scope: 'openid email',
    });
    const plain = await exchange(
      rp,
      emailOnly,
      (await follow(visitor, emailOnly.url.href)).location,
    );
    const noIdentity = await oidc.fetchUserInfo(rp.config, plain.access_token, sub);
    expect(noIdentity).toHaveProperty('email');
    for (const claim of IDENTITY_CLAIMS) expect(noIdentity).not.toHaveProperty(claim);

    const oneByOne = await authorizationRequest(rp, {
      vtr: '["Cl.Cm.P2"]',
      scope: 'openid',
      claims: JSON.stringify({ userinfo: { birthdate: null }, id_token: { given_name: null } }),
    });
    const asked = await exchange(rp, oneByOne, (await follow(visitor, oneByOne.url.href)).location);
    expect(asked.claims()!.given_name).toBe('Sam');
    expect(asked.claims()).not.toHaveProperty('birthdate');
    const userinfo = await oidc.fetchUserInfo(rp.config, asked.access_token, sub);
    expect(userinfo).toEqual({ sub, birthdate: '1985-07-14' });
  });

  it('forgets the verified identity when the person deletes their account', async () => {
    const rp = await aRelyingParty('Housing online');
    const { visitor, id, tokens } = await aPersonAtP2(rp);
    const kept = await db()
      .selectFrom('verified_identities')
      .select(['given_name', 'method'])
      .where('user_id', '=', id)
      .execute();
    expect(kept).toEqual([{ given_name: 'Sam', method: 'online-known-facts' }]);

    await visitor.get('/account/delete');
    const deleted = await visitor.post('/account/delete', { password: PASSWORD });
    expect(deleted.status).toBe(303);
    expect(
      await db()
        .selectFrom('verified_identities')
        .select('user_id')
        .where('user_id', '=', id)
        .execute(),
    ).toEqual([]);
    await expect(
      oidc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub),
    ).rejects.toBeDefined();
    expect(await auditFor(id, 'account.deleted')).toHaveLength(1);
  });
});

describe('a verified identity confirmed face to face', () => {
  it('keeps the details the adviser confirmed, refuses the record without them, and releases them only to a P2 sign-in', async () => {
    const rp = await aRelyingParty('Library online');
    const person = await register();

    // The adviser proves their own second factor through the pages, then uses the counter.
    const adviser = new Visitor(app.baseUrl);
    await adviser.signIn(...ADVISER);
    await setUpAuthenticator(adviser);
    await adviser.get('/verify/counter');
    const found = await adviser.post('/verify/counter', { email: person.email });
    const recordPath = found.headers.get('location')!;
    expect(recordPath).toBe(`/verify/counter/${person.id}`);
    const record = await adviser.get(recordPath);
    expect(record.html).toContain('The person’s details, as their documents show them');
    const documents = { documents: 'passport', 'last4-passport': '4821', confirmed: 'yes' };
    const missing = await adviser.post(recordPath, documents);
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('govuk-error-summary');
    expect(missing.html).toContain('Enter the person’s given names');
    expect(missing.html).toContain('Enter the person’s date of birth');
    expect(missing.html).toContain('Enter address line 1, typically the building and street');
    expect(missing.html).toContain('Enter postcode');
    expect(
      await db()
        .selectFrom('verified_identities')
        .select('user_id')
        .where('user_id', '=', person.id)
        .execute(),
    ).toEqual([]);
    const welsh = await adviser.get(`${recordPath}?lang=cy`);
    expect(welsh.html).toContain('Manylion yr unigolyn, fel y mae eu dogfennau’n eu dangos');
    await adviser.get(`${recordPath}?lang=en`);

    const confirmed = await adviser.post(recordPath, {
      ...documents,
      givenName: 'Robin',
      familyName: 'Ap Rhys',
      'dateOfBirth-day': '9',
      'dateOfBirth-month': '11',
      'dateOfBirth-year': '1979',
      addressLine1: 'Flat 2',
      addressLine2: '5 Castle Street',
      town: 'Cardiff',
      postcode: 'cf10 1bh',
    });
    expect(confirmed.status).toBe(303);
    const [entry] = await auditFor(person.id, 'identity.verified');
    expect(entry!.details).toMatchObject({ method: 'face-to-face' });

    // Without a second factor the person signs in at Cl: vot Cl, and nothing is released.
    await person.visitor.post('/sign-out', {});
    const atCl = await authorizationRequest(rp, { vtr: '["Cl"]' });
    const first = await follow(person.visitor, atCl.url.href, (l) => l.startsWith('/sign-in'));
    const returnTo = decodeURIComponent(first.location.split('returnTo=')[1]!);
    await person.visitor.get(first.location);
    const signedIn = await person.visitor.post('/sign-in', {
      email: person.email,
      password: PASSWORD,
      returnTo,
    });
    expect(signedIn.headers.get('location')).toBe(returnTo);
    const low = await exchange(rp, atCl, (await follow(person.visitor, returnTo)).location);
    expect(low.claims()!.vot).toBe('Cl');
    const lowInfo = await oidc.fetchUserInfo(rp.config, low.access_token, low.claims()!.sub);
    for (const claim of IDENTITY_CLAIMS) expect(lowInfo).not.toHaveProperty(claim);

    // At P2 (after setting up a second factor on the way), the adviser's details are released.
    const atP2 = await authorizationRequest(rp, { vtr: '["Cl.Cm.P2"]' });
    const sent = await follow(person.visitor, atP2.url.href, (l) =>
      l.startsWith('/sign-in/second-factor'),
    );
    const setUp = await follow(person.visitor, sent.location, (l) =>
      l.startsWith('/account/second-factor'),
    );
    expect(setUp.location).toMatch(/^\/account\/second-factor\?returnTo=%2Foidc%2Finteraction/);
    const interaction = decodeURIComponent(setUp.location.split('returnTo=')[1]!);
    await person.visitor.get(setUp.location);
    const chosen = await person.visitor.post('/account/second-factor', {
      method: 'totp',
      returnTo: interaction,
    });
    const appPage = await person.visitor.get(chosen.headers.get('location')!);
    const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(appPage.html)![1]!.replace(/ /g, '');
    const proved = await person.visitor.post('/account/second-factor/app', {
      code: await generate({ secret }),
      returnTo: interaction,
    });
    expect(proved.headers.get('location')).toBe(interaction);
    const high = await exchange(rp, atP2, (await follow(person.visitor, interaction)).location);
    expect(high.claims()!.vot).toBe('Cl.Cm.P2');
    const highInfo = await oidc.fetchUserInfo(rp.config, high.access_token, high.claims()!.sub);
    expect(highInfo).toMatchObject({
      name: 'Robin Ap Rhys',
      given_name: 'Robin',
      family_name: 'Ap Rhys',
      birthdate: '1979-11-09',
      address: {
        formatted: 'Flat 2\n5 Castle Street\nCardiff\nCF10 1BH',
        street_address: 'Flat 2\n5 Castle Street',
        locality: 'Cardiff',
        postal_code: 'CF10 1BH',
        country: 'GB',
      },
    });
  });
});
