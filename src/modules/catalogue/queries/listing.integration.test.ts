import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import {
  AUDIENCES,
  BUSINESS_STAGES,
  CATEGORIES,
  CUSTOMER_GROUPS,
  INTERACTION_TYPES,
  LIFE_EVENTS,
} from '../vocabularies.js';
import {
  findServices,
  listPublishedServices,
  type PublicService,
  type ServiceListing,
} from './services.js';

let app: TestApp;
const db = () => app.platform.database.db;
beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const ids = (services: readonly PublicService[]) => services.map((s) => s.id);

/** A filter, what it is, and which services it must take. */
type Case = [string, Omit<ServiceListing, 'locale'>, (s: PublicService) => boolean];

/** Every published service in listing order, read without a limit. */
async function everyService(locale: 'en' | 'cy' = 'en') {
  return (await listPublishedServices(db(), { locale })).services;
}

describe('listing the published services a page at a time', () => {
  it('lists every published service once, by title, as the front door lists them without words', async () => {
    const all = await everyService();
    const { services, total } = await listPublishedServices(db(), { locale: 'en', limit: 1000 });
    expect(total).toBe(all.length);
    expect(ids(services)).toEqual(ids(all));
    expect(new Set(ids(all)).size).toBe(all.length);
    const front = await findServices(db(), { locale: 'en' });
    expect(ids(all)).toEqual(ids(front.services));
  });

  it('reads pages that fit together, counting every service on each, and an empty page after the last', async () => {
    const all = await everyService();
    const read: string[] = [];
    for (let offset = 0; offset < all.length; offset += 9) {
      const page = await listPublishedServices(db(), { locale: 'en', limit: 9, offset });
      expect(page.total).toBe(all.length);
      expect(page.services.length).toBe(Math.min(9, all.length - offset));
      read.push(...ids(page.services));
    }
    expect(read).toEqual(ids(all));
    expect(
      await listPublishedServices(db(), { locale: 'en', limit: 9, offset: all.length + 20 }),
    ).toEqual({ services: [], total: all.length });
  });

  it('orders a Welsh listing by the Welsh titles, as the Welsh front door does', async () => {
    const welsh = await everyService('cy');
    const english = await everyService('en');
    expect(ids(welsh)).toEqual(ids((await findServices(db(), { locale: 'cy' })).services));
    expect(new Set(ids(welsh))).toEqual(new Set(ids(english)));
    expect(ids(welsh)).not.toEqual(ids(english));
  });

  it('takes exactly the services each filter describes, and counts them', async () => {
    const all = await everyService();
    const stroud = (await findOrganisationBySlug(db(), 'stroud'))!;
    const dwp = (await findOrganisationBySlug(db(), 'dwp'))!;
    const cases: Case[] = [
      ...LIFE_EVENTS.map(({ value }): Case => [
        `life event ${value}`,
        { lifeEvent: value },
        (s: PublicService) => s.lifeEvents.includes(value),
      ]),
      ...CUSTOMER_GROUPS.map(({ value }): Case => [
        `customer group ${value}`,
        { customerGroup: value },
        (s: PublicService) => s.customerGroups.includes(value),
      ]),
      ...CATEGORIES.map(({ value }): Case => [
        `topic ${value}`,
        { category: value },
        (s: PublicService) => s.categories.includes(value),
      ]),
      ...BUSINESS_STAGES.map(({ value }): Case => [
        `business stage ${value}`,
        { businessStage: value },
        (s: PublicService) => s.businessStages.includes(value),
      ]),
      ...INTERACTION_TYPES.map(({ value }): Case => [
        `interaction type ${value}`,
        { interactionType: value },
        (s: PublicService) => s.interactions.some((i) => i.type === value),
      ]),
      ...AUDIENCES.map(({ value }): Case => [
        `audience exactly ${value}`,
        { audience: value },
        (s: PublicService) => s.audience === value,
      ]),
      ...(
        ['lifeEvents', 'customerGroups', 'categories', 'interactions', 'businessStages'] as const
      ).map((list): Case => [
        `some ${list}`,
        { having: list },
        (s: PublicService) => s[list].length > 0,
      ]),
      ['body by slug', { body: 'cardiff' }, (s) => s.organisation.slug === 'cardiff'],
      [
        'bodies by id',
        { organisationIds: [stroud.id, dwp.id] },
        (s) => [stroud.id, dwp.id].includes(s.organisation.id),
      ],
      ['no bodies', { organisationIds: [] }, () => false],
      [
        'a body and the central tier',
        { organisationIds: [stroud.id], alsoTier: 'central' },
        (s) => s.organisation.id === stroud.id || s.providerTier === 'central',
      ],
      [
        'only the central tier',
        { organisationIds: [], alsoTier: 'central' },
        (s) => s.providerTier === 'central',
      ],
      [
        'two services by id',
        { ids: [all[3]!.id, all[1]!.id] },
        (s) => [all[1]!.id, all[3]!.id].includes(s.id),
      ],
      ['no ids', { ids: [] }, () => false],
      [
        'a topic of one body',
        { category: 'waste', organisationIds: [stroud.id] },
        (s) => s.categories.includes('waste') && s.organisation.id === stroud.id,
      ],
      [
        'modified after 2000',
        { modifiedAfter: new Date('2000-01-01') },
        (s) => s.publishedAt !== null,
      ],
      ['modified after 2999', { modifiedAfter: new Date('2999-01-01') }, () => false],
    ];
    let narrowing = 0;
    for (const [what, filter, takes] of cases) {
      const expected = ids(all.filter(takes));
      const { services, total } = await listPublishedServices(db(), {
        locale: 'en',
        ...filter,
        limit: 1000,
      });
      expect(ids(services), what).toEqual(expected);
      expect(total, what).toBe(expected.length);
      if (expected.length > 0 && expected.length < all.length) narrowing++;
    }
    // The demo exercises the filters: most take some services but not all.
    expect(narrowing).toBeGreaterThan(cases.length / 2);
  });

  it('counts all a filter takes even on a page of only some of them', async () => {
    const movers = (await everyService()).filter((s) => s.lifeEvents.includes('moving-home'));
    expect(movers.length).toBeGreaterThan(2);
    const page = await listPublishedServices(db(), {
      locale: 'en',
      lifeEvent: 'moving-home',
      limit: 2,
      offset: 1,
    });
    expect(page.total).toBe(movers.length);
    expect(ids(page.services)).toEqual(ids(movers.slice(1, 3)));
  });
});
