import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { verifyOnline } from '../identity/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { IDENTITY_REGISTER_HOLDER, loadRegister, type RegisterPerson } from '../registers/index.js';
import { hubKeyCreate } from '../submissions/index.js';
import { vatCheckDigits } from './validation/identifiers.js';

let app: TestApp;
const db = () => app.platform.database.db;
const keys = {} as Record<'stroud' | 'cheltenham' | 'stroudSubmit', string>;
const ids = {} as Record<string, string>;

/** People in DWP's register, each proving their identity online with these facts. */
const PEOPLE = {
  ann: { nino: 'AB123456C', givenName: 'Ann', familyName: 'Ashby', dateOfBirth: '1970-01-02' },
  bob: { nino: 'CE234567D', givenName: 'Bob', familyName: 'Brook', dateOfBirth: '1961-03-04' },
  cara: { nino: 'HJ345678A', givenName: 'Cara', familyName: 'Cole', dateOfBirth: '1990-05-06' },
  dan: { nino: 'KL456789B', givenName: 'Dan', familyName: 'Dyer', dateOfBirth: '1982-07-08' },
} as const;
type Who = keyof typeof PEOPLE;
const POSTCODE = 'GL5 4UB';
const people = {} as Record<Who, { visitor: Visitor; userId: string }>;

const registerPerson = (who: Who): RegisterPerson => ({
  ...PEOPLE[who],
  postcode: POSTCODE,
  addressLine1: '1 High Street',
  addressLine2: null,
  town: 'Stroud',
});

/** What a body tells about a person: their facts as the body holds them. */
const told = (who: Who, more: Record<string, string> = {}) => ({
  givenName: PEOPLE[who].givenName.toUpperCase(),
  familyName: PEOPLE[who].familyName,
  dateOfBirth: PEOPLE[who].dateOfBirth,
  postcode: 'gl54ub',
  nationalInsuranceNumber: PEOPLE[who].nino.replace(/(..)(..)(..)(..)(.)/, '$1 $2 $3 $4 $5'),
  ...more,
});

async function api(method: string, path: string, key: string | undefined, body?: unknown) {
  const response = await fetch(app.baseUrl + path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

async function key(org: string, scope: string): Promise<string> {
  const created = await hubKeyCreate(db(), ['--org', org, '--scope', scope]);
  expect(created.code).toBe(0);
  return created.out[0]!;
}

async function staff(email: string, password: string): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

beforeAll(async () => {
  app = await startTestApp();
  for (const slug of ['stroud', 'cheltenham', IDENTITY_REGISTER_HOLDER])
    ids[slug] = (await findOrganisationBySlug(db(), slug))!.id;
  await loadRegister(db(), ids[IDENTITY_REGISTER_HOLDER]!, [
    registerPerson('ann'),
    registerPerson('bob'),
    registerPerson('cara'),
  ]);
  for (const who of Object.keys(PEOPLE) as Who[]) {
    const citizen = await aSignedInCitizen(app);
    people[who] = citizen;
    if (who === 'dan') continue;
    const verified = await db()
      .transaction()
      .execute((trx) =>
        verifyOnline(
          trx,
          { userId: citizen.userId, organisationId: null, role: 'citizen' },
          citizen.userId,
          { ...PEOPLE[who], postcode: POSTCODE },
        ),
      );
    expect(verified.outcome).toBe('matched');
  }
  // Dan proved his identity at a counter: the register does not know him.
  await db()
    .transaction()
    .execute(async (trx) => {
      await loadRegister(trx, ids[IDENTITY_REGISTER_HOLDER]!, [registerPerson('dan')]);
      await verifyOnline(
        trx,
        { userId: people.dan.userId, organisationId: null, role: 'citizen' },
        people.dan.userId,
        { ...PEOPLE.dan, postcode: POSTCODE },
      );
      await trx.deleteFrom('register_people').where('nino', '=', PEOPLE.dan.nino).execute();
    });
  keys.stroud = await key('stroud', 'receive');
  keys.cheltenham = await key('cheltenham', 'receive');
  keys.stroudSubmit = await key('stroud', 'submit');
});
afterAll(async () => {
  await app?.close();
});

describe('registering references through the API', () => {
  it('refuses a National Insurance number or VAT number that fails its checks, naming the field and the reason', async () => {
    const badNino = await api('POST', '/api/v1/references/people', keys.stroud, {
      reference: 'CT-BAD',
      ...told('ann', { nationalInsuranceNumber: 'GB123456A' }),
    });
    expect(badNino.status).toBe(400);
    expect(badNino.json.errors).toEqual([
      expect.objectContaining({ field: 'nationalInsuranceNumber', reason: 'prefix' }),
    ]);
    const seven = '1234567';
    const good = seven + vatCheckDigits(seven, '9755');
    const wrong = good.slice(0, 8) + String((Number(good[8]) + 1) % 10);
    const badVat = await api('POST', '/api/v1/references/businesses', keys.stroud, {
      reference: 'BR-BAD',
      vatNumber: `GB${wrong}`,
    });
    expect(badVat.status).toBe(400);
    expect(badVat.json.errors).toEqual([
      expect.objectContaining({ field: 'vatNumber', reason: 'check-digit' }),
    ]);
    expect(
      await db()
        .selectFrom('reference_records')
        .select('id')
        .where('reference', 'in', ['CT-BAD', 'BR-BAD'])
        .execute(),
    ).toEqual([]);
  });

  it('needs the body’s receive key', async () => {
    expect(
      (await api('POST', '/api/v1/references/people', undefined, { reference: 'X' })).status,
    ).toBe(401);
    expect(
      (
        await api('POST', '/api/v1/references/people', keys.stroudSubmit, {
          reference: 'X',
          ...told('ann'),
        })
      ).status,
    ).toBe(403);
  });

  it('links a reference whose facts match a proved identity exactly, confirming the number with the register, and gives the body its pseudonym', async () => {
    const linked = await api('POST', '/api/v1/references/people', keys.stroud, {
      reference: 'CT-1001',
      ...told('ann', { uprn: '900000000002' }),
    });
    expect(linked.status).toBe(200);
    expect(linked.json).toMatchObject({
      status: 'linked',
      linkedBy: 'known-facts',
      queueReason: null,
      created: true,
    });
    expect(linked.json.pseudonym).toMatch(/^jp_/);
    const set = await db()
      .selectFrom('reference_identity_sets')
      .selectAll()
      .where('user_id', '=', people.ann.userId)
      .executeTakeFirstOrThrow();
    expect(set).toMatchObject({
      nino: 'AB123456C',
      nino_confirmed_by: 'register',
      uprn: '900000000002',
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_organisation_id', 'subject_user_id'])
      .where('resource_id', '=', linked.json.id)
      .execute();
    expect(audit).toEqual([
      {
        action: 'references.record.linked',
        actor_organisation_id: ids.stroud,
        subject_user_id: people.ann.userId,
      },
    ]);
    // Again: nothing new.
    const again = await api('POST', '/api/v1/references/people', keys.stroud, {
      reference: 'CT-1001',
      ...told('ann'),
    });
    expect(again.json).toMatchObject({
      id: linked.json.id,
      created: false,
      pseudonym: linked.json.pseudonym,
    });
  });

  it('queues a partial match (a different postcode) with the account it partly matched, linking nobody', async () => {
    const partial = await api('POST', '/api/v1/references/people', keys.stroud, {
      reference: 'CT-2002',
      ...told('bob', { postcode: 'GL1 1AA' }),
    });
    expect(partial.json).toMatchObject({
      status: 'queued',
      queueReason: 'partial-match',
      pseudonym: null,
    });
    const row = await db()
      .selectFrom('reference_records')
      .selectAll()
      .where('id', '=', partial.json.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: null, candidate_user_id: people.bob.userId });
  });

  it('keeps unmatched a reference whose facts match no account', async () => {
    const none = await api('POST', '/api/v1/references/people', keys.stroud, {
      reference: 'CT-3003',
      givenName: 'Nobody',
      familyName: 'Known',
      dateOfBirth: '1950-01-01',
      postcode: 'GL5 4UB',
      nationalInsuranceNumber: 'JK000001A',
    });
    expect(none.json).toMatchObject({ status: 'unmatched', queueReason: null });
  });

  it('queues the same body’s reference registered for a second person, keeping the first link', async () => {
    const conflict = await api('POST', '/api/v1/references/people', keys.stroud, {
      reference: 'CT-1001',
      ...told('cara'),
    });
    expect(conflict.json).toMatchObject({
      status: 'queued',
      queueReason: 'reference-conflict',
      created: true,
    });
    const links = await db()
      .selectFrom('reference_records')
      .select(['status', 'user_id'])
      .where('reference', '=', 'CT-1001')
      .where('status', '=', 'linked')
      .execute();
    expect(links).toEqual([{ status: 'linked', user_id: people.ann.userId }]);
  });

  it('queues a National Insurance number another body registers for a different person', async () => {
    // Cheltenham's record has Dan's name, birth date and postcode but Ann's number.
    const claimed = await api('POST', '/api/v1/references/people', keys.cheltenham, {
      reference: 'CBC-77',
      ...told('dan', { nationalInsuranceNumber: PEOPLE.ann.nino }),
    });
    expect(claimed.json).toMatchObject({ status: 'queued', queueReason: 'claimed-elsewhere' });
    // Dan is unknown to the register: his own number cannot be confirmed at once.
    const unconfirmed = await api('POST', '/api/v1/references/people', keys.cheltenham, {
      reference: 'CBC-78',
      ...told('dan'),
    });
    expect(unconfirmed.json).toMatchObject({ status: 'queued', queueReason: 'nino-unconfirmed' });
  });
});

describe('each body’s pseudonymous identifier', () => {
  it('differs between bodies, gives the identity set only to the body it belongs to, and every look-up is in the person’s access log', async () => {
    const stroud = await api('POST', '/api/v1/references/people', keys.stroud, {
      reference: 'CT-1001',
      ...told('ann'),
    });
    const cheltenham = await api('POST', '/api/v1/references/people', keys.cheltenham, {
      reference: 'CBC-1',
      ...told('ann'),
    });
    expect(cheltenham.json.status).toBe('linked');
    expect(cheltenham.json.pseudonym).not.toBe(stroud.json.pseudonym);
    expect(JSON.stringify(cheltenham.json)).not.toContain('CT-1001');

    const own = await api('GET', `/api/v1/references/people/${stroud.json.pseudonym}`, keys.stroud);
    expect(own.status).toBe(200);
    expect(own.json).toEqual({
      pseudonym: stroud.json.pseudonym,
      givenName: 'Ann',
      familyName: 'Ashby',
      dateOfBirth: '1970-01-02',
      address: {
        lines: ['1 High Street'],
        town: 'Stroud',
        postcode: 'GL5 4UB',
        uprn: '900000000002',
      },
      nationalInsuranceNumber: 'AB123456C',
    });
    const other = await api(
      'GET',
      `/api/v1/references/people/${stroud.json.pseudonym}`,
      keys.cheltenham,
    );
    expect(other.status).toBe(404);
    const byReference = await api(
      'GET',
      '/api/v1/references/people/by-reference/CBC-1',
      keys.cheltenham,
    );
    expect(byReference.json).toMatchObject({
      status: 'linked',
      pseudonym: cheltenham.json.pseudonym,
    });

    const reads = await db()
      .selectFrom('audit_log')
      .select(['actor_organisation_id'])
      .where('action', '=', 'references.identity.viewed')
      .where('subject_user_id', '=', people.ann.userId)
      .execute();
    expect(reads).toEqual([{ actor_organisation_id: ids.stroud }]);
  });
});

describe('the staff pages and the resolution queue', () => {
  it('lets the body’s caseworker link a queued record after a staff check with a reason, audited', async () => {
    const caseworker = await staff('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
    const queue = await caseworker.get('/staff/references');
    expect(queue.status).toBe(200);
    expect(queue.html).toContain('CT-2002');
    const record = await db()
      .selectFrom('reference_records')
      .select('id')
      .where('reference', '=', 'CT-2002')
      .executeTakeFirstOrThrow();
    const page = await caseworker.get(`/staff/references/${record.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Brook');
    const noReason = await caseworker.post(`/staff/references/${record.id}/link`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('Enter the reason for your decision');
    await caseworker.get(`/staff/references/${record.id}`);
    const linked = await caseworker.post(`/staff/references/${record.id}/link`, {
      reason: 'Rang Mr Brook: he moved from GL1 1AA in March',
    });
    expect(linked.status).toBe(303);
    const row = await db()
      .selectFrom('reference_records')
      .selectAll()
      .where('id', '=', record.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'linked',
      user_id: people.bob.userId,
      link_method: 'staff-check',
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('resource_id', '=', record.id)
      .where('action', '=', 'references.record.linked')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({
      method: 'staff-check',
      reason: 'Rang Mr Brook: he moved from GL1 1AA in March',
    });
  });

  it('lets staff reject a record with a reason, and refuses bad facts on the register page with the field', async () => {
    const caseworker = await staff('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
    const record = await db()
      .selectFrom('reference_records')
      .select('id')
      .where('reference', '=', 'CT-1001')
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    await caseworker.get(`/staff/references/${record.id}`);
    const rejected = await caseworker.post(`/staff/references/${record.id}/reject`, {
      reason: 'CT-1001 is Ms Ashby’s account; Ms Cole’s is CT-1002',
    });
    expect(rejected.status).toBe(303);
    await caseworker.get('/staff/references/new?subject=person');
    const bad = await caseworker.post('/staff/references/new', {
      subject: 'person',
      reference: 'CT-9',
      ...told('cara', { nationalInsuranceNumber: 'QQ 12 34 56 E' }),
      nino: 'QQ 12 34 56 E',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#nino"');
  });

  it('gives staff of another body 404 for a record, and sends them to their own queue', async () => {
    const record = await db()
      .selectFrom('reference_records')
      .select('id')
      .where('reference', '=', 'CT-2002')
      .executeTakeFirstOrThrow();
    const other = await staff('caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker');
    expect((await other.get(`/staff/references/${record.id}`)).status).toBe(404);
    const theirs = await other.get('/staff/references?status=linked');
    expect(theirs.html).toContain('CBC-1');
    expect(theirs.html).not.toContain('CT-1001');
    const rejecting = await other.post(
      `/staff/references/${record.id}/reject`,
      { reason: 'not ours' },
      'x',
    );
    expect([403, 404]).toContain(rejecting.status);
  });

  it('lets the person a partial match is about confirm it themselves', async () => {
    const registered = await api('POST', '/api/v1/references/people', keys.stroud, {
      reference: 'CT-4004',
      ...told('cara', { postcode: 'GL1 1AA' }),
    });
    expect(registered.json.queueReason).toBe('partial-match');
    const page = await people.cara.visitor.get('/account/references');
    expect(page.html).toContain('Stroud District Council');
    const confirmed = await people.cara.visitor.post(
      `/account/references/${registered.json.id}/confirm`,
      {},
    );
    expect(confirmed.status).toBe(303);
    const after = await api('GET', '/api/v1/references/people/by-reference/CT-4004', keys.stroud);
    expect(after.json).toMatchObject({ status: 'linked', linkedBy: 'person-confirmed' });
    // Somebody else cannot confirm (or even see) it.
    expect(
      (await people.bob.visitor.post(`/account/references/${registered.json.id}/decline`, {}))
        .status,
    ).toBe(404);
  });
});

describe('My data', () => {
  it('shows the person every body that holds a link to them, and each body’s look-up in the access log', async () => {
    const page = await people.ann.visitor.get('/account/my-data');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Bodies linked to your account');
    expect(page.html).toContain('Stroud District Council');
    expect(page.html).toContain('Cheltenham Borough Council');
    expect(page.html).toContain(
      'Looked up your name, date of birth, address and National Insurance number',
    );
    const json = await people.ann.visitor.get('/account/my-data.json');
    const data = JSON.parse(json.html);
    expect(JSON.stringify(data)).toContain('known-facts');
    expect(JSON.stringify(data)).not.toContain('CT-1001');
  });
});

describe('business references', () => {
  it('links a business reference by a number its administrator added, shown to its members; another person gets 404', async () => {
    const owner = await aSignedInCitizen(app);
    await owner.visitor.get('/business/new');
    const made = await owner.visitor.post('/business/new', {
      name: 'Ebley Bakery Ltd',
      type: 'business',
      companiesHouseNumber: '',
      charityNumber: '',
    });
    const businessId = /\/business\/([0-9a-f-]{36})$/.exec(made.headers.get('location') ?? '')?.[1];
    expect(businessId).toBeDefined();
    const page = `/account/business-numbers/${businessId}`;
    await owner.visitor.get(page);
    const wrong = await owner.visitor.post(page, { scheme: 'vat', number: 'GB 999 9999 74' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('href="#number"');
    await owner.visitor.get(page);
    expect(
      (await owner.visitor.post(page, { scheme: 'vat', number: 'GB 999 9999 73' })).status,
    ).toBe(303);
    await owner.visitor.get(page);
    expect(
      (await owner.visitor.post(page, { scheme: 'companies-house', number: '4567890' })).status,
    ).toBe(303);

    const registered = await api('POST', '/api/v1/references/businesses', keys.stroud, {
      reference: 'NNDR-55',
      companyNumber: '04567890',
      vatNumber: '999999973',
    });
    expect(registered.json).toMatchObject({
      status: 'linked',
      linkedBy: 'known-facts',
      pseudonym: null,
    });
    const disagreeing = await api('POST', '/api/v1/references/businesses', keys.cheltenham, {
      reference: 'LIC-9',
      companyNumber: '04567890',
      vatNumber: `1234567${vatCheckDigits('1234567', 'mod97')}`,
    });
    expect(disagreeing.json).toMatchObject({ status: 'queued', queueReason: 'partial-match' });

    const shown = await owner.visitor.get(page);
    expect(shown.html).toContain('Stroud District Council');
    expect(shown.html).toContain('04567890');
    expect((await people.bob.visitor.get(page)).status).toBe(404);
  });
});
