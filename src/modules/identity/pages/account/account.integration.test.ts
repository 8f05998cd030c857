import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { codeIn, mailsTo } from '../../../../../test/helpers/outbox.js';
import { verifyPassword } from '../../passwords.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;
const PASSWORD = 'tractor orange lighthouse';

async function outbox(topic: string) {
  const rows = await db()
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', topic)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.payload as { to: string; subject?: string; text: string });
}

/** Registers and confirms an account; returns its owner, signed in, and its id. */
async function newAccount(email: string): Promise<{ visitor: Visitor; id: string }> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.get('/register');
  await visitor.post('/register', { displayName: 'Ash Example', email, password: PASSWORD });
  const confirmed = await visitor.post('/register/confirm', {
    email,
    code: codeIn((await mailsTo(db(), email)).at(-1)?.text),
    returnTo: '/',
  });
  expect(confirmed.status).toBe(303);
  const { id } = await db()
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return { visitor, id };
}

const user = (id: string) =>
  db().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function audited(id: string, action: string) {
  const rows = await db()
    .selectFrom('audit_log')
    .select(['actor_user_id'])
    .where('subject_user_id', '=', id)
    .where('action', '=', action)
    .execute();
  return rows.length > 0 && rows.every((r) => r.actor_user_id === id);
}

describe('your account', () => {
  it('needs sign-in, and is linked from the navigation as "Your account"', async () => {
    const anonymous = new Visitor(app.baseUrl);
    const page = await anonymous.get('/account');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/sign-in?returnTo=%2Faccount');
    const { visitor } = await newAccount('nav@example.com');
    const home = await visitor.get('/');
    expect(home.html).toContain('href="/account"');
    expect(home.html).toContain('Your account');
    expect((await visitor.get('/?lang=cy')).html).toContain('Eich cyfrif');
  });

  it('changes the e-mail address only once the code sent to the new address is entered, and tells the old one', async () => {
    const { visitor, id } = await newAccount('old@example.com');
    await visitor.get('/account/email');
    const wrongPassword = await visitor.post('/account/email', {
      email: 'new@example.com',
      password: 'not my password',
    });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.html).toContain('The password is not right');

    const asked = await visitor.post('/account/email', {
      email: 'new@example.com',
      password: PASSWORD,
    });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/account/email/confirm?email=new%40example.com');
    expect((await user(id)).email).toBe('old@example.com'); // nothing changes yet
    await visitor.get(asked.headers.get('location')!);
    const code = codeIn((await mailsTo(db(), 'new@example.com')).at(-1)?.text);
    const wrong = await visitor.post('/account/email/confirm', {
      email: 'new@example.com',
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('The code is not right');

    const done = await visitor.post('/account/email/confirm', { email: 'new@example.com', code });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/account?done=email');
    expect((await visitor.get('/account?done=email')).html).toContain(
      'Your e-mail address has been changed',
    );
    expect((await user(id)).email).toBe('new@example.com');
    expect(await audited(id, 'account.email_changed')).toBe(true);
    expect((await mailsTo(db(), 'old@example.com')).at(-1)!.subject).toContain('has been changed');
    expect((await mailsTo(db(), 'new@example.com')).at(-1)!.subject).toContain('now uses this');

    const replay = await visitor.post('/account/email/confirm', { email: 'new@example.com', code });
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('This code has already been used');
  });

  it('answers a change to an address another account uses like any other, sending that address a notice and no code', async () => {
    const { visitor, id } = await newAccount('taker@example.com');
    await visitor.get('/account/email');
    const asked = await visitor.post('/account/email', {
      email: 'citizen@example.com',
      password: PASSWORD,
    });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe(
      '/account/email/confirm?email=citizen%40example.com',
    );
    const notice = (await mailsTo(db(), 'citizen@example.com')).at(-1)!;
    expect(notice.subject).toContain('Someone tried to use your e-mail address');
    expect(notice.text).not.toMatch(/\b\d{6}\b/);
    await visitor.get(asked.headers.get('location')!);
    const guess = await visitor.post('/account/email/confirm', {
      email: 'citizen@example.com',
      code: '123456',
    });
    expect(guess.status).toBe(400);
    expect((await user(id)).email).toBe('taker@example.com');
  });

  it('confirms a UK mobile number with a code sent by text, normalised to +44', async () => {
    const { visitor, id } = await newAccount('phone@example.com');
    await visitor.get('/account/phone');
    const bad = await visitor.post('/account/phone', { phone: '01452 123456' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Enter a UK mobile phone number');

    const asked = await visitor.post('/account/phone', { phone: '07700 900 123' });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/account/phone/confirm?phone=%2B447700900123');
    const text = (await outbox('sms.send')).filter((m) => m.to === '+447700900123').at(-1)!;
    expect((await user(id)).phone).toBeNull();
    await visitor.get(asked.headers.get('location')!);
    const done = await visitor.post('/account/phone/confirm', {
      phone: '+447700900123',
      code: codeIn(text.text),
    });
    expect(done.status).toBe(303);
    const row = await user(id);
    expect(row.phone).toBe('+447700900123');
    expect(row.phone_verified_at).not.toBeNull();
    expect(await audited(id, 'account.phone_changed')).toBe(true);
    expect((await mailsTo(db(), 'phone@example.com')).at(-1)!.subject).toContain(
      'mobile phone number',
    );
    expect((await visitor.get('/account')).html).toContain('+447700900123');
  });

  it('changes the password given the current one, keeping this session and ending the others', async () => {
    const { visitor, id } = await newAccount('pw@example.com');
    const elsewhere = new Visitor(app.baseUrl);
    await elsewhere.signIn('pw@example.com', PASSWORD);
    await visitor.get('/account/password');
    const wrong = await visitor.post('/account/password', {
      currentPassword: 'not it at all',
      password: 'a fresh passphrase here',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('The password is not right');
    const common = await visitor.post('/account/password', {
      currentPassword: PASSWORD,
      password: 'football',
    });
    expect(common.status).toBe(400);
    expect(common.html).toContain('This password is too easy to guess');

    const done = await visitor.post('/account/password', {
      currentPassword: PASSWORD,
      password: 'a fresh passphrase here',
    });
    expect(done.status).toBe(303);
    expect((await visitor.get('/account')).status).toBe(200);
    expect((await elsewhere.get('/account')).status).toBe(303);
    expect(await verifyPassword((await user(id)).password_hash, 'a fresh passphrase here')).toBe(
      true,
    );
    expect(await audited(id, 'account.password_changed')).toBe(true);
    expect((await mailsTo(db(), 'pw@example.com')).map((m) => m.subject)).toContainEqual(
      expect.stringContaining('Your password has been changed'),
    );
  });

  it('explains what deletion does, and deletes personal details, sessions and codes, not just marks them', async () => {
    const { visitor, id } = await newAccount('leaver@example.com');
    const page = await visitor.get('/account/delete');
    expect(page.html).toContain('stay with the public body that received them');
    expect(page.html).toContain('who looked at or changed your information');
    const wrong = await visitor.post('/account/delete', { password: 'not my password' });
    expect(wrong.status).toBe(400);
    expect((await user(id)).deleted_at).toBeNull();

    const deleted = await visitor.post('/account/delete', { password: PASSWORD });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/account/deleted');
    expect((await visitor.get('/account/deleted')).html).toContain('Your account has been deleted');
    expect((await visitor.get('/account')).status).toBe(303);

    const row = await user(id);
    expect(row.email).toBe(`deleted-${id}@invalid`);
    expect(row.display_name).toBe('Deleted account');
    expect(row.phone).toBeNull();
    expect(row.deleted_at).not.toBeNull();
    expect(await verifyPassword(row.password_hash, PASSWORD)).toBe(false);
    const left = async (table: 'sessions' | 'one_time_codes') =>
      (await db().selectFrom(table).select('user_id').where('user_id', '=', id).execute()).length;
    expect(await left('sessions')).toBe(0);
    expect(await left('one_time_codes')).toBe(0);
    expect(await audited(id, 'account.deleted')).toBe(true);
    expect((await mailsTo(db(), 'leaver@example.com')).at(-1)!.subject).toContain(
      'has been deleted',
    );

    const again = new Visitor(app.baseUrl);
    await again.get('/sign-in');
    const signIn = await again.post('/sign-in', {
      email: 'leaver@example.com',
      password: PASSWORD,
    });
    expect(signIn.status).toBe(400);
  });

  it('does not let staff delete their own account here', async () => {
    const staff = new Visitor(app.baseUrl);
    await staff.signIn('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
    expect((await staff.get('/account/delete')).html).toContain('ask your administrator');
    const refused = await staff.post('/account/delete', { password: 'demo-stroud-caseworker' });
    expect(refused.status).toBe(400);
  });
});
