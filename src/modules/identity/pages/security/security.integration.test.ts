import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { mailsTo } from '../../../../../test/helpers/outbox.js';
import { registerCitizen } from '../../commands/accounts.js';
import { rotateSession, SESSION_COOKIE } from '../../commands/sessions.js';
import { sendSecurityMail } from '../../security-mail.js';

const PASSWORD = 'a long and memorable passphrase';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

/** A new citizen of their own, so one test's lockouts and sessions never touch another's. */
async function aPerson(): Promise<{ id: string; email: string }> {
  const email = `person-${randomUUID().slice(0, 8)}@example.com`;
  const made = await registerCitizen(db(), {
    email,
    password: PASSWORD,
    displayName: 'Pat Tester',
  });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  return { id: made.user.id, email };
}

async function signedIn(email: string): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, PASSWORD);
  return visitor;
}

function sessionToken(visitor: Visitor): string | undefined {
  return (visitor as unknown as { cookies: Map<string, string> }).cookies.get(SESSION_COOKIE);
}

async function tryPassword(email: string, password: string) {
  const visitor = new Visitor(app.baseUrl);
  await visitor.get('/sign-in');
  return visitor.post('/sign-in', { email, password, returnTo: '/' });
}

async function actions(
  userId: string,
): Promise<{ action: string; details: Record<string, unknown> }[]> {
  return db()
    .selectFrom('audit_log')
    .select(['action', 'details'])
    .where('subject_user_id', '=', userId)
    .orderBy('id')
    .execute();
}

async function sessionsOf(userId: string) {
  return db().selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();
}

/** A raw request carrying only the given session token. */
async function withToken(token: string, path: string) {
  return fetch(app.baseUrl + path, {
    redirect: 'manual',
    headers: { cookie: `${SESSION_COOKIE}=${token}` },
  });
}

describe('sessions', () => {
  it('get a new token at every sign-in, and the token from before no longer works', async () => {
    const person = await aPerson();
    const visitor = await signedIn(person.email);
    const first = sessionToken(visitor)!;
    await visitor.signIn(person.email, PASSWORD);
    const second = sessionToken(visitor)!;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(await sessionsOf(person.id)).toHaveLength(1);
    const old = await withToken(first, '/account/security');
    expect(old.status).toBe(303);
    expect(old.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
    expect((await withToken(second, '/account/security')).status).toBe(200);
  });

  it('are rotated on step-up, keeping the sign-in time and expiry but not the old token', async () => {
    const person = await aPerson();
    const visitor = await signedIn(person.email);
    const old = sessionToken(visitor)!;
    const [before] = await sessionsOf(person.id);
    const token = await rotateSession(db(), old, { credentialLevel: 'Cl.Cm' });
    expect(token).not.toBe(old);
    const [after] = await sessionsOf(person.id);
    expect(after!.credential_level).toBe('Cl.Cm');
    expect(after!.created_at).toEqual(before!.created_at);
    expect(after!.expires_at).toEqual(before!.expires_at);
    expect((await withToken(old, '/account/security')).status).toBe(303);
    expect((await withToken(token, '/account/security')).status).toBe(200);
    await expect(rotateSession(db(), old, {})).rejects.toMatchObject({ code: 'session_ended' });
  });

  it('end after 8 hours at most', async () => {
    const person = await aPerson();
    await signedIn(person.email);
    const [session] = await sessionsOf(person.id);
    const hours = (session!.expires_at.getTime() - session!.created_at.getTime()) / 3600_000;
    expect(hours).toBeCloseTo(8, 3);
  });

  it('idle for 31 minutes are ended, and the page says the person was signed out for being idle', async () => {
    const person = await aPerson();
    const visitor = await signedIn(person.email);
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '31 minutes'` })
      .where('user_id', '=', person.id)
      .execute();
    const response = await visitor.get('/account/security');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      '/signed-out?reason=idle&returnTo=%2Faccount%2Fsecurity',
    );
    expect(await sessionsOf(person.id)).toHaveLength(0);
    expect(sessionToken(visitor)).toBeUndefined();
    const page = await visitor.get(response.headers.get('location')!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('You have been signed out');
    expect(page.html).toContain('30 minutes');
    expect(page.html).toContain('href="/sign-in?returnTo=%2Faccount%2Fsecurity"');
    expect(await actions(person.id)).toContainEqual({
      action: 'account.signed_out',
      details: { reason: 'idle' },
    });
  });

  it('past their absolute expiry are ended, and the page says why in Welsh too', async () => {
    const person = await aPerson();
    const visitor = await signedIn(person.email);
    await db()
      .updateTable('sessions')
      .set({
        created_at: sql<Date>`now() - interval '8 hours 1 minute'`,
        expires_at: sql<Date>`now() - interval '1 minute'`,
      })
      .where('user_id', '=', person.id)
      .execute();
    const response = await visitor.get('/');
    expect(response.headers.get('location')).toBe('/signed-out?reason=expired&returnTo=%2F');
    expect(await sessionsOf(person.id)).toHaveLength(0);
    const welsh = await visitor.get('/signed-out?reason=expired&lang=cy');
    expect(welsh.html).toContain('Rydych wedi cael eich allgofnodi');
    expect(welsh.html).toContain('8 awr');
    expect(await actions(person.id)).toContainEqual({
      action: 'account.signed_out',
      details: { reason: 'expired' },
    });
  });

  it('note when they were last used at most once a minute', async () => {
    const person = await aPerson();
    const visitor = await signedIn(person.email);
    const lastSeen = async () => (await sessionsOf(person.id))[0]!.last_seen_at.getTime();
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '20 seconds'` })
      .where('user_id', '=', person.id)
      .execute();
    const recent = await lastSeen();
    await visitor.get('/');
    expect(await lastSeen()).toBe(recent);
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '2 minutes'` })
      .where('user_id', '=', person.id)
      .execute();
    await visitor.get('/');
    expect(Date.now() - (await lastSeen())).toBeLessThan(30_000);
  });

  it('are kept alive by the "stay signed in" link, which goes back only to this site', async () => {
    const person = await aPerson();
    const visitor = await signedIn(person.email);
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '29 minutes 50 seconds'` })
      .where('user_id', '=', person.id)
      .execute();
    const kept = await visitor.get('/session/keep-alive?returnTo=%2Faccount%2Fsecurity');
    expect(kept.status).toBe(303);
    expect(kept.headers.get('location')).toBe('/account/security');
    const [session] = await sessionsOf(person.id);
    expect(Date.now() - session!.last_seen_at.getTime()).toBeLessThan(30_000);
    const away = await visitor.get('/session/keep-alive?returnTo=%2F%2Fevil.example');
    expect(away.headers.get('location')).toBe('/');
    const anonymous = await new Visitor(app.baseUrl).get('/session/keep-alive?returnTo=%2F');
    expect(anonymous.headers.get('location')).toBe('/sign-in?returnTo=%2F');
  });

  it('end at sign-out, which is audited', async () => {
    const person = await aPerson();
    const visitor = await signedIn(person.email);
    await visitor.get('/');
    expect((await visitor.post('/sign-out', {})).status).toBe(303);
    expect(await sessionsOf(person.id)).toHaveLength(0);
    expect((await actions(person.id)).map((a) => a.action)).toContain('account.signed_out');
  });
});

describe('sign out everywhere', () => {
  it("ends every session of the person, another browser's too, and is audited", async () => {
    const person = await aPerson();
    const here = await signedIn(person.email);
    const elsewhere = await signedIn(person.email);
    const stranger = await aPerson();
    await signedIn(stranger.email);
    expect(await sessionsOf(person.id)).toHaveLength(2);
    await here.get('/account/security');
    const done = await here.post('/account/security/sign-out-everywhere', {});
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/signed-out?reason=everywhere');
    expect(await sessionsOf(person.id)).toHaveLength(0);
    expect(await sessionsOf(stranger.id)).toHaveLength(1);
    const other = await elsewhere.get('/account/security');
    expect(other.status).toBe(303);
    expect(other.headers.get('location')).toMatch(/^\/sign-in\?/);
    expect(await actions(person.id)).toContainEqual({
      action: 'account.signed_out_everywhere',
      details: { sessions: 2 },
    });
    expect((await here.get('/signed-out?reason=everywhere')).html).toContain(
      'signed out on every device',
    );
  });

  it('refuses a request without the form token', async () => {
    const person = await aPerson();
    const visitor = await signedIn(person.email);
    const refused = await visitor.post('/account/security/sign-out-everywhere', {}, 'forged');
    expect(refused.status).toBe(403);
    expect(await sessionsOf(person.id)).toHaveLength(1);
  });
});

describe('lockout', () => {
  it('locks an account after 5 wrong passwords, with the same answer as any wrong password, and e-mails an unlock link', async () => {
    const person = await aPerson();
    for (let i = 0; i < 5; i++) {
      const wrong = await tryPassword(person.email, 'not the password');
      expect(wrong.status).toBe(400);
      expect(wrong.html).toContain('Enter a correct e-mail address and password');
    }
    const user = await db()
      .selectFrom('users')
      .select(['locked_until', 'failed_sign_ins'])
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(user.locked_until!.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    const locked = await tryPassword(person.email, PASSWORD);
    expect(locked.status).toBe(400);
    expect(locked.html).toContain('Enter a correct e-mail address and password');
    expect(await sessionsOf(person.id)).toHaveLength(0);

    const audited = await actions(person.id);
    expect(audited.filter((a) => a.action === 'account.sign_in_failed')).toHaveLength(6);
    expect(audited.filter((a) => a.action === 'account.locked')).toHaveLength(1);
    expect(audited.at(-1)).toEqual({
      action: 'account.sign_in_failed',
      details: { reason: 'locked' },
    });

    const mails = await mailsTo(db(), person.email);
    const lockMail = mails.find((m) => m.subject.startsWith('Your account has been locked'));
    expect(lockMail?.text).toMatch(
      new RegExp(`^https?://[^/\\s]+/unlock\\?user=${person.id}&code=\\d{10}$`, 'm'),
    );
    expect(lockMail?.text).toContain('Rhoddodd rhywun gyfrinair anghywir');
  });

  it('unlocks with the e-mailed link once, and refuses the link when replayed', async () => {
    const person = await aPerson();
    for (let i = 0; i < 5; i++) await tryPassword(person.email, 'not the password');
    const mail = (await mailsTo(db(), person.email)).find((m) => m.text.includes('/unlock?'))!;
    const link = /\/unlock\?user=[\w-]+&code=\d+/.exec(mail.text)![0];

    const visitor = new Visitor(app.baseUrl);
    const unlocked = await visitor.get(link);
    expect(unlocked.status).toBe(200);
    expect(unlocked.html).toContain('Your account is unlocked');
    const user = await db()
      .selectFrom('users')
      .select(['locked_until', 'failed_sign_ins'])
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ locked_until: null, failed_sign_ins: 0 });
    expect((await actions(person.id)).map((a) => a.action)).toContain('account.unlocked');
    expect((await tryPassword(person.email, PASSWORD)).status).toBe(303);

    const replayed = await visitor.get(link);
    expect(replayed.status).toBe(400);
    expect(replayed.html).toContain('This link does not work');
    expect((await actions(person.id)).filter((a) => a.action === 'account.unlocked')).toHaveLength(
      1,
    );
  });

  it('refuses a wrong code or a malformed user in the unlock link', async () => {
    const person = await aPerson();
    for (let i = 0; i < 5; i++) await tryPassword(person.email, 'not the password');
    const visitor = new Visitor(app.baseUrl);
    expect((await visitor.get(`/unlock?user=${person.id}&code=0000000000`)).status).toBe(400);
    expect((await visitor.get(`/unlock?user=not-a-user&code=123`)).status).toBe(400);
    expect((await visitor.get('/unlock')).status).toBe(400);
    const user = await db()
      .selectFrom('users')
      .select('locked_until')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(user.locked_until).not.toBeNull();
  });

  it('counts only wrong passwords in a row: a right one starts the count again', async () => {
    const person = await aPerson();
    for (let i = 0; i < 4; i++) await tryPassword(person.email, 'not the password');
    expect((await tryPassword(person.email, PASSWORD)).status).toBe(303);
    for (let i = 0; i < 4; i++) await tryPassword(person.email, 'not the password');
    expect((await tryPassword(person.email, PASSWORD)).status).toBe(303);
    expect((await actions(person.id)).map((a) => a.action)).not.toContain('account.locked');
  });

  it('gives a known and an unknown e-mail the same answer in a similar time', async () => {
    const person = await aPerson();
    const unknown = `nobody-${randomUUID().slice(0, 8)}@example.com`;
    const shape = (html: string, email: string) =>
      html
        .replaceAll(email, 'EMAIL')
        .replace(/name="_csrf" value="[^"]*"/g, '')
        .replace(/nonce="[^"]*"/g, '');
    const timed = async (email: string) => {
      const visitor = new Visitor(app.baseUrl);
      await visitor.get('/sign-in');
      const started = performance.now();
      const response = await visitor.post('/sign-in', {
        email,
        password: 'not the password',
        returnTo: '/',
      });
      return { response, ms: performance.now() - started };
    };
    await timed(unknown); // warm-up
    const known: number[] = [];
    const nobody: number[] = [];
    let knownBody = '';
    let unknownBody = '';
    // Four tries of the known account stay under the lockout; the unknown e-mail is tried as often.
    for (let i = 0; i < 4; i++) {
      const k = await timed(person.email);
      const u = await timed(unknown);
      expect(k.response.status).toBe(400);
      expect(u.response.status).toBe(400);
      knownBody = shape(k.response.html, person.email);
      unknownBody = shape(u.response.html, unknown);
      known.push(k.ms);
      nobody.push(u.ms);
    }
    expect(knownBody).toBe(unknownBody);
    // Both do one argon2 verification; skipping it for unknown e-mails would be many times faster.
    // The bound is loose because test machines are noisy.
    const median = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return (sorted[1]! + sorted[2]!) / 2;
    };
    const ratio = median(known) / median(nobody);
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });
});

describe('security e-mails', () => {
  it('tell the person of every new sign-in, with the time in UK time and the browser', async () => {
    const person = await aPerson();
    const response = await fetch(`${app.baseUrl}/sign-in`);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await response.text())![1]!;
    const agent = `Mozilla/5.0 (Test) <b>${'x'.repeat(300)}`;
    const signIn = await fetch(`${app.baseUrl}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie,
        'user-agent': agent,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrf, email: person.email, password: PASSWORD }),
    });
    expect(signIn.status).toBe(303);
    const session = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .find((c) => c!.startsWith(`${SESSION_COOKIE}=`))!;
    const page = await fetch(`${app.baseUrl}/account/security`, { headers: { cookie: session } });
    const html = await page.text();
    expect(html).toContain('Mozilla/5.0 (Test) &lt;b&gt;xxx');
    expect(html).not.toContain('<b>xxx');
    const mail = (await mailsTo(db(), person.email)).find((m) =>
      m.subject.startsWith('New sign-in to your account'),
    );
    expect(mail?.text).toContain('(UK time)');
    expect(mail?.text).toContain('Mozilla/5.0 (Test) <b>xxx');
    expect(mail?.text).not.toContain('x'.repeat(200));
    expect(mail?.text).toContain('Mewngofnododd rhywun');
    expect(await actions(person.id)).toContainEqual({
      action: 'account.signed_in',
      details: { userAgent: expect.stringMatching(/^Mozilla\/5\.0 \(Test\) <b>x+…$/) as unknown },
    });
  });

  it('tell the person of a credential change, in English and Welsh', async () => {
    const person = await aPerson();
    await db()
      .transaction()
      .execute((trx) => sendSecurityMail(trx, person, 'password-changed'));
    const [mail] = (await mailsTo(db(), person.email)).filter((m) =>
      m.subject.startsWith('Your password was changed'),
    );
    expect(mail?.subject).toBe('Your password was changed / Cafodd eich cyfrinair ei newid');
    expect(mail?.text).toMatch(/changed on \d{1,2} \w+ \d{4}, \d\d:\d\d \(UK time\)/);
  });
});

describe('the Security page', () => {
  it('lists the sessions and security events of the person, newest first, in English and Welsh', async () => {
    const person = await aPerson();
    await tryPassword(person.email, 'not the password');
    const visitor = await signedIn(person.email);
    const page = await visitor.get('/account/security');
    expect(page.status).toBe(200);
    expect(page.html).toContain('href="/account/security"');
    expect(page.html).toContain('This device');
    expect(page.html).toContain('Sign out everywhere');
    const signedInAt = page.html.indexOf('Signed in using');
    const failedAt = page.html.indexOf('Someone tried to sign in with a wrong password');
    expect(signedInAt).toBeGreaterThan(0);
    expect(failedAt).toBeGreaterThan(signedInAt);
    const welsh = await visitor.get('/account/security?lang=cy');
    expect(welsh.html).toContain('Diogelwch');
    expect(welsh.html).toContain('Ceisiodd rhywun fewngofnodi gyda chyfrinair anghywir');
    expect(welsh.html).toContain('Y ddyfais hon');
  });

  it('shows only the person’s own events', async () => {
    const person = await aPerson();
    const other = await aPerson();
    await tryPassword(other.email, 'not the password');
    const visitor = await signedIn(person.email);
    const page = await visitor.get('/account/security');
    expect(page.html).not.toContain('Someone tried to sign in with a wrong password');
  });

  it('sends someone not signed in to sign in, and is not in their navigation', async () => {
    const visitor = new Visitor(app.baseUrl);
    const response = await visitor.get('/account/security');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in?returnTo=%2Faccount%2Fsecurity');
    expect((await visitor.get('/')).html).not.toContain('href="/account/security"');
  });
});
