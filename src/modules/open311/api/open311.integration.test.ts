/**
 * Open311 GeoReport v2, driven with a plain HTTP client (fetch) as the spec's examples do:
 * discovery, the services list and a definition, a form-encoded POST requests.json, GET by id and
 * by filters, the XML variants — and the bad input: unknown services, places outside every area
 * or served by nobody here, missing, unknown, revoked and wrong-scope keys, bad coordinates.
 * Runs on PGlite, and on PostgreSQL with DATABASE_URL.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { findCaseOfSubmission } from '../../casework/index.js';
import { ukToday } from '../../forms/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import {
  findSubmissionById,
  hubKeyCreate,
  recordCaseProgress,
  revokeHubKey,
} from '../../submissions/index.js';
import { apiKeyCreate } from '../commands/cli.js';

let app: TestApp;
const db = () => app.platform.database.db;
let key: string;
let revokedKey: string;
let submitKey: string;

const EBLEY_MILL = { lat: '51.733388', long: '-2.215615' }; // GL5 4UB, Stroud, Gloucestershire

beforeAll(async () => {
  app = await startTestApp();
  const made = await apiKeyCreate(db(), ['--org', 'E07000082', '--scope', 'open311']);
  expect(made.code).toBe(0);
  key = made.out[0]!;
  const other = await apiKeyCreate(db(), [
    '--org',
    'stroud',
    '--scope',
    'open311',
    '--name',
    'Old app',
  ]);
  revokedKey = other.out[0]!;
  const hex = revokedKey.split('.')[1]!;
  const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const stroud = (await findOrganisationBySlug(db(), 'stroud'))!;
  expect(
    await revokeHubKey(
      db(),
      { organisationId: stroud.id, keyId },
      { userId: null, organisationId: stroud.id, role: 'test' },
    ),
  ).toBe(true);
  submitKey = (await hubKeyCreate(db(), ['--org', 'stroud', '--scope', 'submit'])).out[0]!;
});
afterAll(async () => {
  await app?.close();
});

const url = (path: string) => `${app.baseUrl}/open311/v2/${path}`;

async function getJson(path: string): Promise<{ status: number; body: unknown; type: string }> {
  const response = await fetch(url(path));
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.json(),
  };
}

async function getXml(path: string): Promise<{ status: number; text: string; type: string }> {
  const response = await fetch(url(path));
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** POST requests.{format}, form-encoded as the spec's example (`attribute[code]=value`). */
async function post(
  fields: Record<string, string | string[]>,
  format: 'json' | 'xml' = 'json',
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const v of [value].flat()) body.append(name, v);
  return fetch(url(`requests.${format}`), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
}

/** Checks a document with the database's XML parser (libxml2): it throws if it is not well-formed. */
async function parsedXml(text: string, path: string): Promise<string[]> {
  const result = await sql<{ v: string }>`
    select unnest(xpath(${path}, xmlparse(document ${text}::text)))::text as v`.execute(db());
  return result.rows.map((r) => r.v);
}

/** Reports stored, and submissions made (each writes its audit entry in the same statement). */
async function counts() {
  const [requests, submissions] = await Promise.all([
    db()
      .selectFrom('open311_requests')
      .select(db().fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db()
      .selectFrom('audit_log')
      .select(db().fn.countAll<number>().as('n'))
      .where('action', '=', 'submission.created')
      .executeTakeFirstOrThrow(),
  ]);
  return { requests: Number(requests.n), submissions: Number(submissions.n) };
}

const POTHOLE = {
  service_code: 'report-a-pothole',
  ...EBLEY_MILL,
  'attribute[surface]': 'road',
  'attribute[size]': 'plate',
  'attribute[deep]': 'yes',
  description: 'Deep hole in the northbound lane; cyclists swerve round it.',
  email: 'rae.porter@example.com',
  first_name: 'Rae',
  last_name: 'Porter',
  phone: '07700 900982',
  media_url: 'https://photos.example.org/pothole-123.jpg',
};

describe('discovery and services', () => {
  it('discovery.json names the endpoint, the spec and both formats; discovery.xml says the same', async () => {
    const json = await getJson('discovery.json');
    expect(json.status).toBe(200);
    expect(json.type).toContain('application/json');
    expect(json.body).toMatchObject({
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: expect.stringMatching(/^https?:\/\/[^/]+\/open311\/v2$/),
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
    const xml = await getXml('discovery.xml');
    expect(xml.type).toContain('text/xml');
    expect(xml.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(
      await parsedXml(xml.text, '/discovery/endpoints/endpoint/formats/format/text()'),
    ).toEqual(['text/xml', 'application/json']);
  });

  it('services.json lists the reportable services from the catalogue, with their groups', async () => {
    const { status, body } = await getJson('services.json');
    expect(status).toBe(200);
    const services = body as Record<string, unknown>[];
    expect(services.map((s) => s.service_code)).toEqual([
      'report-a-missed-bin-collection',
      'report-fly-tipping',
      'report-graffiti',
      'report-an-abandoned-vehicle',
      'report-a-pothole',
      'report-a-street-light-fault',
    ]);
    expect(services.find((s) => s.service_code === 'report-a-pothole')).toMatchObject({
      service_name: 'Report a pothole',
      metadata: true,
      type: 'realtime',
      group: 'Roads, pavements and lights',
    });
    // Services nobody can report (paying Council Tax) are not Open311 services.
    expect(JSON.stringify(body)).not.toContain('council-tax');
  });

  it('services.xml is the same list as <services><service>, and ?lang=cy names them in Welsh', async () => {
    const xml = await getXml('services.xml');
    expect(await parsedXml(xml.text, '/services/service/service_code/text()')).toHaveLength(6);
    const welsh = await getXml('services.xml?lang=cy');
    expect(await parsedXml(welsh.text, '/services/service/group/text()')).toContain(
      'Ffyrdd, palmentydd a goleuadau',
    );
  });

  it('a jurisdiction_id (GSS code or slug) lists only that body’s services; an unknown one is 404', async () => {
    const county = (await getJson('services.json?jurisdiction_id=E10000013')).body as {
      service_code: string;
    }[];
    expect(county.map((s) => s.service_code)).toEqual([
      'report-a-pothole',
      'report-a-street-light-fault',
    ]);
    const cardiff = (await getJson('services.json?jurisdiction_id=cardiff')).body as {
      service_code: string;
    }[];
    expect(cardiff.map((s) => s.service_code)).toEqual(['report-an-abandoned-vehicle']);
    const unknown = await getJson('services.json?jurisdiction_id=atlantis');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual([
      { code: 404, description: expect.stringContaining('jurisdiction_id atlantis') },
    ]);
  });

  it('a service definition gives the form’s own questions as attributes, in order, with their values', async () => {
    const { status, body } = await getJson('services/report-a-missed-bin-collection.json');
    expect(status).toBe(200);
    const definition = body as { service_code: string; attributes: Record<string, unknown>[] };
    expect(definition.service_code).toBe('report-a-missed-bin-collection');
    // The address and contact questions are the request's own fields, not attributes.
    expect(definition.attributes.map((a) => [a.code, a.datatype, a.required, a.order])).toEqual([
      ['bin', 'singlevaluelist', true, 1],
      ['collectionDate', 'datetime', true, 2],
      ['binLocation', 'singlevaluelist', true, 3],
      ['binLocationOther', 'text', false, 4],
    ]);
    expect(definition.attributes[0]).toMatchObject({
      variable: true,
      description: 'Which bin was missed?',
      values: [
        { key: 'general-waste', name: 'General waste' },
        { key: 'recycling', name: 'Recycling' },
        { key: 'food', name: 'Food waste (caddy)' },
        { key: 'garden', name: 'Garden waste (brown bin)' },
      ],
    });
  });

  it('a definition in XML nests <attributes><attribute><values><value>', async () => {
    const xml = await getXml('services/report-a-pothole.xml');
    expect(xml.status).toBe(200);
    expect(
      await parsedXml(
        xml.text,
        "/service_definition/attributes/attribute[code='deep']/values/value/key/text()",
      ),
    ).toEqual(['yes', 'no']);
  });

  it('an unknown service is a 404 in the spec’s error shape, in JSON and in XML', async () => {
    const json = await getJson('services/report-a-dragon.json');
    expect(json.status).toBe(404);
    expect(json.body).toEqual([
      { code: 404, description: 'service_code report-a-dragon not found: see services.json' },
    ]);
    const xml = await getXml('services/report-a-dragon.xml');
    expect(xml.status).toBe(404);
    expect(await parsedXml(xml.text, '/errors/error/code/text()')).toEqual(['404']);
  });
});

describe('POST requests: a report becomes a submission to the body responsible for the place', () => {
  let reference: string;

  it('takes a pothole reported by latitude and longitude, for the county (not the district)', async () => {
    const response = await post({ api_key: key, ...POTHOLE });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>[];
    expect(body).toEqual([
      {
        service_request_id: expect.stringMatching(/^JU-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
        service_notice: expect.stringContaining('We will inspect it within 5 working days'),
        account_id: null,
      },
    ]);
    reference = body[0]!.service_request_id as string;

    const row = await db()
      .selectFrom('open311_requests')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      service_code: 'report-a-pothole',
      channel: 'open311',
      postcode: 'GL5 4UB',
      district_gss: 'E07000082',
      latitude: 51.733388,
      longitude: -2.215615,
      media_url: 'https://photos.example.org/pothole-123.jpg',
    });
    const submission = (await findSubmissionById(db(), row.submission_id))!;
    const county = (await findOrganisationBySlug(db(), 'gloucestershire'))!;
    expect(submission).toMatchObject({
      organisation_id: county.id,
      channel: 'open311',
      applicant_user_id: null,
      applicant: { name: 'Rae Porter', email: 'rae.porter@example.com', phone: '+447700900982' },
    });
    expect(submission.answers.values).toMatchObject({
      surface: 'road',
      size: 'plate',
      deep: 'yes',
      description: 'Deep hole in the northbound lane; cyclists swerve round it.',
      email: 'rae.porter@example.com',
      location: expect.stringContaining('GL5 4UB (51.73339, -2.21562)'),
    });
    expect(submission.answers.summary.en).toContainEqual({
      question: 'Photo or video',
      answer: 'https://photos.example.org/pothole-123.jpg',
    });
    // The key that sent it is recorded, and the audit entry says it came through Open311.
    expect(submission.submitted_by_key_id).toBe(row.key_id);
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'submission.created')
      .where('resource_id', '=', submission.id)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_role: 'open311-key' });
    expect(audit.details).toMatchObject({ channel: 'open311', serviceCode: 'report-a-pothole' });
  });

  it('reaches the county’s casework, where it is a case with the same reference', async () => {
    await app.platform.worker.drain();
    const row = await db()
      .selectFrom('open311_requests')
      .select('submission_id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    const opened = await findCaseOfSubmission(db(), row.submission_id);
    expect(opened?.reference).toBe(reference);
    expect((await findSubmissionById(db(), row.submission_id))!.status).toBe('received');
  });

  it('GET requests/{id}.json tells anyone its status, body, place and times, and nothing personal', async () => {
    const response = await fetch(url(`requests/${reference}.json`));
    expect(response.status).toBe(200);
    const text = await response.text();
    const [request] = JSON.parse(text) as Record<string, unknown>[];
    expect(request).toMatchObject({
      service_request_id: reference,
      status: 'open',
      status_notes: 'Gloucestershire County Council has received the report',
      service_name: 'Report a pothole or road problem',
      service_code: 'report-a-pothole',
      agency_responsible: 'Gloucestershire County Council',
      address: 'Stroud, GL5 4UB',
      zipcode: 'GL5 4UB',
      lat: 51.733388,
      long: -2.215615,
      media_url: 'https://photos.example.org/pothole-123.jpg',
      expected_datetime: null,
    });
    expect(Date.parse(request!.requested_datetime as string)).toBeGreaterThan(Date.now() - 60_000);
    for (const personal of ['Rae', 'Porter', 'rae.porter', '7700', 'cyclists'])
      expect(text, personal).not.toContain(personal);
  });

  it('is closed once its case is decided, with the time it changed', async () => {
    const row = await db()
      .selectFrom('open311_requests')
      .select('submission_id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    const submission = (await findSubmissionById(db(), row.submission_id))!;
    await db()
      .transaction()
      .execute((trx) =>
        recordCaseProgress(
          trx,
          submission,
          { decision: 'approved', comment: 'Filled on 3 March' },
          { userId: null, organisationId: submission.organisation_id, role: 'caseworker' },
        ),
      );
    const xml = await getXml(`requests/${reference}.xml`);
    expect(await parsedXml(xml.text, '/service_requests/request/status/text()')).toEqual([
      'closed',
    ]);
    expect(await parsedXml(xml.text, '/service_requests/request/status_notes/text()')).toEqual([
      'Gloucestershire County Council has dealt with it',
    ]);
    // The caseworker's words are for the reporter, not the public.
    expect(xml.text).not.toContain('Filled on 3 March');
  });

  it('takes a missed bin by address_id (a UPRN) for the district, with the form’s date as a datetime', async () => {
    const response = await post({
      api_key: key,
      service_code: 'report-a-missed-bin-collection',
      address_id: '900000000002',
      'attribute[bin]': 'recycling',
      'attribute[collectionDate]': `${ukToday()}T07:00:00Z`,
      'attribute[binLocation]': 'kerbside',
      email: 'sam@example.com',
    });
    expect(response.status).toBe(201);
    const [created] = (await response.json()) as { service_request_id: string }[];
    const row = await db()
      .selectFrom('open311_requests')
      .selectAll()
      .where('reference', '=', created!.service_request_id)
      .executeTakeFirstOrThrow();
    // Street level only in public: never "Flat 1" or "Ebley Mill".
    expect(row.public_address).toBe('Westward Road, Ebley, Stroud, GL5 4UB');
    const submission = (await findSubmissionById(db(), row.submission_id))!;
    const stroud = (await findOrganisationBySlug(db(), 'stroud'))!;
    expect(submission.organisation_id).toBe(stroud.id);
    expect(submission.answers.values).toMatchObject({
      bin: 'recycling',
      collectionDate: ukToday(),
      address: {
        uprn: '900000000002',
        line1: 'Flat 1, Ebley Mill',
        line2: 'Westward Road, Ebley',
        town: 'Stroud',
        postcode: 'GL5 4UB',
      },
    });
  });

  it('takes graffiti by address_string, and a multi-value list as attribute[code][]', async () => {
    const graffiti = await post({
      api_key: key,
      service_code: 'report-graffiti',
      address_string: 'Municipal Offices, Promenade, Cheltenham GL50 1PP',
      'attribute[surface]': 'public',
      'attribute[offensive]': 'no',
      'attribute[size]': 'small',
    });
    expect(graffiti.status).toBe(201);
    const [created] = (await graffiti.json()) as { service_request_id: string }[];
    const [request] = (await getJson(`requests/${created!.service_request_id}.json`)).body as {
      agency_responsible: string;
      address: string;
    }[];
    expect(request).toMatchObject({
      agency_responsible: 'Cheltenham Borough Council',
      // The words the reporter wrote stay with the council; the public sees the town.
      address: 'Cheltenham, GL50 1PP',
    });
    const tipping = await post({
      api_key: key,
      service_code: 'report-fly-tipping',
      postcode: 'GL5 4UB',
      'attribute[waste][]': ['bags', 'tyres'],
      'attribute[amount]': 'van',
    });
    expect(tipping.status).toBe(201);
    const [tipped] = (await tipping.json()) as { service_request_id: string }[];
    const row = await db()
      .selectFrom('open311_requests')
      .select('submission_id')
      .where('reference', '=', tipped!.service_request_id)
      .executeTakeFirstOrThrow();
    const submission = (await findSubmissionById(db(), row.submission_id))!;
    expect(submission.answers.values).toMatchObject({ waste: ['bags', 'tyres'], amount: 'van' });
  });

  it('answers in XML when posted to requests.xml', async () => {
    const response = await post({ api_key: key, ...POTHOLE }, 'xml');
    expect(response.status).toBe(201);
    const text = await response.text();
    const ids = await parsedXml(text, '/service_requests/request/service_request_id/text()');
    expect(ids[0]).toMatch(/^JU-/);
    expect(text).toContain('<account_id/>');
  });
});

describe('GET requests: filters, and the spec’s limits', () => {
  it('lists by service_request_id, service_code and status, newest first', async () => {
    const potholes = (await getJson('requests.json?service_code=report-a-pothole')).body as {
      service_request_id: string;
      service_code: string;
      status: string;
    }[];
    expect(potholes.length).toBe(2);
    expect(potholes.every((r) => r.service_code === 'report-a-pothole')).toBe(true);
    const closed = (await getJson('requests.json?status=closed')).body as { status: string }[];
    expect(closed.map((r) => r.status)).toEqual(['closed']);
    const both = (
      await getJson(
        `requests.json?service_request_id=${potholes.map((p) => p.service_request_id).join(',')}`,
      )
    ).body as unknown[];
    expect(both).toHaveLength(2);
    const all = (await getJson('requests.json')).body as { requested_datetime: string }[];
    expect(all).toHaveLength(5);
    const times = all.map((r) => Date.parse(r.requested_datetime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('takes a window of dates, and nothing outside it', async () => {
    const old = (
      await getJson('requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-03-01T00:00:00Z')
    ).body as unknown[];
    expect(old).toEqual([]);
  });

  it('refuses a window over 90 days, a date that is not ISO 8601, and a status it does not have', async () => {
    const wide = await getJson(
      'requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z',
    );
    expect(wide.status).toBe(400);
    expect(wide.body).toEqual([
      { code: 400, description: 'start_date and end_date must be at most 90 days apart' },
    ]);
    const bad = await getJson('requests.json?start_date=yesterday&status=pending');
    expect(bad.status).toBe(400);
    expect((bad.body as { description: string }[]).map((e) => e.description)).toEqual([
      'start_date must be a date and time in ISO 8601 with a time zone, like 2026-03-27T09:00:00Z',
      'status must be open or closed (or both, separated by a comma)',
    ]);
  });

  it('an unknown request is a 404', async () => {
    const response = await getJson('requests/JU-2222-2222.json');
    expect(response.status).toBe(404);
    expect(response.body).toEqual([
      { code: 404, description: 'service_request_id JU-2222-2222 not found' },
    ]);
  });
});

describe('POST requests refuses bad input, and stores nothing', () => {
  const refused = async (
    fields: Record<string, string | string[]>,
    status: number,
    descriptions: (string | RegExp)[],
  ) => {
    const before = await counts();
    const response = await post(fields);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { code: number; description: string }[];
    expect(body.map((e) => e.code)).toEqual(descriptions.map(() => status));
    descriptions.forEach((d, i) =>
      typeof d === 'string'
        ? expect(body[i]!.description).toBe(d)
        : expect(body[i]!.description).toMatch(d),
    );
    expect(await counts()).toEqual(before);
  };

  it('an unknown service', async () => {
    await refused({ api_key: key, ...POTHOLE, service_code: 'report-a-dragon' }, 400, [
      'service_code report-a-dragon not found: see services.json',
    ]);
  });

  it('a place outside every area: at sea, or a postcode that is no place', async () => {
    await refused({ api_key: key, ...POTHOLE, lat: '50.0', long: '-10.0' }, 400, [
      'The location is outside every area we serve',
    ]);
    await refused({ api_key: key, ...POTHOLE, lat: '', long: '', postcode: 'GL5 2ZZ' }, 400, [
      'The postcode is not a live UK postcode for a place',
    ]);
  });

  it('a place whose council is not on the platform, or does not take this problem here', async () => {
    await refused(
      {
        api_key: key,
        ...POTHOLE,
        service_code: 'report-graffiti',
        lat: '',
        long: '',
        postcode: 'GL1 2TG',
        'attribute[surface]': 'public',
      },
      400,
      [/^The location is in the area of Gloucester, which does not take reports/],
    );
    await refused(
      {
        api_key: key,
        ...POTHOLE,
        service_code: 'report-graffiti',
        lat: '',
        long: '',
        postcode: 'BS1 5TR',
      },
      400,
      [
        /^Bristol City Council is responsible for the location but does not take report-graffiti reports/,
      ],
    );
  });

  it('no key, an unknown key, a revoked key, and a key of another kind are 403', async () => {
    await refused({ ...POTHOLE }, 403, ['api_key is required to create a service request']);
    await refused({ api_key: 'not-a-key', ...POTHOLE }, 403, [
      'Invalid api_key received: no key has this value',
    ]);
    await refused({ api_key: revokedKey, ...POTHOLE }, 403, [
      'This api_key has been revoked: ask for a new one',
    ]);
    await refused({ api_key: submitKey, ...POTHOLE }, 403, [
      'This api_key cannot create service requests: an open311 key is needed',
    ]);
  });

  it('bad coordinates: not numbers, out of range, or one without the other', async () => {
    const message =
      'lat and long must both be sent, as decimal degrees (WGS84): lat from -90 to 90, long from -180 to 180';
    await refused({ api_key: key, ...POTHOLE, lat: 'north', long: '-2.2' }, 400, [message]);
    await refused({ api_key: key, ...POTHOLE, lat: '91', long: '-2.2' }, 400, [message]);
    await refused({ api_key: key, ...POTHOLE, long: '' }, 400, [message]);
  });

  it('no place at all, an unknown address_id, and a media_url that is not a web address', async () => {
    await refused({ api_key: key, ...POTHOLE, lat: '', long: '' }, 400, [
      /^Say where the problem is/,
    ]);
    await refused(
      { api_key: key, ...POTHOLE, lat: '', long: '', address_id: '999999999999' },
      400,
      ['address_id not found: no address has this UPRN'],
    );
    await refused({ api_key: key, ...POTHOLE, media_url: 'javascript:alert(1)' }, 400, [
      'media_url must be an http or https address',
    ]);
  });

  it('attributes the service does not have, and every answer the form refuses at once', async () => {
    await refused({ api_key: key, ...POTHOLE, 'attribute[colour]': 'grey' }, 400, [
      'attribute[colour] is not an attribute of this service: see its service definition',
    ]);
    await refused(
      {
        api_key: key,
        ...POTHOLE,
        'attribute[surface]': 'sky',
        'attribute[deep]': '',
        email: 'not-an-email',
      },
      400,
      [
        'attribute[surface]: Select where the pothole is',
        'attribute[deep]: Select yes if the pothole is deeper than 4 centimetres',
        'email: Enter an email address in the correct format, like name@example.com',
      ],
    );
    // The missed-bin form needs the address of the bin: coordinates alone are not enough.
    await refused(
      {
        api_key: key,
        service_code: 'report-a-missed-bin-collection',
        ...EBLEY_MILL,
        'attribute[bin]': 'food',
        'attribute[collectionDate]': ukToday(),
        'attribute[binLocation]': 'kerbside',
        email: 'sam@example.com',
      },
      400,
      [
        'address_string or address_id: this service needs the address, like ‘12 High Street, Stroud, GL5 1AA’',
      ],
    );
  });

  it('an open311 key cannot use the submission hub’s API (its scope is Open311 only)', async () => {
    const response = await fetch(
      `${app.baseUrl}/api/v1/services/report-a-pothole-gloucestershire/submissions`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': 'k-1',
        },
        body: JSON.stringify({ answers: {} }),
      },
    );
    expect(response.status).toBe(403);
  });
});

describe('joinedup api-key:create', () => {
  it('prints an open311 key once; refuses another scope and an unknown body', async () => {
    const made = await apiKeyCreate(db(), ['--org', 'cardiff', '--scope', 'open311']);
    expect(made.out[0]).toMatch(/^juhub\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
    expect(made.err.join(' ')).toContain('shown only now');
    expect((await apiKeyCreate(db(), ['--org', 'cardiff', '--scope', 'submit'])).code).toBe(64);
    expect((await apiKeyCreate(db(), ['--org', 'atlantis', '--scope', 'open311'])).code).toBe(1);
    expect((await apiKeyCreate(db(), ['--scope', 'open311'])).code).toBe(64);
  });
});

describe('a body’s admin pages at /admin/hub', () => {
  it('offer the open311 scope, and the key made there sends reports', async () => {
    const admin = new Visitor(app.baseUrl);
    await admin.signIn('admin@cabinet-office.example.gov.uk', 'demo-platform-admin');
    const form = await admin.get('/admin/hub/stroud/keys/new');
    expect(form.html).toContain('Send reports of local problems (Open311)');
    const created = await admin.post('/admin/hub/stroud/keys', {
      name: 'Street app',
      scope: 'open311',
    });
    expect(created.status).toBe(201);
    const made = /<code id="api-key"[^>]*>([^<]+)<\/code>/.exec(created.html)![1]!;
    const response = await post({ api_key: made, ...POTHOLE });
    expect(response.status).toBe(201);
  });
});
