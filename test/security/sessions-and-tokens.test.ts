import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../src/modules/notify/test/helpers.js';
import { sign, unsign } from '@fastify/cookie';
import { generateSecret } from 'otplib';
import { secretsRotateCheck } from '../../src/main/secrets.js';
import { currentTotp, totpKey } from '../../src/modules/identity/commands/second-factor.js';
import { notifySealingKey } from '../../src/modules/notify/crypto.js';
import { csrfToken, startTestApp, Visitor, type TestApp } from '../helpers/app.js';
import { aConfirmedCitizen } from '../helpers/citizens.js';

/**
 * Sessions and tokens (issue 14, part 1): cookie flags, session fixation, sign-out, CSRF, and the
 * Notify API's JWTs against `alg` tricks and foreign keys. Each attack is shown to fail next to
 * the honest request that succeeds, so the test fails if the honest path breaks too.
 */
const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const LIVE_SECRET = 'a-live-site-needs-its-own-secret-0123456789';
const OLD_LIVE_SECRET = 'the-secret-the-live-site-had-before-012345';

let app: TestApp;
let live: TestApp;
beforeAll(async () => {
  [app, live] = await Promise.all([
    startTestApp(),
    // A live site part-way through changing SESSION_SECRET: the old one is kept to open.
    startTestApp({
      BASE_URL: 'https://services.example.gov.uk',
      SESSION_SECRET: LIVE_SECRET,
      SESSION_SECRETS_PREVIOUS: OLD_LIVE_SECRET,
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.close(), live?.close()]);
});

const cookiesOf = (visitor: Visitor) =>
  (visitor as unknown as { cookies: Map<string, string> }).cookies;

/** Signs in by hand and returns the Set-Cookie line of the session cookie. */
async function sessionCookieLine(base: string): Promise<string> {
  const visitor = new Visitor(base);
  await visitor.get('/sign-in');
  const response = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: visitor.cookieHeader(),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      _csrf: csrfToken(visitor.lastHtml),
      email: CITIZEN[0],
      password: CITIZEN[1],
      returnTo: '/',
    }).toString(),
  });
  expect(response.status).toBe(303);
  const line = response.headers.getSetCookie().find((l) => l.startsWith('ju_session='));
  expect(line, 'a session cookie').toBeDefined();
  return line!;
}

describe('cookies', () => {
  it('the session cookie is HttpOnly, SameSite=Lax, for the whole site and no wider; Secure on an https site', async () => {
    for (const [site, secure] of [
      [app, false],
      [live, true],
    ] as const) {
      const attributes = (await sessionCookieLine(site.baseUrl))
        .split(';')
        .slice(1)
        .map((a) => a.trim().toLowerCase());
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=lax');
      expect(attributes).toContain('path=/');
      expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
      expect(attributes.includes('secure')).toBe(secure);
    }
  });
});

describe('caching', () => {
  it('a signed-in person’s pages are no-store; public pages and assets stay cacheable', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    for (const path of ['/account', '/applications', '/'])
      expect((await citizen.get(path)).headers.get('cache-control'), path).toBe('no-store');
    const anonymous = await fetch(`${app.baseUrl}/sign-in`);
    expect(anonymous.headers.get('cache-control') ?? '').not.toContain('no-store');
    const asset = await fetch(`${app.baseUrl}/assets/app.css`, {
      headers: { cookie: citizen.cookieHeader() },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control') ?? '').not.toContain('no-store');
  });
});

describe('sessions', () => {
  it('a session id planted before sign-in is never the one signed in (fixation), and opens nothing', async () => {
    const planted = randomBytes(32).toString('base64url');
    const victim = new Visitor(app.baseUrl);
    cookiesOf(victim).set('ju_session', planted);
    await victim.signIn(...CITIZEN);
    expect(cookiesOf(victim).get('ju_session')).not.toBe(planted);
    expect((await victim.get('/account')).status).toBe(200);

    const attacker = new Visitor(app.baseUrl);
    cookiesOf(attacker).set('ju_session', planted);
    expect((await attacker.get('/account')).headers.get('location')).toMatch(/^\/sign-in/);
  });

  it('signing out ends the session on the server: the old cookie replayed opens nothing', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.signIn(...CITIZEN);
    const token = cookiesOf(visitor).get('ju_session')!;
    await visitor.get('/account');
    expect((await visitor.post('/sign-out', {})).status).toBe(303);

    const replay = new Visitor(app.baseUrl);
    cookiesOf(replay).set('ju_session', token);
    expect((await replay.get('/account')).headers.get('location')).toMatch(/^\/sign-in/);
  });

  it('refuses a form without its CSRF token, or with another person’s, and changes nothing', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.signIn(...CITIZEN);
    const other = new Visitor(app.baseUrl);
    await other.get('/sign-in');
    const foreign = csrfToken(other.lastHtml);

    expect((await visitor.post('/sign-out', {}, '')).status).toBe(403);
    expect((await visitor.post('/sign-out', {}, foreign)).status).toBe(403);
    // Still signed in: neither forged sign-out did anything.
    expect((await visitor.get('/account')).status).toBe(200);
  });
});

describe('Notify API tokens', () => {
  let serviceId = '';
  let secret = '';
  beforeAll(async () => {
    const key = await issueKey(app.platform.database.db, 'stroud', 'live');
    // `{name}-{service id}-{secret}`: two UUIDs at the end.
    secret = key.slice(-36);
    serviceId = key.slice(-73, -37);
  });

  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  function token(
    header: object,
    claims: object,
    sign: (input: string) => string = (input) =>
      createHmac('sha256', secret).update(input).digest('base64url'),
  ) {
    const input = `${part(header)}.${part(claims)}`;
    return `${input}.${sign(input)}`;
  }
  const now = () => Math.floor(Date.now() / 1000);
  const call = (jwt: string) =>
    fetch(`${app.baseUrl}/v2/notifications`, { headers: { authorization: `Bearer ${jwt}` } });

  it('takes an honest HS256 token', async () => {
    expect(
      (await call(token({ alg: 'HS256', typ: 'JWT' }, { iss: serviceId, iat: now() }))).status,
    ).toBe(200);
  });

  it('refuses alg "none", another algorithm named in the header, and HS512', async () => {
    const claims = { iss: serviceId, iat: now() };
    const refused = [
      token({ alg: 'none', typ: 'JWT' }, claims, () => ''),
      token({ alg: 'none', typ: 'JWT' }, claims),
      token({ alg: 'RS256', typ: 'JWT' }, claims),
      token({ alg: 'HS512', typ: 'JWT' }, claims),
      token({ alg: 'HS512', typ: 'JWT' }, claims, (input) =>
        createHmac('sha512', secret).update(input).digest('base64url'),
      ),
    ];
    for (const jwt of refused) {
      const response = await call(jwt);
      expect(response.status, jwt.split('.')[0]).toBe(403);
      expect(await response.json()).toMatchObject({ errors: [{ error: 'AuthError' }] });
    }
  });

  it('refuses a token signed with a guessed secret, or one naming another service', async () => {
    const guessed = token({ alg: 'HS256', typ: 'JWT' }, { iss: serviceId, iat: now() }, (input) =>
      createHmac('sha256', 'not-the-secret').update(input).digest('base64url'),
    );
    expect((await call(guessed)).status).toBe(403);
    const otherService = '00000000-0000-4000-8000-000000000000';
    expect(
      (await call(token({ alg: 'HS256', typ: 'JWT' }, { iss: otherService, iat: now() }))).status,
    ).toBe(403);
  });
});

describe('changing SESSION_SECRET, with the old one in SESSION_SECRETS_PREVIOUS', () => {
  const db = () => live.platform.database.db;
  const notifyLine = async () =>
    (await secretsRotateCheck(db(), live.platform.config)).out.find((line) =>
      line.startsWith('Notify API keys'),
    );

  it('a Notify key sealed under the old secret still works, and is sealed again under the new one; one sealed under an unknown secret does not', async () => {
    // Issued with the test default secret, which is on no keyring of the live site.
    const issued = await issueKey(db(), 'stroud', 'live');
    const secret = issued.slice(-36);
    const serviceId = issued.slice(-73, -37);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const call = () => {
      const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: serviceId, iat: Math.floor(Date.now() / 1000) })}`;
      const jwt = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      return fetch(`${live.baseUrl}/v2/notifications`, {
        headers: { authorization: `Bearer ${jwt}` },
      });
    };
    const key = await db()
      .selectFrom('notify_api_keys')
      .select('id')
      .where('service_id', '=', serviceId)
      .executeTakeFirstOrThrow();

    expect((await call()).status).toBe(403);
    expect(await notifyLine()).toMatch(/0 need a previous secret, 1 unreadable/);
    expect((await secretsRotateCheck(db(), live.platform.config)).code).toBe(1);

    await db()
      .updateTable('notify_api_keys')
      .set({ secret_sealed: notifySealingKey(OLD_LIVE_SECRET).seal(secret) })
      .where('id', '=', key.id)
      .execute();
    expect(await notifyLine()).toMatch(/1 need a previous secret, 0 unreadable/);
    expect((await call()).status).toBe(200);

    const resealed = await db()
      .selectFrom('notify_api_keys')
      .select('secret_sealed')
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow();
    expect(notifySealingKey(LIVE_SECRET).open(resealed.secret_sealed)).toEqual({
      plain: secret,
      stale: false,
    });
    expect(await notifyLine()).toMatch(/0 need a previous secret, 0 unreadable/);
    expect((await call()).status).toBe(200);
  });

  it('an authenticator app set up under the old secret still signs in, and its key is sealed again under the new one', async () => {
    const person = await aConfirmedCitizen(db());
    const secret = generateSecret();
    await db()
      .updateTable('users')
      .set({ second_factor: 'totp', totp_secret: totpKey(OLD_LIVE_SECRET).seal(secret) })
      .where('id', '=', person.id)
      .execute();
    const visitor = new Visitor(live.baseUrl);
    await visitor.get('/sign-in');
    const signIn = await visitor.post('/sign-in', {
      email: person.email,
      password: person.password,
      returnTo: '/account',
    });
    expect(signIn.headers.get('location')).toMatch(/^\/sign-in\/second-factor/);
    await visitor.get('/sign-in/second-factor');
    const done = await visitor.post('/sign-in/second-factor', { code: await currentTotp(secret) });
    expect(done.status).toBe(303);
    expect((await visitor.get('/account')).status).toBe(200);
    const row = await db()
      .selectFrom('users')
      .select('totp_secret')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(totpKey(LIVE_SECRET).open(row.totp_secret!)).toEqual({ plain: secret, stale: false });
  });

  it('a form cookie signed under the old secret still reads after rotation; one signed under an unknown secret does not', async () => {
    const visitor = new Visitor(live.baseUrl);
    const page = await visitor.get('/sign-in');
    const jar = cookiesOf(visitor);
    const name = [...jar.keys()].find((key) => key.includes('csrf'))!;
    const unsigned = unsign(decodeURIComponent(jar.get(name)!), LIVE_SECRET);
    expect(unsigned.valid).toBe(true);
    const signIn = () =>
      visitor.post(
        '/sign-in',
        { email: CITIZEN[0], password: CITIZEN[1], returnTo: '/' },
        csrfToken(page.html),
      );
    jar.set(
      name,
      encodeURIComponent(sign(unsigned.value!, 'a-secret-on-no-keyring-of-this-site-0123456')),
    );
    expect((await signIn()).status).toBe(403);
    jar.set(name, encodeURIComponent(sign(unsigned.value!, OLD_LIVE_SECRET)));
    expect((await signIn()).status).toBe(303);
  });

  it('secrets:rotate-check --reseal seals again at once what only the old secret opens, then says the old secret may go', async () => {
    const person = await aConfirmedCitizen(db());
    const secret = generateSecret();
    await db()
      .updateTable('users')
      .set({ second_factor: 'totp', totp_secret: totpKey(OLD_LIVE_SECRET).seal(secret) })
      .where('id', '=', person.id)
      .execute();
    const before = await secretsRotateCheck(db(), live.platform.config);
    expect(before.code).toBe(1);
    expect(before.out.join('\n')).toMatch(
      /Authenticator-app secrets: \d+ current, 1 need a previous secret, 0 unreadable/,
    );

    const resealed = await secretsRotateCheck(db(), live.platform.config, ['--reseal']);
    expect(resealed.out).toContain('Sealed again under the current secret: 1.');
    expect(resealed.code).toBe(0);
    expect(resealed.err.join(' ')).toMatch(/SESSION_SECRETS_PREVIOUS may be emptied/);
    const row = await db()
      .selectFrom('users')
      .select('totp_secret')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(totpKey(LIVE_SECRET).open(row.totp_secret!)).toEqual({ plain: secret, stale: false });
  });
});
