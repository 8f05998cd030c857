import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../../test/helpers/app.js';
import { DEMO_SERVICES } from '../../demo/services.js';
import { hsdsId } from './ids.js';
import { VOCABULARIES } from './taxonomies.js';

const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema');
const schemaId = (name: string) => `urn:joinedup:hsds-3.0:${name}`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Ajv for draft 2020-12 with formats (uuid, uri, date, date-time, email) and all our schemas. */
function schemaValidator() {
  // Strict: an unknown keyword or format in our schemas is an error, not silently ignored.
  // (strictRequired is off so service_nested may require what service.json defines.)
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  (formats as unknown as { default: (ajv: Ajv2020) => void }).default(ajv);
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')))
    ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as object);
  return (name: string, value: unknown): string[] => {
    const validate = ajv.getSchema(schemaId(name));
    if (!validate) throw new Error(`No schema ${name}`);
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  };
}

describe('the directory as Open Referral HSDS 3.0', () => {
  let app: TestApp;
  let problems: ReturnType<typeof schemaValidator>;
  /** BASE_URL, which links in the records start with (not the test server's own address). */
  let publicUrl: string;
  const expectValid = (name: string, value: unknown) => expect(problems(name, value)).toEqual([]);

  async function get(url: string, headers: Record<string, string> = {}) {
    const response = await fetch(app.baseUrl + url, { headers });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Json,
    };
  }

  /** Every record of a list endpoint, page by page, each page checked against the envelope. */
  async function everyRecord(url: string): Promise<Json[]> {
    const records: Json[] = [];
    for (let page = 1; ; page++) {
      const { status, body } = await get(
        `${url}${url.includes('?') ? '&' : '?'}per_page=100&page=${page}`,
      );
      expect(status).toBe(200);
      expectValid('page', body);
      records.push(...(body.contents as Json[]));
      if (body.last_page) return records;
    }
  }

  async function errorOf(url: string): Promise<{ status: number; message: string }> {
    const { status, body } = await get(url);
    return { status, message: String(body.errors?.[0]?.message ?? '') };
  }

  beforeAll(async () => {
    app = await startTestApp();
    problems = schemaValidator();
    publicUrl = (await get('/api/hsds/')).body.publisher.website as string;
  }, 60_000);
  afterAll(async () => app?.close());

  it('says which HSDS version it follows, its profile and where its API document is', async () => {
    for (const url of ['/api/hsds/', '/api/hsds']) {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      expectValid('api_meta', body);
      expect(body.version).toBe('3.0');
      expect(body.openapi_url).toBe(`${publicUrl}/api/openapi.json`);
    }
    const { body: openapi } = await get('/api/openapi.json');
    const paths = openapi.paths as Json;
    for (const endpoint of [
      '/api/hsds/services',
      '/api/hsds/services/{id}',
      '/api/hsds/organizations',
      '/api/hsds/taxonomies',
      '/api/hsds/taxonomy_terms',
      '/api/hsds/service_at_locations',
    ])
      expect(paths[endpoint]?.get?.tags, endpoint).toEqual(['Open data (HSDS)']);
  });

  it('publishes every demo service, fully nested, as the schema says', async () => {
    const listed = await everyRecord('/api/hsds/services');
    for (const service of listed) expectValid('service', service);
    const urls = new Set(listed.map((s) => s.url));
    for (const demo of DEMO_SERVICES)
      expect(urls, demo.slug).toContain(`${publicUrl}/services/${demo.slug}`);

    for (const { id } of listed) {
      for (const lang of ['en', 'cy']) {
        const { status, body } = await get(`/api/hsds/services/${id}?lang=${lang}`);
        expect(status).toBe(200);
        expect(problems('service_nested', body), `${body.name} (${lang})`).toEqual([]);
        expect(body.service_at_locations.length, body.name).toBeGreaterThan(0);
        expect(body.attributes.length, body.name).toBeGreaterThan(0);
        const ids = [
          body.id,
          ...['phones', 'schedules', 'service_areas', 'service_at_locations', 'languages']
            .flatMap((list) => body[list] as Json[])
            .map((r) => r.id),
        ];
        expect(new Set(ids).size, body.name).toBe(ids.length);
      }
    }
  }, 120_000);

  it('the schemas reject records that break them, so passing them means something', async () => {
    const [first] = (await get('/api/hsds/services?per_page=1')).body.contents as Json[];
    const { body: service } = await get(`/api/hsds/services/${first!.id}`);
    expectValid('service_nested', service);
    const broken: [string, (s: Json) => void][] = [
      ['no name', (s) => delete s.name],
      ['a status HSDS does not have', (s) => (s.status = 'open')],
      ['an id that is not a UUID', (s) => (s.id = 'pay-council-tax')],
      ['a field HSDS 3.0 does not have', (s) => (s.physical_addresses = [])],
      ['an organization without a description', (s) => delete s.organization.description],
      [
        'a location of no known type',
        (s) => (s.service_at_locations[0].location.location_type = 'office'),
      ],
      ['a phone without a number', (s) => s.phones.push({ id: hsdsId('test', 'phone') })],
      [
        'a cost in no currency code',
        (s) => s.cost_options.push({ id: hsdsId('test', 'cost'), currency: 'pounds' }),
      ],
      ['no nested lists', (s) => delete s.service_at_locations],
    ];
    for (const [what, breakIt] of broken) {
      const copy = structuredClone(service);
      breakIt(copy);
      expect(problems('service_nested', copy), what).not.toEqual([]);
    }
    expect(problems('page', { total_items: 1, contents: [] })).not.toEqual([]);
  });

  it('describes a council’s service faithfully: Council Tax in Stroud', async () => {
    const stroud = (await everyRecord('/api/hsds/organizations')).find(
      (o) => o.name === 'Stroud District Council',
    )!;
    expectValid('organization', stroud);
    const services = await everyRecord(`/api/hsds/services?organization_id=${stroud.id}`);
    const demo = DEMO_SERVICES.find(
      (s) => s.organisation === 'stroud' && s.serviceKey === 'pay-council-tax',
    )!;
    const summary = services.find((s) => s.url.endsWith(`/services/${demo.slug}`))!;
    const { body: service, headers } = await get(`/api/hsds/services/${summary.id}`);
    expect(headers.get('content-language')).toBe('en');

    expect(service.name).toBe(demo.title);
    expect(service.organization).toMatchObject({ id: stroud.id, name: 'Stroud District Council' });
    expect(service.organization.organization_identifiers[0]).toMatchObject({
      identifier_type: 'ONS GSS code',
      identifier: 'E07000082',
    });
    expect(service.status).toBe('active');
    expect(service.last_modified).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(service.languages.map((l: Json) => l.code)).toEqual(['en', 'cy']);
    expect(service.service_areas[0]).toMatchObject({
      name: 'Stroud',
      uri: 'http://statistics.data.gov.uk/id/statistical-geography/E07000082',
    });
    const phone = demo.channels.find((c) => c.kind === 'phone')!;
    expect(phone).toBeDefined();
    expect(service.phones[0]).toMatchObject({ number: phone.number, type: 'voice' });
    expect(service.schedules).toContainEqual(
      expect.objectContaining({
        freq: 'WEEKLY',
        byday: 'MO,TU,WE,TH,FR',
        opens_at: '08:00',
        closes_at: '18:00',
        attending_type: 'By phone',
      }),
    );
    const office = service.service_at_locations.find(
      (p: Json) => p.location.location_type === 'physical',
    );
    expect(office.location.addresses[0]).toMatchObject({
      address_1: 'Ebley Mill, Westward Road',
      city: 'Stroud',
      postal_code: 'GL5 4UB',
      state_province: 'England',
      country: 'GB',
      address_type: 'physical',
    });
    // GL5 4UB is in the demo Postcode Directory, so the office is on the map.
    expect(office.location.latitude).toBeGreaterThan(51);
    expect(office.schedules[0]).toMatchObject({ opens_at: '09:00', closes_at: '17:00' });
    const online = service.service_at_locations.find(
      (p: Json) => p.location.location_type === 'virtual',
    );
    expect(online.location.url).toBe(service.url);
    expect(demo.feePence).toBeNull();
    expect(service.cost_options).toEqual([]);

    const paid = DEMO_SERVICES.find((s) => s.slug === 'garden-waste-subscription-stroud')!;
    const paidSummary = services.find((s) => s.url.endsWith(`/services/${paid.slug}`))!;
    const { body: garden } = await get(`/api/hsds/services/${paidSummary.id}`);
    expect(garden.cost_options).toEqual([
      expect.objectContaining({ currency: 'GBP', amount: 52, amount_description: paid.fees }),
    ]);
    const page = await fetch(String(service.url).replace(publicUrl, app.baseUrl));
    expect(page.status).toBe(200);
  });

  it('links each service’s vocabularies as attributes of taxonomy terms, e-enabled or not', async () => {
    const demo = DEMO_SERVICES.find((s) => s.lifeEvents.length > 0 && s.interactions.length > 0)!;
    const summary = (await everyRecord('/api/hsds/services')).find((s) =>
      s.url.endsWith(`/services/${demo.slug}`),
    )!;
    const { body: service } = await get(`/api/hsds/services/${summary.id}`);
    const termIds = service.attributes.map((a: Json) => a.taxonomy_term_id);
    for (const event of demo.lifeEvents)
      expect(termIds).toContain(hsdsId('taxonomy_term', 'life-events', event));
    for (const interaction of demo.interactions) {
      const attribute = service.attributes.find(
        (a: Json) =>
          a.taxonomy_term_id === hsdsId('taxonomy_term', 'interaction-types', interaction.type),
      );
      expect(attribute.value).toBe(interaction.eEnabled ? 'e-enabled' : 'not e-enabled');
      expect(attribute.link_id).toBe(service.id);
    }
    const { status, body: term } = await get(`/api/hsds/taxonomy_terms/${termIds[0]}`);
    expect(status).toBe(200);
    expectValid('taxonomy_term', term);
  });

  it('gives Welsh names and descriptions with ?lang=cy or Accept-Language: cy', async () => {
    const demo = DEMO_SERVICES.find((s) => s.organisation === 'cardiff')!;
    const summary = (await everyRecord('/api/hsds/services')).find((s) =>
      s.url.endsWith(`/services/${demo.slug}`),
    )!;
    const byQuery = await get(`/api/hsds/services/${summary.id}?lang=cy`);
    const byHeader = await get(`/api/hsds/services/${summary.id}`, {
      'accept-language': 'cy-GB,cy;q=0.9,en;q=0.5',
    });
    for (const { body, headers } of [byQuery, byHeader]) {
      expect(headers.get('content-language')).toBe('cy');
      expect(body.name).toBe(demo.titleCy);
      expect(body.description.startsWith(demo.summaryCy)).toBe(true);
      expect(body.organization.name).toBe('Cyngor Caerdydd');
      expect(body.organization.alternate_name).toBe('Cardiff Council');
    }
    const english = await get(`/api/hsds/services/${summary.id}`, { 'accept-language': 'en-GB' });
    expect(english.body.name).toBe(demo.title);
    const { body: taxonomies } = await get('/api/hsds/taxonomies?lang=cy');
    expect(taxonomies.contents.map((t: Json) => t.name)).toContain('Digwyddiadau bywyd');
  });

  it('pages through services with the envelope’s arithmetic right', async () => {
    const total = (await get('/api/hsds/services?per_page=1')).body.total_items as number;
    expect(total).toBeGreaterThanOrEqual(DEMO_SERVICES.length);
    const perPage = 7;
    const pages = Math.ceil(total / perPage);
    const first = (await get(`/api/hsds/services?per_page=${perPage}`)).body;
    expectValid('page', first);
    expect(first).toMatchObject({
      total_items: total,
      total_pages: pages,
      page_number: 1,
      size: perPage,
      first_page: true,
      last_page: false,
      empty: false,
    });
    const last = (await get(`/api/hsds/services?per_page=${perPage}&page=${pages}`)).body;
    expect(last).toMatchObject({
      page_number: pages,
      size: total - (pages - 1) * perPage,
      first_page: false,
      last_page: true,
      empty: false,
    });
    const beyond = (await get(`/api/hsds/services?per_page=${perPage}&page=${pages + 1}`)).body;
    expect(beyond).toMatchObject({
      total_items: total,
      size: 0,
      last_page: true,
      empty: true,
      contents: [],
    });
    const none = (await get('/api/hsds/services?search=zzqxj')).body;
    expect(none).toMatchObject({
      total_items: 0,
      total_pages: 0,
      first_page: true,
      last_page: true,
      empty: true,
    });
  });

  it('rejects a bad page, page size or filter with 400, naming the field and the reason', async () => {
    const cases: [string, string][] = [
      ['/api/hsds/services?page=0', 'query.page: must be 1 or more'],
      ['/api/hsds/services?page=two', 'query.page'],
      ['/api/hsds/services?page=1.5', 'query.page: must be a whole number'],
      ['/api/hsds/services?per_page=101', 'query.per_page: must be 100 or fewer'],
      [
        '/api/hsds/services?taxonomy_term_id=baby',
        'query.taxonomy_term_id: must be the UUID of a taxonomy term',
      ],
      [
        `/api/hsds/services?taxonomy_term_id=${hsdsId('x')}`,
        'query.taxonomy_term_id: no taxonomy term has this id',
      ],
      [
        `/api/hsds/services?organization_id=${hsdsId('x')}`,
        'query.organization_id: no organization has this id',
      ],
      [
        '/api/hsds/services?modified_after=yesterday',
        'query.modified_after: must be an ISO 8601 date',
      ],
      [`/api/hsds/services?search=${'a'.repeat(101)}`, 'query.search'],
      [
        `/api/hsds/taxonomy_terms?taxonomy_id=${hsdsId('x')}`,
        'query.taxonomy_id: no taxonomy has this id',
      ],
      ['/api/hsds/organizations?page=-1', 'query.page'],
    ];
    for (const [url, message] of cases) {
      const error = await errorOf(url);
      expect(error.status, url).toBe(400);
      expect(error.message, url).toContain(message);
    }
  });

  it('filters services by taxonomy term, taxonomy, organization and date modified', async () => {
    const baby = hsdsId('taxonomy_term', 'life-events', 'having-a-baby');
    const found = await everyRecord(`/api/hsds/services?taxonomy_term_id=${baby}`);
    const expected = DEMO_SERVICES.filter((s) => s.lifeEvents.includes('having-a-baby'));
    expect(found.length).toBeGreaterThanOrEqual(expected.length);
    for (const demo of expected)
      expect(found.map((s) => s.url)).toContain(`${publicUrl}/services/${demo.slug}`);
    for (const { id } of found.slice(0, 3)) {
      const { body } = await get(`/api/hsds/services/${id}`);
      expect(body.attributes.map((a: Json) => a.taxonomy_term_id)).toContain(baby);
    }
    const stages = await everyRecord(
      `/api/hsds/services?taxonomy_id=${hsdsId('taxonomy', 'business-stages')}`,
    );
    expect(stages.length).toBe(DEMO_SERVICES.filter((s) => s.businessStages.length > 0).length);

    const dwp = (await everyRecord('/api/hsds/organizations?search=work')).find((o) =>
      o.name.includes('Work and Pensions'),
    )!;
    const dwpServices = await everyRecord(`/api/hsds/services?organization_id=${dwp.id}`);
    expect(dwpServices.length).toBe(DEMO_SERVICES.filter((s) => s.organisation === 'dwp').length);
    expect(dwpServices.every((s) => s.organization_id === dwp.id)).toBe(true);

    const all = (await get('/api/hsds/services?per_page=1')).body.total_items;
    expect(
      (await get('/api/hsds/services?per_page=1&modified_after=2000-01-01')).body.total_items,
    ).toBe(all);
    expect(
      (await get('/api/hsds/services?modified_after=2999-01-01T00:00:00Z')).body.total_items,
    ).toBe(0);
  });

  it('searches services as the front door does', async () => {
    const found = await everyRecord('/api/hsds/services?search=council%20tax');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.name.toLowerCase()).toContain('council tax');
  });

  it('answers 404 for a service, organization or term that does not exist or an id that is not a UUID', async () => {
    for (const url of [
      `/api/hsds/services/${hsdsId('no', 'such', 'service')}`,
      '/api/hsds/services/pay-council-tax',
      "/api/hsds/services/1'%20or%20'1'='1",
      `/api/hsds/organizations/${hsdsId('no', 'such', 'body')}`,
      '/api/hsds/organizations/stroud',
      `/api/hsds/taxonomies/${hsdsId('no')}`,
      '/api/hsds/taxonomy_terms/having-a-baby',
    ]) {
      const { status, body } = await get(url);
      expect(status, url).toBe(404);
      expect(body.errors[0].error).toBe('not_found');
    }
  });

  it('lists the vocabularies as taxonomies and their terms, with ids that never change', async () => {
    const taxonomies = await everyRecord('/api/hsds/taxonomies');
    expect(taxonomies.map((t) => t.id)).toEqual(VOCABULARIES.map((v) => hsdsId('taxonomy', v.key)));
    expect(taxonomies[0]!.id).toBe('b89537e8-7467-5193-92e8-cf21d7fb0c00');
    for (const taxonomy of taxonomies) {
      expectValid('taxonomy', taxonomy);
      const terms = await everyRecord(`/api/hsds/taxonomy_terms?taxonomy_id=${taxonomy.id}`);
      const vocabulary = VOCABULARIES.find((v) => hsdsId('taxonomy', v.key) === taxonomy.id)!;
      expect(terms.map((t) => t.code)).toEqual(vocabulary.terms.map((t) => t.value));
      for (const term of terms) {
        expectValid('taxonomy_term', term);
        expect(term.id).toBe(hsdsId('taxonomy_term', vocabulary.key, term.code));
        expect(term.taxonomy_id).toBe(taxonomy.id);
      }
      expectValid('taxonomy', (await get(`/api/hsds/taxonomies/${taxonomy.id}`)).body);
    }
    const interactions = await everyRecord(
      `/api/hsds/taxonomy_terms?taxonomy_id=${hsdsId('taxonomy', 'interaction-types')}`,
    );
    expect(interactions).toHaveLength(10);
    const allTerms = (await get('/api/hsds/taxonomy_terms?per_page=1')).body.total_items;
    expect(allTerms).toBe(VOCABULARIES.reduce((n, v) => n + v.terms.length, 0));
  });

  it('lists the organizations, and one organization with its services', async () => {
    const organizations = await everyRecord('/api/hsds/organizations');
    for (const organization of organizations) expectValid('organization', organization);
    const cardiff = organizations.find((o) => o.name === 'Cardiff Council')!;
    const { status, body } = await get(`/api/hsds/organizations/${cardiff.id}`);
    expect(status).toBe(200);
    expectValid('organization', body);
    expect(body.services.length).toBe(
      DEMO_SERVICES.filter((s) => s.organisation === 'cardiff').length,
    );
  });

  it('lists the services available at a postcode in a two-tier area: district, county and national', async () => {
    const places = await everyRecord('/api/hsds/service_at_locations?postcode=gl5%204ub');
    for (const place of places) expectValid('service_at_location', place);
    const bodies = new Set(places.map((p) => p.service.organization.name));
    expect(bodies).toContain('Stroud District Council');
    expect(bodies).toContain('Gloucestershire County Council');
    expect(bodies).toContain('Department for Work and Pensions');
    for (const other of ['Cheltenham Borough Council', 'Bristol City Council', 'Cardiff Council'])
      expect(bodies).not.toContain(other);
    const services = new Set(places.map((p) => p.service_id));
    const expected = DEMO_SERVICES.filter((s) =>
      ['stroud', 'gloucestershire', 'dwp', 'cabinet-office'].includes(s.organisation),
    ).length;
    expect(services.size).toBe(expected);
    for (const place of places) expect(place.location_id).toBe(place.location.id);
  });

  it('lists a unitary council’s services and the national ones at a Cardiff postcode', async () => {
    const places = await everyRecord('/api/hsds/service_at_locations?postcode=CF10%204UW&lang=cy');
    const bodies = new Set(places.map((p) => p.service.organization.name));
    expect(bodies).toContain('Cyngor Caerdydd');
    expect(bodies).toContain('Yr Adran Gwaith a Phensiynau');
    for (const other of [
      'Cyngor Dosbarth Stroud',
      'Cyngor Sir Swydd Gaerloyw',
      'Cyngor Dinas Bryste',
    ])
      expect(bodies).not.toContain(other);
    const office = places.find(
      (p) =>
        p.location.location_type === 'physical' &&
        p.location.addresses[0]?.postal_code === 'CF10 1FL',
    );
    // CF10 1FL is not in the demo Postcode Directory: its nation comes from its area, CF.
    expect(office?.location.addresses[0].state_province).toBe('Cymru');
  });

  it('rejects an empty, malformed or unknown postcode with 400 and the reason', async () => {
    const cases: [string, string][] = [
      ['', 'query.postcode: enter a postcode'],
      ['not a postcode', 'query.postcode: enter a full UK postcode'],
      ['QQ1 1QQ', 'query.postcode: enter a full UK postcode'],
      ['GL5 9ZZ', 'query.postcode: the postcode is not in the ONS Postcode Directory'],
    ];
    for (const [postcode, message] of cases) {
      const error = await errorOf(
        `/api/hsds/service_at_locations?postcode=${encodeURIComponent(postcode)}`,
      );
      expect(error.status, postcode).toBe(400);
      expect(error.message, postcode).toContain(message);
    }
  });

  it('lists every service’s locations when no postcode is given', async () => {
    const places = await everyRecord('/api/hsds/service_at_locations');
    expect(new Set(places.map((p) => p.service_id)).size).toBe(
      (await get('/api/hsds/services?per_page=1')).body.total_items,
    );
  });
});
