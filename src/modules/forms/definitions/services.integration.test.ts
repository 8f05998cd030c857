/**
 * Two of the services put online, walked through HTTP against the real app and the demo seed:
 * reporting a missed bin without an account, and applying for a residents' parking permit
 * signed in (stepping up to a second factor, as the service asks) with a file upload.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenValue, startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { attachmentsByIds } from '../../attachments/index.js';
import { findPublishedService } from '../../catalogue/index.js';
import { registerCitizen } from '../../identity/index.js';
import { findSubmissionByDraftId } from '../../submissions/index.js';
import { ukToday } from '../index.js';
import { answer, postFile } from '../test/pages.js';

const MISSED_BIN = '/services/report-a-missed-bin-collection-stroud/apply';
const PARKING = '/services/residents-parking-permit-gloucestershire/apply';
const HALL = '/services/book-a-community-hall-stroud/apply';
const GRANT = '/services/small-business-grant-stroud/apply';
const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

/** `days` from today in the UK, as day, month and year inputs of a date question named `name`. */
function dateFields(name: string, days: number): Record<string, string> {
  const date = new Date(`${ukToday()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return {
    [`${name}-day`]: String(date.getUTCDate()),
    [`${name}-month`]: String(date.getUTCMonth() + 1),
    [`${name}-year`]: String(date.getUTCFullYear()),
  };
}

function isoDate(days: number): string {
  const date = new Date(`${ukToday()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The six-digit code in the newest second-factor e-mail sent to `to`. */
async function secondFactorCode(to: string): Promise<string> {
  const row = await db()
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'mail.send')
    .where(sql<string>`payload->>'to'`, '=', to)
    .where('idempotency_key', 'like', 'second-factor-code:%')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const code = /\b(\d{6})\b/.exec(String((row.payload as { text?: string }).text))?.[1];
  if (!code) throw new Error(`No second-factor code e-mailed to ${to}`);
  return code;
}

describe('report a missed bin collection, without an account', () => {
  it('needs no account: reports yesterday’s recycling at an address from the register, and sends it to Stroud', async () => {
    const person = new Visitor(app.baseUrl);
    const start = await person.get(MISSED_BIN);
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe(`${MISSED_BIN}/bin`);

    const bin = await person.get(`${MISSED_BIN}/bin`);
    expect(bin.html).toContain('Save and come back later');
    expect(bin.html).toContain('Garden waste (brown bin)');
    expect(
      (await person.post(`${MISSED_BIN}/bin`, { actingFor: '', bin: 'recycling' })).headers.get(
        'location',
      ),
    ).toBe(`${MISSED_BIN}/date`);

    // The date: not in the future, and no more than 14 days ago.
    const future = await answer(person, `${MISSED_BIN}/date`, dateFields('collectionDate', 1));
    expect(future.status).toBe(400);
    expect(future.html).toContain('The collection date must be today or in the past');
    const old = await answer(person, `${MISSED_BIN}/date`, dateFields('collectionDate', -15));
    expect(old.status).toBe(400);
    expect(old.html).toContain('You can only report a collection missed in the last 14 days');
    const yesterday = await answer(person, `${MISSED_BIN}/date`, dateFields('collectionDate', -1));
    expect(yesterday.headers.get('location')).toBe(`${MISSED_BIN}/address`);

    // The address, found by postcode and picked from the register.
    const found = await answer(person, `${MISSED_BIN}/address`, {
      'address-mode': 'find',
      'address-lookup': 'gl5 4ub',
      action: 'find:address',
    });
    expect(found.status).toBe(200);
    expect(found.html).toContain('Ebley Mill, Westward Road, Ebley, Stroud, GL5 4UB');
    const picked = await person.post(`${MISSED_BIN}/address`, {
      actingFor: '',
      'address-mode': 'select',
      'address-lookup': 'GL5 4UB',
      'address-uprn': '900000000001',
    });
    expect(picked.headers.get('location')).toBe(`${MISSED_BIN}/bin-location`);

    // "Somewhere else" needs saying where.
    const vague = await answer(person, `${MISSED_BIN}/bin-location`, { binLocation: 'other' });
    expect(vague.status).toBe(400);
    expect(vague.html).toContain('Tell us where you left the bin');
    const located = await answer(person, `${MISSED_BIN}/bin-location`, {
      binLocation: 'other',
      binLocationOther: 'Behind the side gate',
    });
    expect(located.headers.get('location')).toBe(`${MISSED_BIN}/contact`);

    // The e-mail address is required (it says who reported, and how to reach them); the phone is not.
    const noEmail = await answer(person, `${MISSED_BIN}/contact`, { email: '', phone: '' });
    expect(noEmail.status).toBe(400);
    expect(noEmail.html).toContain(
      'Enter your email address, so we can contact you about the collection',
    );
    const contact = await answer(person, `${MISSED_BIN}/contact`, {
      email: 'rae@example.com',
      phone: '',
    });
    expect(contact.headers.get('location')).toBe(`${MISSED_BIN}/check-answers`);

    const check = await person.get(`${MISSED_BIN}/check-answers`);
    for (const text of ['Recycling', 'Ebley Mill', 'Behind the side gate', 'rae@example.com'])
      expect(check.html, text).toContain(text);
    expect(check.html).not.toContain(`${MISSED_BIN}/declaration`);
    const draftId = hiddenValue(check.html, 'draftId');
    const sent = await person.post(`${MISSED_BIN}/submit`, { actingFor: '', draftId });
    const confirmation = sent.headers.get('location')!;
    expect(confirmation).toMatch(
      new RegExp(`^${MISSED_BIN}/confirmation/JU-[A-Z0-9]{4}-[A-Z0-9]{4}$`),
    );
    const page = await person.get(confirmation);
    expect(page.html).toContain('Missed bin reported');
    expect(page.html).toContain('We will collect the bin within 2 working days.');

    const submission = (await findSubmissionByDraftId(db(), draftId))!;
    const stroud = (await findPublishedService(
      db(),
      'report-a-missed-bin-collection-stroud',
      'en',
    ))!;
    expect(submission.organisation_id).toBe(stroud.organisation.id);
    expect(submission.applicant_user_id).toBeNull();
    expect(submission.applicant).toEqual({ email: 'rae@example.com' });
    expect(submission.answers.values).toEqual({
      bin: 'recycling',
      collectionDate: isoDate(-1),
      address: {
        uprn: '900000000001',
        line1: 'Ebley Mill',
        line2: 'Westward Road, Ebley',
        town: 'Stroud',
        postcode: 'GL5 4UB',
      },
      binLocation: 'other',
      binLocationOther: 'Behind the side gate',
      email: 'rae@example.com',
      phone: '',
    });

    // With no account to follow it in, the receipt e-mail goes to the address given.
    await app.platform.worker.drain();
    const receipt = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'mail.send')
      .where(sql<string>`payload->>'to'`, '=', 'rae@example.com')
      .executeTakeFirstOrThrow();
    const text = String((receipt.payload as { text?: string }).text);
    expect(text).toContain(submission.reference);
    expect(text).toContain('Stroud District Council has received your report or application');
  });
});

describe('apply for a residents’ parking permit, signed in', () => {
  it('steps up to a second factor, uploads proof of address, and sends the application to Gloucestershire', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    // The permit needs level 2: the citizen has e-mail codes as their second factor.
    await db()
      .updateTable('users')
      .set({ second_factor: 'email', email_verified_at: new Date() })
      .where('email', '=', CITIZEN[0])
      .execute();
    const start = await citizen.get(PARKING);
    expect(start.headers.get('location')).toBe(
      `/sign-in/second-factor?returnTo=${encodeURIComponent(PARKING)}`,
    );
    await citizen.get(start.headers.get('location')!);
    const stepped = await citizen.post('/sign-in/second-factor', {
      code: await secondFactorCode(CITIZEN[0]),
      returnTo: PARKING,
    });
    expect(stepped.headers.get('location')).toBe(PARKING);
    expect((await citizen.get(PARKING)).headers.get('location')).toBe(`${PARKING}/address`);

    const found = await answer(citizen, `${PARKING}/address`, {
      'address-mode': 'find',
      'address-lookup': 'GL50 1PP',
      action: 'find:address',
    });
    expect(found.html).toContain('Municipal Offices, Promenade, Cheltenham, GL50 1PP');
    await citizen.post(`${PARKING}/address`, {
      actingFor: '',
      'address-mode': 'select',
      'address-lookup': 'GL50 1PP',
      'address-uprn': '900000000004',
    });

    // The registration number must look like one.
    const bad = await answer(citizen, `${PARKING}/registration`, { registration: 'MY CAR' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Enter a registration number in the correct format, like AB12 CDE');
    const registration = await answer(citizen, `${PARKING}/registration`, {
      registration: 'ab12 cde',
    });
    expect(registration.headers.get('location')).toBe(`${PARKING}/make`);
    await answer(citizen, `${PARKING}/make`, { make: 'Toyota' });

    // A company car brings in the page about the employer.
    const company = await answer(citizen, `${PARKING}/company-car`, { companyCar: 'yes' });
    expect(company.headers.get('location')).toBe(`${PARKING}/employer`);
    const employer = await answer(citizen, `${PARKING}/employer`, {
      employer: 'Cotswold Accountants LLP',
    });
    expect(employer.headers.get('location')).toBe(`${PARKING}/proof-of-address`);

    // Proof of address: a file, sniffed, listed, then on.
    const proof = await citizen.get(`${PARKING}/proof-of-address`);
    expect(proof.html).toContain('enctype="multipart/form-data"');
    const none = await postFile(citizen, `${PARKING}/proof-of-address`, null);
    expect(none.status).toBe(400);
    expect(none.html).toContain('Upload proof of your address');
    const text = await postFile(citizen, `${PARKING}/proof-of-address`, {
      name: 'bill.pdf',
      type: 'application/pdf',
      content: Buffer.from('not a pdf at all, just words'),
    });
    expect(text.status).toBe(400);
    const uploaded = await postFile(citizen, `${PARKING}/proof-of-address`, {
      name: 'council-tax-bill.pdf',
      type: 'application/pdf',
      content: PDF,
    });
    expect(uploaded.headers.get('location')).toBe(`${PARKING}/proof-of-address`);
    expect((await citizen.get(`${PARKING}/proof-of-address`)).html).toContain(
      'council-tax-bill.pdf',
    );
    const onwards = await postFile(citizen, `${PARKING}/proof-of-address`, null);
    expect(onwards.headers.get('location')).toBe(`${PARKING}/contact`);

    // The account's e-mail address is filled in; the person may change it.
    const contact = await citizen.get(`${PARKING}/contact`);
    expect(contact.html).toContain('value="citizen@example.com"');
    await citizen.post(`${PARKING}/contact`, {
      actingFor: '',
      email: 'citizen@example.com',
      phone: '07700 900982',
    });

    const check = await citizen.get(`${PARKING}/check-answers`);
    for (const text of ['ab12 cde', 'Toyota', 'Cotswold Accountants LLP', 'council-tax-bill.pdf'])
      expect(check.html, text).toContain(text);
    const declaration = await citizen.get(`${PARKING}/declaration`);
    expect(declaration.html).toContain('I live at the address I have given');
    const draftId = hiddenValue(declaration.html, 'draftId');
    const disagreed = await citizen.post(`${PARKING}/submit`, { actingFor: '', draftId });
    expect(disagreed.status).toBe(400);
    const sent = await citizen.post(`${PARKING}/submit`, { actingFor: '', draftId, agree: 'yes' });
    expect(sent.headers.get('location')).toMatch(
      /^\/applications\/JU-[A-Z0-9]{4}-[A-Z0-9]{4}\/confirmation$/,
    );
    // The form's "what happens next" is on the confirmation, in the reader's language.
    const confirmation = await citizen.get(sent.headers.get('location')!);
    expect(confirmation.html).toContain(
      'We will check your proof of address within 5 working days',
    );
    const welsh = await citizen.get(`${sent.headers.get('location')!}?lang=cy`);
    expect(welsh.html).toContain('Byddwn yn gwirio’ch prawf o gyfeiriad');

    const submission = (await findSubmissionByDraftId(db(), draftId))!;
    const service = (await findPublishedService(
      db(),
      'residents-parking-permit-gloucestershire',
      'en',
    ))!;
    expect(service.organisation.slug).toBe('gloucestershire');
    expect(submission.organisation_id).toBe(service.organisation.id);
    expect(submission.form_version).toBe(1);
    expect(submission.answers.values).toEqual({
      address: {
        uprn: '900000000004',
        line1: 'Municipal Offices',
        line2: 'Promenade',
        town: 'Cheltenham',
        postcode: 'GL50 1PP',
      },
      registration: 'ab12 cde',
      make: 'Toyota',
      companyCar: 'yes',
      employer: 'Cotswold Accountants LLP',
      proofOfAddress: [
        {
          id: expect.any(String),
          name: 'council-tax-bill.pdf',
          type: 'application/pdf',
          size: PDF.length,
        },
      ],
      email: 'citizen@example.com',
      phone: '+447700900982',
    });
    // The proof went with the application, to Gloucestershire's caseworkers.
    const [proofFile] = submission.answers.values.proofOfAddress as { id: string }[];
    const files = await attachmentsByIds(db(), [proofFile!.id]);
    expect(files.map((f) => f.submissionId)).toEqual([submission.id]);
  });
});

describe('book a community hall, in Welsh', () => {
  it('asks each question in Welsh, adds equipment one item at a time, and sends the request', async () => {
    const made = await registerCitizen(db(), {
      email: 'jo.hall@example.com',
      password: 'a long and memorable password',
      displayName: 'Jo Hall',
    });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    const jo = new Visitor(app.baseUrl);
    await jo.signIn('jo.hall@example.com', 'a long and memorable password');
    await jo.get('/?lang=cy');

    const hall = await jo.get(`${HALL}/hall`);
    expect(hall.html).toContain('Pa neuadd ydych chi eisiau ei harchebu?');
    expect(hall.html).toContain('Neuadd Gymunedol Ebley (hyd at 60 o bobl)');
    const noHall = await jo.post(`${HALL}/hall`, { actingFor: '', hall: '' });
    expect(noHall.status).toBe(400);
    expect(noHall.html).toContain('Dewiswch y neuadd rydych eisiau ei harchebu');
    await jo.post(`${HALL}/hall`, { actingFor: '', hall: 'stratford-park' });

    const today = await answer(jo, `${HALL}/date`, dateFields('bookingDate', 0));
    expect(today.status).toBe(400);
    expect(today.html).toContain('Rhaid i ddyddiad yr archeb fod yn y dyfodol');
    await answer(jo, `${HALL}/date`, dateFields('bookingDate', 30));
    const time = await answer(jo, `${HALL}/time`, { startTime: '1800', duration: '3' });
    expect(time.headers.get('location')).toBe(`${HALL}/purpose`);
    await answer(jo, `${HALL}/purpose`, { purpose: 'Cyfarfod blynyddol y gymdeithas hanes.' });
    const crowd = await answer(jo, `${HALL}/people`, { people: '151' });
    expect(crowd.status).toBe(400);
    expect(crowd.html).toContain('Mae lle i 150 o bobl yn ein neuadd fwyaf');
    const people = await answer(jo, `${HALL}/people`, { people: '45' });
    expect(people.headers.get('location')).toBe(`${HALL}/equipment`);

    // "Add another": the equipment, one item at a time.
    const list = await jo.get(`${HALL}/equipment`);
    expect(list.html).toContain('Oes angen i chi ychwanegu un?');
    const add = await jo.post(`${HALL}/equipment`, { actingFor: '', addAnother: 'yes' });
    expect(add.headers.get('location')).toBe(`${HALL}/equipment/item/1`);
    await answer(jo, `${HALL}/equipment/item/1`, { item: 'projector', quantity: '1' });
    await jo.get(`${HALL}/equipment`);
    await jo.post(`${HALL}/equipment`, { actingFor: '', addAnother: 'yes' });
    await answer(jo, `${HALL}/equipment/item/2`, { item: 'extra-chairs', quantity: '20' });
    const two = await jo.get(`${HALL}/equipment`);
    expect(two.html).toContain('Offer 2');
    expect(two.html).toContain('Cadeiriau ychwanegol');
    const done = await jo.post(`${HALL}/equipment`, { actingFor: '', addAnother: 'no' });
    expect(done.headers.get('location')).toBe(`${HALL}/contact`);

    const contact = await jo.get(`${HALL}/contact`);
    expect(contact.html).toContain('value="Jo Hall"');
    expect(contact.html).toContain('value="jo.hall@example.com"');
    await jo.post(`${HALL}/contact`, {
      actingFor: '',
      name: 'Jo Hall',
      organisation: 'Cymdeithas Hanes Stroud',
      email: 'jo.hall@example.com',
      phone: '01453 766321',
    });
    const check = await jo.get(`${HALL}/check-answers`);
    expect(check.html).toContain('Pafiliwn Parc Stratford (hyd at 80 o bobl)');
    const declaration = await jo.get(`${HALL}/declaration`);
    expect(declaration.html).toContain('Rwy’n 18 oed neu’n hŷn.');
    const draftId = hiddenValue(declaration.html, 'draftId');
    const sent = await jo.post(`${HALL}/submit`, { actingFor: '', draftId, agree: 'yes' });
    expect(sent.status).toBe(303);

    const submission = (await findSubmissionByDraftId(db(), draftId))!;
    expect(submission.answers.values).toEqual({
      hall: 'stratford-park',
      bookingDate: isoDate(30),
      startTime: '1800',
      duration: '3',
      purpose: 'Cyfarfod blynyddol y gymdeithas hanes.',
      people: '45',
      equipment: [
        { item: 'projector', quantity: '1' },
        { item: 'extra-chairs', quantity: '20' },
      ],
      name: 'Jo Hall',
      organisation: 'Cymdeithas Hanes Stroud',
      email: 'jo.hall@example.com',
      phone: '+441453766321',
    });
  });
});

describe('apply for a small business grant', () => {
  it('is not open without an account, and sends a password-only session to step up first', async () => {
    expect((await new Visitor(app.baseUrl).get(GRANT)).headers.get('location')).toMatch(
      /^\/sign-in/,
    );
    const made = await registerCitizen(db(), {
      email: 'baker@example.com',
      password: 'a long and memorable password',
      displayName: 'Bo Baker',
    });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    const baker = new Visitor(app.baseUrl);
    await baker.signIn('baker@example.com', 'a long and memorable password');
    expect((await baker.get(`${GRANT}/business-name`)).headers.get('location')).toBe(
      `/sign-in/second-factor?returnTo=${encodeURIComponent(`${GRANT}/business-name`)}`,
    );
  });
});
