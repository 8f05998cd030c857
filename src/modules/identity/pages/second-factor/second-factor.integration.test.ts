import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { aSignedInCitizen, CITIZEN_PASSWORD } from '../../../../../test/helpers/citizens.js';
import { publishService } from '../../../catalogue/index.js';
import { generateSecret } from 'otplib';
import { loadConfig } from '../../../../platform/config/config.js';
import { currentTotp, sealSecret, totpKey } from '../../commands/second-factor.js';

let app: TestApp;
beforeAll(async () => {
  // As on a live site (the development default is off): staff must have a second factor.
  app = await startTestApp({ STAFF_SECOND_FACTOR: 'required' });
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

/** The credential levels of a person's live sessions. */
async function sessionLevels(userId: string): Promise<string[]> {
  const rows = await db()
    .selectFrom('sessions')
    .select('credential_level')
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.credential_level);
}

async function auditActions(userId: string): Promise<{ action: string; details: unknown }[]> {
  return db()
    .selectFrom('audit_log')
    .select(['action', 'details'])
    .where('subject_user_id', '=', userId)
    .orderBy('id')
    .execute();
}

/** The six-digit code in the newest message of a topic sent to `to`. */
async function lastCode(topic: 'mail.send' | 'sms.send', to: string): Promise<string> {
  const rows = await db()
    .selectFrom('outbox')
    .select(['payload', 'idempotency_key'])
    .where('topic', '=', topic)
    .where(sql<string>`payload->>'to'`, '=', to)
    .where('idempotency_key', 'like', 'second-factor-code:%')
    .orderBy('id', 'desc')
    .limit(1)
    .execute();
  const text = String(rows[0]?.payload.text ?? '');
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`No code sent by ${topic} to ${to}`);
  return code;
}

/** A six-digit code that no step around now accepts. */
async function aWrongCode(secret: string): Promise<string> {
  const now = Date.now();
  const valid = new Set(
    await Promise.all([-60, -30, 0, 30, 60].map((s) => currentTotp(secret, now + s * 1000))),
  );
  for (let n = 0; ; n++) {
    const candidate = String(n * 7919)
      .padStart(6, '0')
      .slice(-6);
    if (!valid.has(candidate)) return candidate;
  }
}

/** Sets up an authenticator app for a signed-in visitor; returns the secret as an app would keep it. */
async function setUpApp(visitor: Visitor, returnTo = ''): Promise<string> {
  await visitor.get(
    `/account/second-factor${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`,
  );
  const chosen = await visitor.post('/account/second-factor', { method: 'totp', returnTo });
  expect(chosen.status).toBe(303);
  const page = await visitor.get(chosen.headers.get('location')!);
  expect(page.status).toBe(200);
  const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(page.html)?.[1]?.replace(/ /g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(page.html).toContain(`otpauth://totp/Joinedup:`);
  return secret!;
}

describe('setting up an authenticator app', () => {
  it('shows the key and refuses a wrong code, then turns the app on with a right one, audits it and sends a security e-mail', async () => {
    const { visitor, userId, email } = await aSignedInCitizen(app);
    const secret = await setUpApp(visitor);
    const wrong = await visitor.post('/account/second-factor/app', {
      code: await aWrongCode(secret),
      returnTo: '',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('govuk-error-summary');
    expect(wrong.html).toContain('The security code is not right');
    expect(
      (
        await db()
          .selectFrom('users')
          .select('second_factor')
          .where('id', '=', userId)
          .executeTakeFirstOrThrow()
      ).second_factor,
    ).toBe('none');

    const right = await visitor.post('/account/second-factor/app', {
      code: await currentTotp(secret),
      returnTo: '',
    });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/account/second-factor?changed=totp');
    const user = await db()
      .selectFrom('users')
      .select(['second_factor', 'totp_secret', 'totp_pending_secret'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(user.second_factor).toBe('totp');
    expect(user.totp_pending_secret).toBeNull();
    expect(user.totp_secret).not.toContain(secret); // sealed, not stored as typed
    const actions = (await auditActions(userId)).map((a) => a.action);
    expect(actions).toContain('account.second_factor_failed');
    expect(actions).toContain('account.second_factor_changed');
    const mails = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'mail.send')
      .where(sql<string>`payload->>'to'`, '=', email)
      .execute();
    expect(mails.length).toBeGreaterThan(0);
    // Proving the app raised this session to level 2.
    expect(await sessionLevels(userId)).toEqual(['Cl.Cm']);
    const page = await visitor.get('/account/second-factor?changed=totp');
    expect(page.html).toContain('Your authenticator app is set up');
  });
});

describe('signing in with a second factor', () => {
  it('gives no session until the app code, refuses a wrong code and a replayed one, and then gives a Cl.Cm session', async () => {
    const { visitor: first, userId, email } = await aSignedInCitizen(app);
    const secret = await setUpApp(first);
    expect(
      (
        await first.post('/account/second-factor/app', {
          code: await currentTotp(secret),
          returnTo: '',
        })
      ).status,
    ).toBe(303);
    await first.post('/sign-out', {});

    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/sign-in?returnTo=/applications');
    const password = await visitor.post('/sign-in', {
      email,
      password: CITIZEN_PASSWORD,
      returnTo: '/applications',
    });
    expect(password.status).toBe(303);
    expect(password.headers.get('location')).toBe('/sign-in/second-factor');
    expect(await sessionLevels(userId)).toEqual([]);
    // The pending sign-in opens nothing.
    expect((await visitor.get('/account/second-factor')).headers.get('location')).toMatch(
      /^\/sign-in\?/,
    );

    const page = await visitor.get('/sign-in/second-factor');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Enter the code from your authenticator app');
    const wrong = await visitor.post('/sign-in/second-factor', { code: await aWrongCode(secret) });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('The security code is not right');
    expect(await sessionLevels(userId)).toEqual([]);

    // The next step's code (one step ahead is allowed): the setup already spent this step's.
    const code = await currentTotp(secret, Date.now() + 30_000);
    const right = await visitor.post('/sign-in/second-factor', { code });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/applications');
    expect(await sessionLevels(userId)).toEqual(['Cl.Cm']);

    // Someone who saw the code over the shoulder, with the password, in the same step.
    const thief = new Visitor(app.baseUrl);
    await thief.get('/sign-in');
    await thief.post('/sign-in', { email, password: CITIZEN_PASSWORD, returnTo: '/' });
    await thief.get('/sign-in/second-factor');
    const replayed = await thief.post('/sign-in/second-factor', { code });
    expect(replayed.status).toBe(400);
    expect(replayed.html).toContain('has already been used');
    expect(await sessionLevels(userId)).toEqual(['Cl.Cm']);

    const audit = await auditActions(userId);
    const failures = audit.filter(
      (a) =>
        a.action === 'account.second_factor_failed' &&
        (a.details as { purpose: string }).purpose === 'sign-in',
    );
    expect(failures.map((f) => (f.details as { reason: string }).reason)).toEqual([
      'wrong',
      'replayed',
    ]);
    expect(audit.map((a) => a.action)).toContain('account.second_factor_passed');
  });

  it('keeps a Cl session, as before, for an account without a second factor', async () => {
    const { userId } = await aSignedInCitizen(app);
    expect(await sessionLevels(userId)).toEqual(['Cl']);
  });

  it('sends a code by text message, refuses it once expired, and accepts a new one', async () => {
    const phone = '07700 900123';
    const { visitor: first, userId, email } = await aSignedInCitizen(app, { phone });
    expect((await first.get('/account/second-factor')).html).toContain('ending 0123');
    expect(
      (await first.post('/account/second-factor', { method: 'sms', returnTo: '' })).status,
    ).toBe(303);
    await first.get('/account/second-factor/code?method=sms');
    const confirmed = await first.post('/account/second-factor/code', {
      code: await lastCode('sms.send', phone),
      method: 'sms',
      returnTo: '',
    });
    expect(confirmed.status).toBe(303);
    await first.post('/sign-out', {});

    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/sign-in');
    await visitor.post('/sign-in', { email, password: CITIZEN_PASSWORD, returnTo: '/' });
    const page = await visitor.get('/sign-in/second-factor');
    expect(page.html).toContain('Check your phone');
    const code = await lastCode('sms.send', phone);
    await db()
      .updateTable('one_time_codes')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('user_id', '=', userId)
      .where('purpose', '=', 'sign-in-code')
      .execute();
    const expired = await visitor.post('/sign-in/second-factor', { code });
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('The security code has expired');

    const resent = await visitor.post('/sign-in/second-factor/resend', { returnTo: '' });
    expect(resent.headers.get('location')).toBe('/sign-in/second-factor?sent=1');
    await visitor.get('/sign-in/second-factor?sent=1');
    const fresh = await lastCode('sms.send', phone);
    expect((await visitor.post('/sign-in/second-factor', { code: fresh })).status).toBe(303);
    expect(await sessionLevels(userId)).toEqual(['Cl.Cm']);

    // The worker writes each text to the development SMS log, one file a message.
    await app.platform.worker.drain();
    const sent = await db()
      .selectFrom('outbox')
      .select(['idempotency_key', 'status'])
      .where('topic', '=', 'sms.send')
      .where(sql<string>`payload->>'to'`, '=', phone)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(sent.status).toBe('done');
    const log = await readFile(
      path.join(tmpdir(), 'joinedup-sms', `${sent.idempotency_key.replace(/[^\w.-]/g, '_')}.txt`),
      'utf8',
    );
    expect(log).toContain(`To: ${phone}`);
    expect(log).toContain(fresh);
  });

  it('refuses an expired e-mail code', async () => {
    const { visitor: first, userId, email } = await aSignedInCitizen(app);
    await first.get('/account/second-factor');
    await first.post('/account/second-factor', { method: 'email', returnTo: '' });
    await first.get('/account/second-factor/code?method=email');
    expect(
      (
        await first.post('/account/second-factor/code', {
          code: await lastCode('mail.send', email),
          method: 'email',
          returnTo: '',
        })
      ).status,
    ).toBe(303);
    await first.post('/sign-out', {});

    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/sign-in');
    await visitor.post('/sign-in', { email, password: CITIZEN_PASSWORD, returnTo: '/' });
    await visitor.get('/sign-in/second-factor');
    const code = await lastCode('mail.send', email);
    await db()
      .updateTable('one_time_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', userId)
      .where('purpose', '=', 'sign-in-code')
      .execute();
    const expired = await visitor.post('/sign-in/second-factor', { code });
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('The security code has expired');
    expect(await sessionLevels(userId)).toEqual([]);
  });

  it('limits code entry per account', async () => {
    const { userId, email } = await aSignedInCitizen(app);
    const secret = generateSecret();
    const key = totpKey(loadConfig({}).SESSION_SECRET); // the test app's (default) secret
    await db()
      .updateTable('users')
      .set({ second_factor: 'totp', totp_secret: sealSecret(key, secret) })
      .where('id', '=', userId)
      .execute();
    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/sign-in');
    await visitor.post('/sign-in', { email, password: CITIZEN_PASSWORD, returnTo: '/' });
    const csrf = csrfToken((await visitor.get('/sign-in/second-factor')).html);
    const wrong = await aWrongCode(secret);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await visitor.post('/sign-in/second-factor', { code: wrong }, csrf)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses[10]).toBe(429);
  });
});

describe('stepping up in place', () => {
  it('raises a Cl session to Cl.Cm under a new token and returns to where the person was', async () => {
    const { visitor, userId, email } = await aSignedInCitizen(app);
    // Set up on another device: this session is still at Cl.
    await db()
      .updateTable('users')
      .set({ second_factor: 'email' })
      .where('id', '=', userId)
      .execute();
    const jar = (visitor as unknown as { cookies: Map<string, string> }).cookies;
    const oldToken = jar.get('ju_session');

    const ask = await visitor.get('/sign-in/second-factor?returnTo=%2Faccount%2Fsecond-factor');
    expect(ask.status).toBe(200);
    expect(ask.html).toContain('Check your e-mail');
    const done = await visitor.post('/sign-in/second-factor', {
      code: await lastCode('mail.send', email),
      returnTo: '/account/second-factor',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/account/second-factor');
    expect(jar.get('ju_session')).not.toBe(oldToken);
    expect(await sessionLevels(userId)).toEqual(['Cl.Cm']);
    expect((await visitor.get('/account/second-factor')).status).toBe(200);

    // The token from before the step-up opens nothing now.
    const stale = new Visitor(app.baseUrl);
    (stale as unknown as { cookies: Map<string, string> }).cookies.set('ju_session', oldToken!);
    expect((await stale.get('/account/second-factor')).headers.get('location')).toMatch(
      /^\/sign-in/,
    );
  });

  it('asks someone with no second factor to set one up, then takes them back', async () => {
    const { visitor, userId } = await aSignedInCitizen(app);
    const back = '/applications';
    const ask = await visitor.get(`/sign-in/second-factor?returnTo=${encodeURIComponent(back)}`);
    expect(ask.status).toBe(303);
    expect(ask.headers.get('location')).toBe(
      `/account/second-factor?returnTo=${encodeURIComponent(back)}`,
    );
    const secret = await setUpApp(visitor, back);
    const done = await visitor.post('/account/second-factor/app', {
      code: await currentTotp(secret),
      returnTo: back,
    });
    expect(done.headers.get('location')).toBe(back);
    expect(await sessionLevels(userId)).toEqual(['Cl.Cm']);
  });
});

describe('a service that needs level 2', () => {
  it('sends a Cl session to the second factor, and after the code back to the form page it asked for', async () => {
    const organisation = await db()
      .selectFrom('organisations')
      .select('id')
      .orderBy('name')
      .executeTakeFirstOrThrow();
    const published = await publishService(db(), {
      organisationId: organisation.id,
      slug: 'level-two-bulky-waste',
      title: 'Bulky waste (level 2)',
      titleCy: 'Gwastraff swmpus (lefel 2)',
      summary: 'Needs a second factor',
      summaryCy: 'Angen ail ffactor',
      body: '',
      bodyCy: '',
      formKey: 'bulky-waste',
      requiredLevel: 2,
    });
    expect(published.ok).toBe(true);
    const { visitor, userId, email } = await aSignedInCitizen(app);
    await db()
      .updateTable('users')
      .set({ second_factor: 'email' })
      .where('id', '=', userId)
      .execute();

    const formPage = '/services/level-two-bulky-waste/apply/items';
    const asked = await visitor.get(formPage);
    expect(asked.status).toBe(303);
    const stepUp = asked.headers.get('location')!;
    expect(stepUp).toBe(`/sign-in/second-factor?returnTo=${encodeURIComponent(formPage)}`);
    await visitor.get(stepUp);
    const done = await visitor.post('/sign-in/second-factor', {
      code: await lastCode('mail.send', email),
      returnTo: formPage,
    });
    expect(done.headers.get('location')).toBe(formPage);
    const form = await visitor.get(formPage);
    expect(form.status).toBe(200);
    expect(form.html).toContain('name="items"');

    // The demo bulky waste service still needs only a password.
    const { visitor: other } = await aSignedInCitizen(app);
    expect((await other.get('/services/request-a-bulky-waste-collection/apply/items')).status).toBe(
      200,
    );
  });
});

describe('staff must have a second factor (STAFF_SECOND_FACTOR=required)', () => {
  it('sends staff without one to set one up after signing in, and refuses staff pages, forms and APIs until then', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.signIn('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
    for (const page of ['/casework', '/', '/account']) {
      const held = await visitor.get(page);
      expect(held.status, page).toBe(303);
      expect(held.headers.get('location')).toBe(
        `/account/second-factor?returnTo=${encodeURIComponent(page)}`,
      );
    }
    const setUp = await visitor.get('/account/second-factor?returnTo=%2Fcasework');
    expect(setUp.status).toBe(200);
    expect(setUp.html).toContain(
      'Staff must set up a second factor before they can use staff pages',
    );
    expect(setUp.html).not.toContain('value="none"');
    const welsh = await visitor.get('/account/second-factor?returnTo=%2Fcasework&lang=cy');
    expect(welsh.html).toContain('Rhaid i staff osod ail ffactor');

    const form = await visitor.post(
      '/casework/assign',
      { reference: 'JU-0000-0000' },
      csrfToken(setUp.html),
    );
    expect(form.status).toBe(403);
    expect(form.html).toContain('Gosodwch ail ffactor cyn i chi ddefnyddio tudalennau staff');
    const api = await fetch(`${app.baseUrl}/api/v1/knowledge/contact-points`, {
      headers: { cookie: visitor.cookieHeader(), accept: 'application/json' },
    });
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ errors: [{ error: 'second_factor_required' }] });
    // Signing out stays open.
    await visitor.get('/account/second-factor?lang=en');
    expect((await visitor.post('/sign-out', {})).status).toBe(303);
  });

  it('lets them in once they have set up an authenticator app, back to where they were going, and keeps it on', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.signIn('caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker');
    // Someone else with the password, signed in before the app was set up.
    const other = new Visitor(app.baseUrl);
    await other.signIn('caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker');
    expect((await visitor.get('/casework')).status).toBe(303);
    const secret = await setUpApp(visitor, '/casework');
    const done = await visitor.post('/account/second-factor/app', {
      code: await currentTotp(secret),
      returnTo: '/casework',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/casework');
    expect((await visitor.get('/casework')).status).toBe(200);
    expect((await visitor.get('/')).status).toBe(200);

    const choose = await visitor.get('/account/second-factor');
    expect(choose.html).not.toContain('value="none"');
    const off = await visitor.post('/account/second-factor', { method: 'none', returnTo: '' });
    expect(off.status).toBe(400);
    expect(off.html).toContain('Staff must keep a second factor');
    const user = await db()
      .selectFrom('users')
      .select('second_factor')
      .where('email', '=', 'caseworker@cheltenham.example.gov.uk')
      .executeTakeFirstOrThrow();
    expect(user.second_factor).toBe('totp');

    // The session signed in with the password alone must now give the second factor.
    const stepUp = await other.get('/casework');
    expect(stepUp.status).toBe(303);
    expect(stepUp.headers.get('location')).toBe('/sign-in/second-factor?returnTo=%2Fcasework');
  });

  it('leaves citizens as they were: their pages need no second factor', async () => {
    const { visitor } = await aSignedInCitizen(app);
    expect((await visitor.get('/account')).status).toBe(200);
    expect((await visitor.get('/')).status).toBe(200);
    const choose = await visitor.get('/account/second-factor');
    expect(choose.html).not.toContain('Staff must set up a second factor');
  });
});
