import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../../test/helpers/app.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';
import { publishService } from '../../commands/publish-service.js';
import { DEMO_SERVICES } from '../../demo/services.js';
import type { Channel } from '../../vocabularies.js';
import { hsdsId } from './ids.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EXTRA = 250;
const BODIES = ['stroud', 'bristol', 'dwp'] as const;

/** What the i-th extra service is like: which body, which term, which channels. */
function extra(i: number) {
  const office: Channel = {
    kind: 'in-person',
    address: `Office ${i}, High Street, Stroud GL5 4UB`,
    addressCy: '',
    hours: 'Monday to Friday, 9am to 5pm',
    hoursCy: '',
  };
  const phone: Channel = { kind: 'phone', number: '0300 123 4567', hours: '', hoursCy: '' };
  const channels: Channel[][] = [
    [{ kind: 'online-here' }, office],
    [phone],
    [{ kind: 'online-here' }],
  ];
  return {
    slug: `scale-test-${i}`,
    // Every tenth shares its title with the others of its body, so only the id orders them.
    title:
      i % 10 === 0
        ? 'Scale test: the same title'
        : `Scale test service ${String(i).padStart(3, '0')}`,
    body: BODIES[i % 3]!,
    movingHome: i % 5 === 0,
    procurement: i % 7 === 0,
    channels: channels[i % 3]!,
    /** Its service_at_location records. */
    places: [2, 0, 1][i % 3]!,
    old: i % 2 === 0,
  };
}
const EXTRAS = Array.from({ length: EXTRA }, (_, i) => extra(i));

describe('the HSDS listings with hundreds more services', () => {
  let app: TestApp;
  let demoTotal: number;
  const englishOnly = { slug: 'scale-test-english-only', title: 'Scale test in English only' };

  async function get(url: string) {
    const response = await fetch(app.baseUrl + url);
    expect(response.status, url).toBe(200);
    return (await response.json()) as Json;
  }

  /** Every page of a list, in order, each page's envelope checked against the first's total. */
  async function pages(url: string, perPage = 100): Promise<Json[]> {
    const read: Json[] = [];
    for (let page = 1; ; page++) {
      const body = await get(
        `${url}${url.includes('?') ? '&' : '?'}per_page=${perPage}&page=${page}`,
      );
      read.push(body);
      if (body.last_page) return read;
      expect(page).toBeLessThan(1000);
    }
  }
  const contents = (read: Json[]) => read.flatMap((page) => page.contents as Json[]);

  beforeAll(async () => {
    app = await startTestApp();
    const db = app.platform.database.db;
    demoTotal = (await get('/api/hsds/services?per_page=1')).total_items as number;
    const bodies = new Map<string, string>();
    for (const slug of BODIES) bodies.set(slug, (await findOrganisationBySlug(db, slug))!.id);
    await db.transaction().execute(async (trx) => {
      for (const [i, service] of EXTRAS.entries()) {
        const outcome = await publishService(trx, {
          organisationId: bodies.get(service.body)!,
          slug: service.slug,
          title: service.title,
          titleCy: `Gwasanaeth prawf ${i}`,
          summary: `Extra service ${i} for the scale test.`,
          summaryCy: `Gwasanaeth ychwanegol ${i}.`,
          body: '',
          bodyCy: '',
          channels: service.channels,
          lifeEvents: service.movingHome ? ['moving-home'] : [],
          interactions: service.procurement
            ? [{ type: 'procurement', eEnabled: false }]
            : [{ type: 'applications', eEnabled: true }],
        });
        if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
        if (service.old)
          await trx
            .updateTable('services')
            .set({ published_at: new Date('2020-06-01T12:00:00Z') })
            .where('id', '=', outcome.service.id)
            .execute();
      }
      const outcome = await publishService(trx, {
        organisationId: bodies.get('stroud')!,
        ...englishOnly,
        titleCy: '',
        summary: 'Published in English before its Welsh is written.',
        summaryCy: '',
        body: '',
        bodyCy: '',
      });
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    });
  }, 120_000);
  afterAll(async () => app?.close());

  it('pages through every service exactly once, with the envelope’s numbers right', async () => {
    const total = demoTotal + EXTRA + 1;
    const read = await pages('/api/hsds/services');
    const totalPages = Math.ceil(total / 100);
    expect(read).toHaveLength(totalPages);
    read.forEach((page, i) =>
      expect(page).toMatchObject({
        total_items: total,
        total_pages: totalPages,
        page_number: i + 1,
        size: i + 1 < totalPages ? 100 : total - 100 * (totalPages - 1),
        first_page: i === 0,
        last_page: i + 1 === totalPages,
        empty: false,
      }),
    );
    expect(read[2]!.size).toBe(Math.min(100, total - 200));
    expect(read[2]!.size).toBeGreaterThanOrEqual(50);
    const ids = contents(read).map((s) => s.id as string);
    expect(new Set(ids).size).toBe(total);
    const db = app.platform.database.db;
    const published = await db
      .selectFrom('services')
      .select('id')
      .where('status', '=', 'published')
      .execute();
    expect(new Set(ids)).toEqual(new Set(published.map((s) => s.id)));
    for (const { slug } of [...EXTRAS, ...DEMO_SERVICES])
      expect(
        contents(read).some((s) => s.url.endsWith(`/services/${slug}`)),
        slug,
      ).toBe(true);

    // Smaller pages in Welsh split the same services differently, and still take each once.
    const welsh = contents(await pages('/api/hsds/services?lang=cy', 7)).map((s) => s.id);
    expect(welsh).toHaveLength(total);
    expect(new Set(welsh)).toEqual(new Set(ids));
    const beyond = await get(`/api/hsds/services?per_page=100&page=${totalPages + 1}`);
    expect(beyond).toMatchObject({ total_items: total, size: 0, empty: true, last_page: true });
  });

  it('filters by taxonomy term, taxonomy, organization and date in the database, counting all', async () => {
    const movingHome = hsdsId('taxonomy_term', 'life-events', 'moving-home');
    const movers =
      DEMO_SERVICES.filter((s) => s.lifeEvents.includes('moving-home')).length +
      EXTRAS.filter((s) => s.movingHome).length;
    const read = await pages(`/api/hsds/services?taxonomy_term_id=${movingHome}`, 20);
    expect(read[0]!.total_items).toBe(movers);
    expect(read[0]!.total_pages).toBe(Math.ceil(movers / 20));
    const found = contents(read);
    expect(found).toHaveLength(movers);
    for (const { slug } of EXTRAS.filter((s) => s.movingHome))
      expect(
        found.some((s) => s.url.endsWith(`/services/${slug}`)),
        slug,
      ).toBe(true);
    for (const { id } of found.slice(0, 5)) {
      const service = await get(`/api/hsds/services/${id}`);
      expect(service.attributes.map((a: Json) => a.taxonomy_term_id)).toContain(movingHome);
    }

    const procurement = hsdsId('taxonomy_term', 'interaction-types', 'procurement');
    expect(
      (await get(`/api/hsds/services?per_page=1&taxonomy_term_id=${procurement}`)).total_items,
    ).toBe(
      DEMO_SERVICES.filter((s) => s.interactions.some((i) => i.type === 'procurement')).length +
        EXTRAS.filter((s) => s.procurement).length,
    );
    const lifeEvents = hsdsId('taxonomy', 'life-events');
    expect((await get(`/api/hsds/services?per_page=1&taxonomy_id=${lifeEvents}`)).total_items).toBe(
      DEMO_SERVICES.filter((s) => s.lifeEvents.length > 0).length +
        EXTRAS.filter((s) => s.movingHome).length,
    );

    const bristol = contents(await pages('/api/hsds/organizations?search=bristol'))[0]!;
    const bristols = contents(await pages(`/api/hsds/services?organization_id=${bristol.id}`, 30));
    expect(bristols).toHaveLength(
      DEMO_SERVICES.filter((s) => s.organisation === 'bristol').length +
        EXTRAS.filter((s) => s.body === 'bristol').length,
    );
    expect(bristols.every((s) => s.organization_id === bristol.id)).toBe(true);
    const { services } = await get(`/api/hsds/organizations/${bristol.id}`);
    expect(services.map((s: Json) => s.id)).toEqual(bristols.map((s) => s.id));

    expect((await get('/api/hsds/services?per_page=1&modified_after=2021-01-01')).total_items).toBe(
      demoTotal + 1 + EXTRAS.filter((s) => !s.old).length,
    );
  });

  it('lists every service’s places exactly once, a page at a time, however the pages fall', async () => {
    const read = await pages('/api/hsds/service_at_locations');
    const places = contents(read);
    expect(read[0]!.total_items).toBe(places.length);
    expect(new Set(places.map((p) => p.id)).size).toBe(places.length);
    const inSevens = contents(await pages('/api/hsds/service_at_locations', 7));
    expect(inSevens.map((p) => p.id)).toEqual(places.map((p) => p.id));

    const perService = new Map<string, number>();
    for (const place of places)
      perService.set(place.service_id, (perService.get(place.service_id) ?? 0) + 1);
    const services = contents(await pages('/api/hsds/services'));
    for (const { id, url } of services) {
      const nested = await get(`/api/hsds/services/${id}`);
      expect(perService.get(id) ?? 0, url).toBe(nested.service_at_locations.length);
    }
    for (const service of EXTRAS) {
      const { id } = services.find((s) => s.url.endsWith(`/services/${service.slug}`))!;
      expect(perService.get(id) ?? 0, service.slug).toBe(service.places);
    }
  }, 60_000);

  it('lists the places of the services at a postcode, across pages', async () => {
    const places = contents(await pages('/api/hsds/service_at_locations?postcode=GL5%204UB', 30));
    const bodies = new Set(places.map((p) => p.service.organization.name));
    expect(bodies).toContain('Stroud District Council');
    expect(bodies).not.toContain('Bristol City Council');
    const serviceIds = new Set(places.map((p) => p.service_id));
    const expected = EXTRAS.filter((s) => s.body !== 'bristol' && s.places > 0);
    for (const { slug } of expected)
      expect(
        places.some((p) => p.service.url.endsWith(`/services/${slug}`)),
        slug,
      ).toBe(true);
    expect(new Set(places.map((p) => p.id)).size).toBe(places.length);
    expect(serviceIds.size).toBeGreaterThan(expected.length);
  });

  it('gives a service without Welsh in English in a Welsh listing, and does not claim Welsh for it', async () => {
    const found = contents(await pages('/api/hsds/services?lang=cy'));
    const summary = found.find((s) => s.url.endsWith(`/services/${englishOnly.slug}`))!;
    expect(summary.name).toBe(englishOnly.title);
    const service = await get(`/api/hsds/services/${summary.id}?lang=cy`);
    expect(service.name).toBe(englishOnly.title);
    expect(service.languages.map((l: Json) => l.code)).toEqual(['en']);
    const welsh = found.find((s) => s.url.endsWith('/services/scale-test-1'))!;
    expect(welsh.name).toBe('Gwasanaeth prawf 1');
    const withWelsh = await get(`/api/hsds/services/${welsh.id}`);
    expect(withWelsh.languages.map((l: Json) => l.code)).toEqual(['en', 'cy']);
  });
});
