import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { aConfirmedCitizen } from '../../../../../test/helpers/citizens.js';

const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const ADVISER = ['counter@stroud.example.gov.uk', 'demo-stroud-counter-adviser'] as const;
const CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const RETURN_TO = '/services/request-a-bulky-waste-collection';

/** Sam Citizen as DWP's demo register holds them (README: "Proving your identity"). */
const SAM = {
  givenName: 'Sam',
  familyName: 'Citizen',
  day: '14',
  month: '7',
  year: '1985',
  nino: 'JG103759A',
  postcode: 'GL5 4UB',
};

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

async function userByEmail(email: string) {
  return db()
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirstOrThrow();
}

/** Signs in and raises the session to `Cl.Cm`, as the second factor would. */
async function signInAtLevel2(email: string, password: string): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  const user = await userByEmail(email);
  await db()
    .updateTable('sessions')
    .set({ credential_level: 'Cl.Cm' })
    .where('user_id', '=', user.id)
    .execute();
  return visitor;
}

let people = 0;
/** A new citizen with a confirmed e-mail, signed in at level 2. */
async function newCitizen(): Promise<{ visitor: Visitor; email: string; id: string }> {
  people += 1;
  const email = `verifier${people}@example.com`;
  const password = 'a long enough password';
  const { id } = await aConfirmedCitizen(db(), {
    email,
    password,
    displayName: `Verifier ${people}`,
  });
  return { visitor: await signInAtLevel2(email, password), email, id };
}

/** Answers every page of the online journey and returns the reply to "Check my details". */
async function answerAll(visitor: Visitor, facts: typeof SAM, returnTo = RETURN_TO) {
  const start = await visitor.get(`/verify?returnTo=${encodeURIComponent(returnTo)}`);
  expect(start.status).toBe(200);
  expect((await visitor.post('/verify', { returnTo })).headers.get('location')).toBe(
    '/verify/name',
  );
  await visitor.get('/verify/name');
  const named = await visitor.post('/verify/name', {
    givenName: facts.givenName,
    familyName: facts.familyName,
  });
  expect(named.headers.get('location')).toBe('/verify/date-of-birth');
  await visitor.get('/verify/date-of-birth');
  await visitor.post('/verify/date-of-birth', {
    'dateOfBirth-day': facts.day,
    'dateOfBirth-month': facts.month,
    'dateOfBirth-year': facts.year,
  });
  await visitor.get('/verify/national-insurance-number');
  await visitor.post('/verify/national-insurance-number', { nino: facts.nino });
  await visitor.get('/verify/postcode');
  const placed = await visitor.post('/verify/postcode', { postcode: facts.postcode });
  expect(placed.headers.get('location')).toBe('/verify/check');
  const check = await visitor.get('/verify/check');
  expect(check.status).toBe(200);
  return visitor.post('/verify/check', {});
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

describe('proving identity online against the DWP register', () => {
  it('sends someone not signed in to sign in, and a password-only session to its second factor first', async () => {
    const anonymous = new Visitor(app.baseUrl);
    const refused = await anonymous.get('/verify');
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);

    const passwordOnly = new Visitor(app.baseUrl);
    await passwordOnly.signIn(...CITIZEN);
    const stepUp = await passwordOnly.get(`/verify?returnTo=${encodeURIComponent(RETURN_TO)}`);
    expect(stepUp.status).toBe(303);
    expect(stepUp.headers.get('location')).toBe(
      `/sign-in/second-factor?returnTo=${encodeURIComponent(`/verify?returnTo=${encodeURIComponent(RETURN_TO)}`)}`,
    );
  });

  it('raises the demo citizen to P2 when all four facts match, however typed, and returns them to where they were', async () => {
    const sam = await signInAtLevel2(...CITIZEN);
    const done = await answerAll(sam, {
      ...SAM,
      givenName: '  sam ',
      familyName: 'CITIZEN',
      nino: 'jg 10 37 59 a',
      postcode: 'gl54ub',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(RETURN_TO);

    const user = await userByEmail(CITIZEN[0]);
    expect(user.identity_level).toBe('P2');
    expect(user.identity_method).toBe('online-known-facts');
    expect(user.identity_verified_at).toBeInstanceOf(Date);

    const attempts = await auditFor(user.id, 'identity.verification_attempted');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.details).toMatchObject({ outcome: 'matched', nino: '******59A' });
    expect(JSON.stringify(attempts[0]!.details)).not.toContain('103759');
    const verified = await auditFor(user.id, 'identity.verified');
    expect(verified).toHaveLength(1);
    expect(verified[0]!.actor_user_id).toBe(user.id);
    expect(verified[0]!.details).toMatchObject({ method: 'online-known-facts' });

    // The typed facts are forgotten, and the (rotated) session now counts as P2.
    const journeys = await db()
      .selectFrom('identity_verification_journeys')
      .select('user_id')
      .where('user_id', '=', user.id)
      .execute();
    expect(journeys).toEqual([]);
    const again = await sam.get(`/verify?returnTo=${encodeURIComponent('/applications')}`);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/applications');
  });

  it('matches names whatever their accents, so "sian" is the register’s "Siân"', async () => {
    const accented = await db()
      .selectFrom('register_people')
      .select(['given_name', 'family_name', 'nino', 'postcode'])
      .select(sql<string>`to_char(date_of_birth, 'YYYY-MM-DD')`.as('dob'))
      .where('given_name', 'in', ['Siân', 'Gwenllïan', 'Zoë', 'Chloë', 'Renée', 'Seán', 'Ciarán'])
      .limit(1)
      .executeTakeFirstOrThrow();
    const plain = accented.given_name.normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase();
    expect(plain).not.toBe(accented.given_name);
    const { visitor, id } = await newCitizen();
    const [year, month, day] = accented.dob.split('-');
    const done = await answerAll(visitor, {
      givenName: plain,
      familyName: accented.family_name.toLowerCase(),
      day: day!,
      month: month!,
      year: year!,
      nino: accented.nino,
      postcode: accented.postcode,
    });
    expect(done.headers.get('location')).toBe(RETURN_TO);
    expect(
      (
        await db()
          .selectFrom('users')
          .select('identity_level')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).identity_level,
    ).toBe('P2');
  });

  it('says clearly when the facts do not match, offers face to face, and leaves the account at P0', async () => {
    const { visitor, id } = await newCitizen();
    const done = await answerAll(visitor, { ...SAM, postcode: 'GL5 4UA' });
    expect(done.headers.get('location')).toBe('/verify/no-match');
    const page = await visitor.get('/verify/no-match');
    expect(page.status).toBe(200);
    expect(page.html).toContain('We could not match your details');
    expect(page.html).toContain('You can try 2 more times in the next 24 hours.');
    expect(page.html).toContain('prove your identity in person');
    const user = await db()
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(user.identity_level).toBe('P0');
    const attempts = await auditFor(id, 'identity.verification_attempted');
    expect(attempts.map((a) => a.details.outcome)).toEqual(['not-matched']);
    expect(await auditFor(id, 'identity.verified')).toEqual([]);
  });

  it('locks online verification for 24 hours after 3 failures, refusing even the right facts, and says so', async () => {
    const { visitor, id } = await newCitizen();
    const wrong = { ...SAM, day: '15' };
    expect((await answerAll(visitor, wrong)).headers.get('location')).toBe('/verify/no-match');
    expect((await answerAll(visitor, wrong)).headers.get('location')).toBe('/verify/no-match');
    const third = await answerAll(visitor, wrong);
    expect(third.headers.get('location')).toBe('/verify/locked');

    const locked = await visitor.get('/verify/locked');
    expect(locked.status).toBe(403);
    expect(locked.html).toContain('You cannot prove your identity online at the moment');
    expect(locked.html).toMatch(/You can try again online after \d{1,2} \w+ \d{4}, \d\d:\d\d/);
    expect((await visitor.get('/verify')).html).toContain(
      'You cannot prove your identity online at the moment',
    );

    const lockEntries = await auditFor(id, 'identity.verification_locked');
    expect(lockEntries).toHaveLength(1);
    expect(lockEntries[0]!.details).toMatchObject({ failures: 3 });

    // Starting again with the right facts is refused while locked, and that refusal is logged.
    await visitor.post('/verify', { returnTo: RETURN_TO });
    for (const [path, fields] of [
      ['/verify/name', { givenName: SAM.givenName, familyName: SAM.familyName }],
      [
        '/verify/date-of-birth',
        {
          'dateOfBirth-day': SAM.day,
          'dateOfBirth-month': SAM.month,
          'dateOfBirth-year': SAM.year,
        },
      ],
      ['/verify/national-insurance-number', { nino: SAM.nino }],
      ['/verify/postcode', { postcode: SAM.postcode }],
    ] as const) {
      await visitor.post(path, fields);
    }
    const refused = await visitor.post('/verify/check', {});
    expect(refused.headers.get('location')).toBe('/verify/locked');
    const user = await db()
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(user.identity_level).toBe('P0');
    expect(user.identity_verification_locked_until!.getTime()).toBeGreaterThan(
      Date.now() + 23 * 3600_000,
    );
    const outcomes = (await auditFor(id, 'identity.verification_attempted')).map(
      (a) => a.details.outcome,
    );
    expect(outcomes).toEqual(['not-matched', 'not-matched', 'not-matched', 'refused-locked']);
    const counted = await db()
      .selectFrom('identity_verification_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(3);
  });

  it('shows the error summary for a National Insurance number that cannot exist, and does not jump ahead', async () => {
    const { visitor } = await newCitizen();
    await visitor.get('/verify');
    await visitor.post('/verify', { returnTo: '/' });
    expect((await visitor.get('/verify/postcode')).headers.get('location')).toBe('/verify/name');
    await visitor.get('/verify/name');
    await visitor.post('/verify/name', { givenName: 'Sam', familyName: 'Citizen' });
    await visitor.post('/verify/date-of-birth', {
      'dateOfBirth-day': '14',
      'dateOfBirth-month': '7',
      'dateOfBirth-year': '1985',
    });
    await visitor.get('/verify/national-insurance-number');
    const bad = await visitor.post('/verify/national-insurance-number', { nino: 'QQ 12 34 56 C' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('href="#nino"');
    expect(bad.html).toMatch(/<title>Error: /);
    const welsh = await visitor.get('/verify/national-insurance-number?lang=cy');
    expect(welsh.html).toContain('Beth yw eich rhif Yswiriant Gwladol?');
  });
});

describe('proving identity face to face at a counter', () => {
  it('lets a counter adviser find a person by e-mail, record the documents seen and raise them to P2', async () => {
    const { email, id } = await newCitizen();
    const adviser = await signInAtLevel2(...ADVISER);
    const search = await adviser.get('/verify/counter');
    expect(search.status).toBe(200);
    const unknown = await adviser.post('/verify/counter', { email: 'nobody@example.com' });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('No citizen’s account uses this e-mail address');
    const found = await adviser.post('/verify/counter', { email: email.toUpperCase() });
    expect(found.headers.get('location')).toBe(`/verify/counter/${id}`);
    const record = await adviser.get(`/verify/counter/${id}`);
    expect(record.html).toContain(email);

    const incomplete = await adviser.post(`/verify/counter/${id}`, { documents: 'passport' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.html).toContain('Enter the last 4 characters of the passport number');
    expect(incomplete.html).toContain('Confirm that you have seen the person and their documents');
    expect((await userByEmail(email)).identity_level).toBe('P0');

    const confirmed = await adviser.post(`/verify/counter/${id}`, {
      documents: ['passport', 'driving-licence'],
      'last4-passport': '4821',
      'last4-driving-licence': 'j9 9a',
      'last4-biometric-residence-permit': '',
      confirmed: 'yes',
      // The details the adviser copies from the documents (the verified identity).
      givenName: 'Alex',
      familyName: 'Example',
      'dateOfBirth-day': '2',
      'dateOfBirth-month': '3',
      'dateOfBirth-year': '1990',
      addressLine1: '2 Church Lane',
      town: 'Stroud',
      postcode: 'gl5 1aa',
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/verify/counter/${id}/done`);
    expect((await adviser.get(`/verify/counter/${id}/done`)).html).toContain('Identity verified');

    const person = await userByEmail(email);
    expect(person.identity_level).toBe('P2');
    expect(person.identity_method).toBe('face-to-face');
    const adviserRow = await userByEmail(ADVISER[0]);
    const checks = await db()
      .selectFrom('identity_document_checks')
      .selectAll()
      .where('user_id', '=', id)
      .execute();
    expect(checks).toHaveLength(1);
    expect(checks[0]!.adviser_user_id).toBe(adviserRow.id);
    expect(checks[0]!.documents).toEqual([
      { type: 'passport', last4: '4821' },
      { type: 'driving-licence', last4: 'J99A' },
    ]);
    const [entry, ...others] = await auditFor(id, 'identity.verified');
    expect(others).toEqual([]);
    expect(entry!.actor_user_id).toBe(adviserRow.id);
    expect(entry!.actor_organisation_id).toBe(adviserRow.organisation_id);
    expect(entry!.actor_role).toBe('counter-adviser');
    expect(entry!.details).toMatchObject({ method: 'face-to-face' });
  });

  it('gives a citizen, and staff without the counter-adviser role, 404 for the counter pages', async () => {
    const { visitor } = await newCitizen();
    const target = await userByEmail(CITIZEN[0]);
    expect((await visitor.get('/verify/counter')).status).toBe(404);
    expect((await visitor.get(`/verify/counter/${target.id}`)).status).toBe(404);
    const posted = await visitor.post(`/verify/counter/${target.id}`, {
      documents: 'passport',
      'last4-passport': '1234',
      confirmed: 'yes',
    });
    expect(posted.status).toBe(404);
    const caseworker = await signInAtLevel2(...CASEWORKER);
    expect((await caseworker.get('/verify/counter')).status).toBe(404);
    const checks = await db()
      .selectFrom('identity_document_checks')
      .select('id')
      .where('user_id', '=', target.id)
      .execute();
    expect(checks).toEqual([]);
  });
});
