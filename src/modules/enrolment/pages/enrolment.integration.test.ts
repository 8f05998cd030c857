import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../../test/helpers/citizens.js';
import { formatDate } from '../../../platform/i18n/i18n.js';
import { letterFile, LETTER_TOPIC } from '../../../platform/letters/letters.js';
import { pdfTextLines } from '../../../platform/letters/pdf.js';
import { activeEnrolments, DEMO_BUSINESS_RATES, DEMO_COUNCIL_TAX } from '../index.js';

const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const COUNCIL_TAX = '/enrol/stroud/council-tax';
const BUSINESS_RATES = '/enrol/stroud/business-rates';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

async function userId(email: string): Promise<string> {
  const row = await db()
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A new citizen with a confirmed e-mail address, signed in. */
async function newCitizen(email: string): Promise<Visitor> {
  return (await aSignedInCitizen(app, { email, password: 'a long enough password' })).visitor;
}

async function citizen(): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(...CITIZEN);
  return visitor;
}

async function askToEnrol(visitor: Visitor, path: string, reference: string, postcode: string) {
  await visitor.get(path);
  return visitor.post(path, { reference, postcode });
}

/** Posts every queued letter, then reads the newest one addressed to `name` from the post room. */
async function latestLetterTo(name: string) {
  await app.platform.worker.drain();
  const letters = await db()
    .selectFrom('outbox')
    .select(['idempotency_key', 'payload', 'status'])
    .where('topic', '=', LETTER_TOPIC)
    .orderBy('id', 'desc')
    .execute();
  const letter = letters.find((l) => (l.payload.to as { name: string }).name === name);
  if (!letter) throw new Error(`No letter to ${name}`);
  expect(letter.status).toBe('done');
  const pdf = await readFile(letterFile({ DATA_DIR: ':memory:' }, letter.idempotency_key));
  const lines = pdfTextLines(pdf);
  const code = /^Activation code: (\d{8})$/.exec(
    lines.find((l) => l.startsWith('Activation code')) ?? '',
  )?.[1];
  return { pdf, lines, code: code!, to: letter.payload.to, count: letters.length };
}

async function audit(action: string, subject: string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('subject_user_id', '=', subject)
    .orderBy('id')
    .execute();
}

async function enrolmentIdFrom(location: string | null): Promise<string> {
  const id = /^\/enrol\/enrolments\/([0-9a-f-]{36})\/letter-sent$/.exec(location ?? '')?.[1];
  expect(id).toBeDefined();
  return id!;
}

describe('enrolling into a Council Tax account, end to end', () => {
  it('matches the facts, posts a bilingual letter to the registered address, and activates with the code from it', async () => {
    const visitor = await citizen();
    const samId = await userId(CITIZEN[0]);

    const list = await visitor.get('/enrol');
    expect(list.status).toBe(200);
    expect(list.html).toContain('You have not linked any services');
    expect(list.html).toContain(`href="${COUNCIL_TAX}"`);
    expect(list.html).toContain(`href="${BUSINESS_RATES}"`);

    // Typed with spaces and in lower case: the reference and postcode are normalised.
    const asked = await askToEnrol(visitor, COUNCIL_TAX, '4031 8275', 'gl54ub');
    expect(asked.status).toBe(303);
    const enrolmentId = await enrolmentIdFrom(asked.headers.get('location'));
    const sent = await visitor.get(`/enrol/enrolments/${enrolmentId}/letter-sent`);
    expect(sent.html).toContain('We have posted you an activation code');
    expect(sent.html).not.toContain('1 High Street'); // the page never shows the registered address

    const letter = await latestLetterTo('Sam Citizen');
    expect(letter.to).toEqual({
      name: 'Sam Citizen',
      lines: ['1 High Street', 'Stroud', 'GL5 4UB'],
    });
    expect(letter.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const expires = new Date(Date.now() + 30 * 86_400_000);
    expect(letter.lines).toEqual(
      expect.arrayContaining([
        'Stroud District Council / Cyngor Dosbarth Stroud',
        'Sam Citizen',
        '1 High Street',
        'GL5 4UB',
        'Your activation code',
        'Eich cod actifadu',
        `Activation code: ${letter.code}`,
        `Cod actifadu: ${letter.code}`,
        `The code expires on ${formatDate(expires, 'en')}.`,
        `Bydd y cod yn dod i ben ar ${formatDate(expires, 'cy')}.`,
      ]),
    );
    expect(letter.code).toMatch(/^\d{8}$/);
    // Only the hash of the code is kept.
    const stored = await db()
      .selectFrom('one_time_codes')
      .select('code_hash')
      .where('destination', '=', enrolmentId)
      .executeTakeFirstOrThrow();
    expect(stored.code_hash).not.toContain(letter.code);

    const pending = await visitor.get('/enrol');
    expect(pending.html).toContain('Waiting for activation code');
    expect(pending.html).toContain(
      `Enter the code from your letter by ${formatDate(expires, 'en')}`,
    );
    expect(await activeEnrolments(db(), samId)).toEqual([]);
    expect(await audit('enrolment.requested', samId)).toEqual([
      expect.objectContaining({
        actor_user_id: samId,
        resource_type: 'enrolment',
        resource_id: enrolmentId,
        details: expect.objectContaining({ service: 'council-tax', reference: '40318275' }),
      }),
    ]);

    await visitor.get(`/enrol/activate?enrolment=${enrolmentId}`);
    const wrongCode = letter.code === '00000000' ? '11111111' : '00000000';
    const wrong = await visitor.post('/enrol/activate', {
      enrolment: enrolmentId,
      code: wrongCode,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('govuk-error-summary');
    expect(wrong.html).toContain('The activation code is not right');

    const right = await visitor.post('/enrol/activate', {
      enrolment: enrolmentId,
      code: `${letter.code.slice(0, 4)} ${letter.code.slice(4)}`,
    });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe(`/enrol/enrolments/${enrolmentId}/activated`);
    expect((await visitor.get(right.headers.get('location')!)).html).toContain(
      'Service added to your account',
    );
    const active = await visitor.get('/enrol');
    expect(active.html).toContain('Active');
    expect(active.html).toContain('40318275');
    expect(await activeEnrolments(db(), samId)).toEqual([
      expect.objectContaining({
        id: enrolmentId,
        service: 'council-tax',
        reference: DEMO_COUNCIL_TAX.reference,
        organisationName: 'Stroud District Council',
      }),
    ]);
    expect(await audit('enrolment.activated', samId)).toEqual([
      expect.objectContaining({ resource_id: enrolmentId, actor_user_id: samId }),
    ]);

    // The same letter's code again is a replay.
    await visitor.get('/enrol/activate');
    const replay = await visitor.post('/enrol/activate', {
      enrolment: enrolmentId,
      code: letter.code,
    });
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('This activation code has already been used');

    // Asking again for an account already linked says so, and posts nothing.
    const before = (await latestLetterTo('Sam Citizen')).count;
    const again = await askToEnrol(visitor, COUNCIL_TAX, '40318275', 'GL5 4UB');
    expect(again.status).toBe(400);
    expect(again.html).toContain('already linked to your online account');
    expect((await latestLetterTo('Sam Citizen')).count).toBe(before);

    // Removing it.
    const confirm = await visitor.get(`/enrol/enrolments/${enrolmentId}/remove`);
    expect(confirm.html).toContain('Are you sure you want to remove your Council Tax account?');
    const removed = await visitor.post(`/enrol/enrolments/${enrolmentId}/remove`, {});
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe('/enrol?removed=1');
    expect((await visitor.get('/enrol?removed=1')).html).toContain('The service has been removed');
    expect(await activeEnrolments(db(), samId)).toEqual([]);
    expect(await audit('enrolment.removed', samId)).toEqual([
      expect.objectContaining({ resource_id: enrolmentId, actor_user_id: samId }),
    ]);
  });
});

describe('enrolment refusals', () => {
  it('asks anyone not signed in to sign in first', async () => {
    const response = await new Visitor(app.baseUrl).get('/enrol');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in?returnTo=%2Fenrol');
  });

  it('says when the details do not match, posts no letter, and makes no enrolment', async () => {
    const visitor = await newCitizen('mismatch@example.com');
    const id = await userId('mismatch@example.com');
    const letters = async () =>
      Number(
        (
          await db()
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('topic', '=', LETTER_TOPIC)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await letters();
    const wrongPostcode = await askToEnrol(
      visitor,
      COUNCIL_TAX,
      DEMO_COUNCIL_TAX.reference,
      'GL5 4UD',
    );
    expect(wrongPostcode.status).toBe(400);
    expect(wrongPostcode.html).toContain('The details you entered do not match our records');
    expect(wrongPostcode.html).toContain('value="GL5 4UD"');
    const unknown = await askToEnrol(visitor, COUNCIL_TAX, '49999999', DEMO_COUNCIL_TAX.postcode);
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('The details you entered do not match our records');
    // The right council tax number is not a business rates number.
    const wrongRegister = await askToEnrol(
      visitor,
      BUSINESS_RATES,
      'BR4031827',
      DEMO_COUNCIL_TAX.postcode,
    );
    expect(wrongRegister.status).toBe(400);
    expect(await letters()).toBe(before);
    expect(
      await db().selectFrom('enrolments').where('user_id', '=', id).selectAll().execute(),
    ).toEqual([]);
    expect(await audit('enrolment.refused', id)).toHaveLength(3);
  });

  it('checks the shape of the account number and postcode without counting it as a guess', async () => {
    const visitor = await newCitizen('typo@example.com');
    const empty = await askToEnrol(visitor, COUNCIL_TAX, '', '');
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter your Council Tax account number');
    expect(empty.html).toContain('Enter the postcode');
    const shape = await askToEnrol(visitor, COUNCIL_TAX, '1234', 'not a postcode');
    expect(shape.html).toContain('Council Tax account number must be 8 numbers');
    expect(shape.html).toContain('Enter a real postcode');
    const rates = await askToEnrol(visitor, BUSINESS_RATES, '12345678', 'GL5 1AA');
    expect(rates.html).toContain('must be BR followed by 7 numbers');
    const attempts = await db()
      .selectFrom('enrolment_attempts')
      .selectAll()
      .where('user_id', '=', await userId('typo@example.com'))
      .execute();
    expect(attempts).toEqual([]);
  });

  it('refuses a sixth attempt in a day after five that did not match, even with the right details, until a day has passed', async () => {
    const visitor = await newCitizen('guesser@example.com');
    const id = await userId('guesser@example.com');
    for (let i = 0; i < 5; i++) {
      const guess = await askToEnrol(visitor, COUNCIL_TAX, `4000000${i}`, 'GL5 4UB');
      expect(guess.status).toBe(400);
      expect(guess.html).toContain('do not match our records');
    }
    const sixth = await askToEnrol(
      visitor,
      BUSINESS_RATES,
      DEMO_BUSINESS_RATES.reference,
      DEMO_BUSINESS_RATES.postcode,
    );
    expect(sixth.status).toBe(429);
    expect(sixth.html).toContain('You have entered details that do not match too many times');
    expect(await audit('enrolment.refused', id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          details: expect.objectContaining({ reason: 'too-many-attempts' }),
        }),
      ]),
    );
    // Another person is not held back by this one's guesses.
    const other = await newCitizen('bystander@example.com');
    expect(
      (
        await askToEnrol(
          other,
          BUSINESS_RATES,
          DEMO_BUSINESS_RATES.reference,
          DEMO_BUSINESS_RATES.postcode,
        )
      ).status,
    ).toBe(303);

    await db()
      .updateTable('enrolment_attempts')
      .set({ attempted_at: sql<Date>`now() - interval '25 hours'` })
      .where('user_id', '=', id)
      .execute();
    const tomorrow = await askToEnrol(
      visitor,
      BUSINESS_RATES,
      DEMO_BUSINESS_RATES.reference,
      DEMO_BUSINESS_RATES.postcode,
    );
    expect(tomorrow.status).toBe(303);
  });

  it('refuses an expired code, and a new letter replaces the old code', async () => {
    const visitor = await newCitizen('slow@example.com');
    const id = await userId('slow@example.com');
    const asked = await askToEnrol(
      visitor,
      BUSINESS_RATES,
      DEMO_BUSINESS_RATES.reference,
      'gl5 1aa',
    );
    const enrolmentId = await enrolmentIdFrom(asked.headers.get('location'));
    const first = await latestLetterTo(DEMO_BUSINESS_RATES.holderName);
    expect(first.lines).toContain('Dear Five Valleys Bakery Ltd,');
    expect(first.to).toEqual({
      name: 'Five Valleys Bakery Ltd',
      lines: ['12 Kendrick Street', 'Stroud', 'GL5 1AA'],
    });

    await db()
      .updateTable('one_time_codes')
      .set({ expires_at: sql<Date>`now() - interval '1 day'` } as never)
      .where('destination', '=', enrolmentId)
      .execute();
    await db()
      .updateTable('enrolments')
      .set({ code_expires_at: sql<Date>`now() - interval '1 day'` } as never)
      .where('id', '=', enrolmentId)
      .execute();
    expect((await visitor.get('/enrol')).html).toContain('Code expired');
    await visitor.get('/enrol/activate');
    const expired = await visitor.post('/enrol/activate', {
      enrolment: enrolmentId,
      code: first.code,
    });
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('The activation code has expired');
    expect(await audit('enrolment.activation-refused', id)).toEqual([
      expect.objectContaining({ resource_id: enrolmentId, details: { reason: 'expired' } }),
    ]);

    // Asking again renews the same enrolment with a new letter; only the new code works.
    const again = await askToEnrol(
      visitor,
      BUSINESS_RATES,
      DEMO_BUSINESS_RATES.reference,
      'GL5 1AA',
    );
    expect(await enrolmentIdFrom(again.headers.get('location'))).toBe(enrolmentId);
    const second = await latestLetterTo(DEMO_BUSINESS_RATES.holderName);
    expect(second.code).toMatch(/^\d{8}$/);
    await visitor.get('/enrol/activate');
    if (first.code !== second.code) {
      const old = await visitor.post('/enrol/activate', {
        enrolment: enrolmentId,
        code: first.code,
      });
      expect(old.status).toBe(400);
    }
    const fresh = await visitor.post('/enrol/activate', {
      enrolment: enrolmentId,
      code: second.code,
    });
    expect(fresh.status).toBe(303);
    expect(await activeEnrolments(db(), id)).toHaveLength(1);
  });

  it('spends the code after five wrong tries', async () => {
    const visitor = await newCitizen('fumbler@example.com');
    const asked = await askToEnrol(
      visitor,
      COUNCIL_TAX,
      DEMO_COUNCIL_TAX.reference,
      DEMO_COUNCIL_TAX.postcode,
    );
    const enrolmentId = await enrolmentIdFrom(asked.headers.get('location'));
    const { code } = await latestLetterTo('Sam Citizen');
    const wrong = code === '12345678' ? '87654321' : '12345678';
    await visitor.get('/enrol/activate');
    for (let i = 0; i < 4; i++)
      expect(
        (await visitor.post('/enrol/activate', { enrolment: enrolmentId, code: wrong })).html,
      ).toContain('The activation code is not right');
    expect(
      (await visitor.post('/enrol/activate', { enrolment: enrolmentId, code: wrong })).html,
    ).toContain('You have entered a wrong code too many times');
    const late = await visitor.post('/enrol/activate', { enrolment: enrolmentId, code });
    expect(late.status).toBe(400);
  });

  it('gives 404 to another person for someone else’s enrolment, and will not activate it', async () => {
    const owner = await newCitizen('owner@example.com');
    const asked = await askToEnrol(
      owner,
      COUNCIL_TAX,
      DEMO_COUNCIL_TAX.reference,
      DEMO_COUNCIL_TAX.postcode,
    );
    const enrolmentId = await enrolmentIdFrom(asked.headers.get('location'));
    const { code } = await latestLetterTo('Sam Citizen');
    const stranger = await newCitizen('stranger@example.com');
    expect((await stranger.get(`/enrol/enrolments/${enrolmentId}/remove`)).status).toBe(404);
    expect((await stranger.get(`/enrol/enrolments/${enrolmentId}/letter-sent`)).status).toBe(404);
    expect((await stranger.get('/enrol/enrolments/not-a-uuid/remove')).status).toBe(404);
    await stranger.get('/enrol');
    expect((await stranger.post(`/enrol/enrolments/${enrolmentId}/remove`, {})).status).toBe(404);
    await stranger.get('/enrol/activate');
    const taken = await stranger.post('/enrol/activate', { enrolment: enrolmentId, code });
    expect(taken.status).toBe(400);
    expect(taken.html).toContain('You have no services waiting for an activation code');
    expect(
      await db()
        .selectFrom('enrolments')
        .select('status')
        .where('id', '=', enrolmentId)
        .executeTakeFirst(),
    ).toEqual({
      status: 'pending',
    });
    expect((await stranger.get('/enrol/stroud/dog-licence')).status).toBe(404);
  });

  it('shows the pages in Welsh', async () => {
    const visitor = await citizen();
    const list = await visitor.get('/enrol?lang=cy');
    expect(list.html).toContain('Eich gwasanaethau');
    const form = await visitor.get(`${COUNCIL_TAX}?lang=cy`);
    expect(form.html).toContain('Ychwanegu eich Cyfrif Treth Gyngor');
  });
});
