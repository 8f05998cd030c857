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
const CITIZEN = 'citizen@example.com';

async function askForCode(visitor: Visitor, email: string) {
  await visitor.get('/forgot-password');
  const asked = await visitor.post('/forgot-password', { email });
  await visitor.get(asked.headers.get('location')!);
  return asked;
}

const citizenId = async () =>
  (
    await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN)
      .executeTakeFirstOrThrow()
  ).id;

describe('forgot password', () => {
  it('gives the same answer for a known and an unknown address, and e-mails a code only to the known one', async () => {
    const visitor = new Visitor(app.baseUrl);
    const known = await askForCode(visitor, CITIZEN);
    const knownPage = visitor.lastHtml;
    const unknown = await askForCode(visitor, 'no-account@example.com');
    const unknownPage = visitor.lastHtml;
    expect(known.status).toBe(303);
    expect(unknown.status).toBe(303);
    expect(known.headers.get('location')).toBe(
      '/forgot-password/reset?email=citizen%40example.com',
    );
    expect(unknown.headers.get('location')).toBe(
      '/forgot-password/reset?email=no-account%40example.com',
    );
    const strip = (html: string) =>
      html
        .replace(/name="_csrf" value="[^"]+"/g, '')
        .replace(/nonce="[^"]+"/g, '')
        .replace(/citizen|no-account/g, 'X');
    expect(strip(knownPage)).toBe(strip(unknownPage));
    expect(knownPage).toContain('If there is an account for citizen@example.com');
    expect((await mailsTo(db(), CITIZEN)).at(-1)!.subject).toContain('reset your password');
    expect(await mailsTo(db(), 'no-account@example.com')).toEqual([]);
  });

  it('refuses a malformed address with the error summary', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/forgot-password');
    const bad = await visitor.post('/forgot-password', { email: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
  });

  it('refuses a wrong code, an expired code and a deny-listed password, each with a clear error', async () => {
    const visitor = new Visitor(app.baseUrl);
    await askForCode(visitor, CITIZEN);
    const code = await lastCodeFor(db(), CITIZEN);
    const wrong = await visitor.post('/forgot-password/reset', {
      email: CITIZEN,
      code: code === '000000' ? '111111' : '000000',
      password: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('The code is not right');
    const common = await visitor.post('/forgot-password/reset', {
      email: CITIZEN,
      code,
      password: 'iloveyou',
    });
    expect(common.status).toBe(400);
    expect(common.html).toContain('This password is too easy to guess');
    await sql`update one_time_codes set expires_at = now() - interval '1 second' where purpose = 'password-reset'`.execute(
      db(),
    );
    const expired = await visitor.post('/forgot-password/reset', {
      email: CITIZEN,
      code,
      password: 'a brand new passphrase',
    });
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('The code has expired');
  });

  it('sets the new password, ends every session, audits, e-mails, signs the person in, and refuses the code again', async () => {
    const elsewhere = new Visitor(app.baseUrl);
    await elsewhere.signIn(CITIZEN, 'demo-citizen-password');
    expect((await elsewhere.get('/account')).status).toBe(200);

    const visitor = new Visitor(app.baseUrl);
    await askForCode(visitor, CITIZEN);
    const code = await lastCodeFor(db(), CITIZEN);
    const reset = await visitor.post('/forgot-password/reset', {
      email: CITIZEN,
      code,
      password: 'a brand new passphrase',
    });
    expect(reset.status).toBe(303);
    expect(reset.headers.get('location')).toBe('/account?done=password');
    expect((await visitor.get('/account?done=password')).html).toContain(
      'Your password has been changed',
    );
    expect((await elsewhere.get('/account')).status).toBe(303); // signed out

    const user = await db()
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', CITIZEN)
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(user.password_hash, 'a brand new passphrase')).toBe(true);
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('subject_user_id', '=', await citizenId())
      .where('action', '=', 'account.password_reset')
      .execute();
    expect(audit).toEqual([{ action: 'account.password_reset', actor_user_id: await citizenId() }]);
    expect((await mailsTo(db(), CITIZEN)).map((m) => m.subject)).toContainEqual(
      expect.stringContaining('Your password has been reset'),
    );

    const replay = new Visitor(app.baseUrl);
    await replay.get('/forgot-password/reset?email=citizen%40example.com');
    const replayed = await replay.post('/forgot-password/reset', {
      email: CITIZEN,
      code,
      password: 'yet another passphrase',
    });
    expect(replayed.status).toBe(400);
    expect(replayed.html).toContain('This code has already been used');
  });

  it('still asks for the second factor after a reset: the mailbox alone does not open an account that has one', async () => {
    const AGENT = 'agent@cotswold-accountants.example.com';
    await db()
      .updateTable('users')
      .set({ second_factor: 'email' })
      .where('email', '=', AGENT)
      .execute();
    const visitor = new Visitor(app.baseUrl);
    await askForCode(visitor, AGENT);
    const reset = await visitor.post('/forgot-password/reset', {
      email: AGENT,
      code: await lastCodeFor(db(), AGENT),
      password: 'a fresh agent passphrase',
    });
    expect(reset.status).toBe(303);
    expect(reset.headers.get('location')).toBe('/sign-in/second-factor');
    expect((await visitor.get('/account')).status).toBe(303); // no session yet

    await visitor.get('/sign-in/second-factor');
    const done = await visitor.post('/sign-in/second-factor', {
      code: await lastCodeFor(db(), AGENT),
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/account?done=password');
    expect((await visitor.get('/account?done=password')).status).toBe(200);
  });
});
