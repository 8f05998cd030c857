import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { lastCodeFor, mailsTo } from '../../../../../test/helpers/outbox.js';
import { verifyPassword } from '../../passwords.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

/** The e-mails queued for an address, oldest first. */
async function register(visitor: Visitor, email: string, password = 'tractor orange lighthouse') {
  await visitor.get('/register');
  return visitor.post('/register', {
    displayName: 'Robin Newcomer',
    email,
    password,
    returnTo: '/',
  });
}

async function userByEmail(email: string) {
  return db().selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

async function auditActions(userId: string) {
  const rows = await db()
    .selectFrom('audit_log')
    .select('action')
    .where('subject_user_id', '=', userId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('registering with an e-mail confirmed by a code', () => {
  it('makes an unconfirmed account, and signs the person in only once the e-mailed code is entered', async () => {
    const visitor = new Visitor(app.baseUrl);
    const registered = await register(visitor, 'robin@example.com');
    expect(registered.status).toBe(303);
    expect(registered.headers.get('location')).toBe(
      '/register/confirm?email=robin%40example.com&returnTo=%2F',
    );
    const user = (await userByEmail('robin@example.com'))!;
    expect(user.email_verified_at).toBeNull();
    expect((await visitor.get('/account')).status).toBe(303); // not signed in yet

    const page = await visitor.get(registered.headers.get('location')!);
    expect(page.html).toContain('Check your e-mail');
    const code = await lastCodeFor(db(), 'robin@example.com');
    const wrong = await visitor.post('/register/confirm', {
      email: 'robin@example.com',
      code: code === '000000' ? '111111' : '000000',
      returnTo: '/',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('The code is not right');

    const confirmed = await visitor.post('/register/confirm', {
      email: 'robin@example.com',
      code,
      returnTo: '/',
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/');
    const account = await visitor.get('/account');
    expect(account.status).toBe(200);
    expect(account.html).toContain('Robin Newcomer');
    expect((await userByEmail('robin@example.com'))!.email_verified_at).not.toBeNull();
    expect((await auditActions(user.id)).slice(0, 2)).toEqual([
      'account.registered',
      'account.email_confirmed',
    ]);

    const replayer = new Visitor(app.baseUrl);
    await replayer.get('/register/confirm?email=robin%40example.com');
    const replayed = await replayer.post('/register/confirm', {
      email: 'robin@example.com',
      code,
      returnTo: '/',
    });
    expect(replayed.status).toBe(400);
    expect(replayed.html).toContain('This code has already been used');
  });

  it('answers a known address exactly as a new one, and e-mails its owner instead of saying "taken"', async () => {
    const before = await db()
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const visitor = new Visitor(app.baseUrl);
    const known = await register(visitor, 'citizen@example.com');
    const stranger = new Visitor(app.baseUrl);
    const unknown = await register(stranger, 'nobody-yet@example.com');
    expect(known.status).toBe(unknown.status);
    expect(known.headers.get('location')).toBe(
      unknown.headers.get('location')!.replace('nobody-yet', 'citizen'),
    );
    const knownPage = await visitor.get(known.headers.get('location')!);
    const unknownPage = await stranger.get(unknown.headers.get('location')!);
    const strip = (html: string) =>
      html
        .replace(/name="_csrf" value="[^"]+"/g, '')
        .replace(/nonce="[^"]+"/g, '')
        .replace(/citizen|nobody-yet/g, 'X');
    expect(strip(knownPage.html)).toBe(strip(unknownPage.html));

    const mails = await mailsTo(db(), 'citizen@example.com');
    expect(mails.at(-1)!.subject).toContain('Someone tried to create an account');
    expect(mails.at(-1)!.text).not.toMatch(/\b\d{6}\b/);
    const after = await db()
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1); // only nobody-yet's account
    const citizen = (await userByEmail('citizen@example.com'))!;
    expect(await auditActions(citizen.id)).toContain('account.registration_attempted');
  });

  it('refuses a deny-listed or short password with a clear message', async () => {
    const visitor = new Visitor(app.baseUrl);
    const common = await register(visitor, 'common@example.com', 'Password123');
    expect(common.status).toBe(400);
    expect(common.html).toContain('This password is too easy to guess');
    const short = await register(visitor, 'common@example.com', 'k9!x');
    expect(short.status).toBe(400);
    expect(short.html).toContain('Password must be 8 characters or more');
    expect(await userByEmail('common@example.com')).toBeUndefined();
  });

  it('refuses an expired code, and lets the person send a new one that works', async () => {
    const visitor = new Visitor(app.baseUrl);
    await register(visitor, 'slow@example.com');
    const first = await lastCodeFor(db(), 'slow@example.com');
    await sql`update one_time_codes set expires_at = now() - interval '1 second' where destination = 'slow@example.com'`.execute(
      db(),
    );
    await visitor.get('/register/confirm?email=slow%40example.com');
    const expired = await visitor.post('/register/confirm', {
      email: 'slow@example.com',
      code: first,
      returnTo: '/',
    });
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('The code has expired');

    await visitor.get('/register/resend?email=slow%40example.com&returnTo=%2F');
    const resent = await visitor.post('/register/resend', {
      email: 'slow@example.com',
      returnTo: '/',
    });
    expect(resent.status).toBe(303);
    expect(resent.headers.get('location')).toContain('resent=1');
    expect((await visitor.get(resent.headers.get('location')!)).html).toContain(
      'we have sent a new code',
    );
    const confirmed = await visitor.post('/register/confirm', {
      email: 'slow@example.com',
      code: await lastCodeFor(db(), 'slow@example.com'),
      returnTo: '/',
    });
    expect(confirmed.status).toBe(303);
  });

  it('spends the code after too many wrong tries', async () => {
    const visitor = new Visitor(app.baseUrl);
    await register(visitor, 'guesser@example.com');
    const code = await lastCodeFor(db(), 'guesser@example.com');
    const wrong = code === '000000' ? '111111' : '000000';
    await visitor.get('/register/confirm?email=guesser%40example.com');
    let last;
    for (let i = 0; i < 5; i++)
      last = await visitor.post('/register/confirm', {
        email: 'guesser@example.com',
        code: wrong,
        returnTo: '/',
      });
    expect(last!.html).toContain('You entered a wrong code too many times');
    const right = await visitor.post('/register/confirm', {
      email: 'guesser@example.com',
      code,
      returnTo: '/',
    });
    expect(right.status).toBe(400);
  });

  it('gives an unconfirmed address to whoever confirms it, with the password they chose', async () => {
    const squatter = new Visitor(app.baseUrl);
    await register(squatter, 'owner@example.com', 'squatter knows this one');
    const owner = new Visitor(app.baseUrl);
    await register(owner, 'owner@example.com', 'only the owner knows');
    await owner.get('/register/confirm?email=owner%40example.com');
    const confirmed = await owner.post('/register/confirm', {
      email: 'owner@example.com',
      code: await lastCodeFor(db(), 'owner@example.com'),
      returnTo: '/',
    });
    expect(confirmed.status).toBe(303);
    const user = (await userByEmail('owner@example.com'))!;
    expect(await verifyPassword(user.password_hash, 'only the owner knows')).toBe(true);
    expect(await verifyPassword(user.password_hash, 'squatter knows this one')).toBe(false);
  });

  it('sends someone who signs in before confirming their address to confirm it, with a new code', async () => {
    const visitor = new Visitor(app.baseUrl);
    await register(visitor, 'early.bird@example.com');
    const firstCode = await lastCodeFor(db(), 'early.bird@example.com');
    const later = new Visitor(app.baseUrl);
    await later.get('/sign-in');
    const signIn = await later.post('/sign-in', {
      email: 'early.bird@example.com',
      password: 'tractor orange lighthouse',
      returnTo: '/applications',
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe(
      '/register/confirm?email=early.bird%40example.com&returnTo=%2Fapplications',
    );
    expect((await later.get('/applications')).headers.get('location')).toMatch(/^\/sign-in/);
    const secondCode = await lastCodeFor(db(), 'early.bird@example.com');
    expect((await mailsTo(db(), 'early.bird@example.com')).length).toBe(2);
    expect(secondCode).toMatch(/^\d{6}$/);
    void firstCode;
  });
});
