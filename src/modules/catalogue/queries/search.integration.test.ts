import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { DEMO_SERVICES } from '../demo/services.js';
import { INTERACTION_TYPES } from '../vocabularies.js';
import { findServices } from './services.js';

let app: TestApp;
const db = () => app.platform.database.db;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

/** Thirty-odd searches people make, each with the service that must come first. */
const RANKING: [string, 'en' | 'cy', string][] = [
  ['bulky waste', 'en', 'request-a-bulky-waste-collection'],
  ['missed bin', 'en', 'report-a-missed-bin-collection-stroud'],
  ['garden waste', 'en', 'garden-waste-subscription-stroud'],
  ['single person discount', 'en', 'council-tax-single-person-discount-stroud'],
  ['housing benefit bristol', 'en', 'housing-benefit-bristol'],
  ['comment on a planning application', 'en', 'comment-on-a-planning-application-stroud'],
  ['premises licence', 'en', 'premises-licence-stroud'],
  ['taxi licence', 'en', 'taxi-driver-licence-stroud'],
  ['food business', 'en', 'register-a-food-business-stroud'],
  ['small business rate relief', 'en', 'small-business-rate-relief-stroud'],
  ['fly tipping', 'en', 'report-fly-tipping-stroud'],
  ['housing register', 'en', 'join-the-housing-register-stroud'],
  ['volunteering', 'en', 'find-a-community-group-stroud'],
  ['street trading', 'en', 'street-trading-consent-cheltenham'],
  ['football pitch', 'en', 'book-a-sports-pitch-cheltenham'],
  ['noise', 'en', 'report-noise-cheltenham'],
  ['school transport', 'en', 'school-transport-gloucestershire'],
  ['free school meals', 'en', 'free-school-meals-gloucestershire'],
  ['blue badge gloucestershire', 'en', 'apply-for-a-blue-badge-gloucestershire'],
  ['pothole', 'en', 'report-a-pothole-gloucestershire'],
  ['register a death', 'en', 'register-a-death-gloucestershire'],
  ['marriage', 'en', 'give-notice-of-marriage-gloucestershire'],
  ['bus pass', 'en', 'older-persons-bus-pass-gloucestershire'],
  ['carers assessment', 'en', 'carers-assessment-gloucestershire'],
  ['universal credit', 'en', 'universal-credit'],
  ['state pension', 'en', 'state-pension'],
  ['vehicle tax', 'en', 'vehicle-tax'],
  ['self assessment', 'en', 'self-assessment-tax-return'],
  ['limited company', 'en', 'set-up-a-limited-company'],
  ['passport', 'en', 'apply-for-a-passport'],
  ['find a job', 'en', 'find-a-job'],
  ['gwastraff swmpus', 'cy', 'request-a-bulky-waste-collection'],
  ['cofrestru genedigaeth caerdydd', 'cy', 'register-a-birth-cardiff'],
  ['lwfans gofalwr', 'cy', 'carers-allowance'],
];

describe('the demo catalogue', () => {
  it('has at least 60 services, each in English and Welsh, covering every BVPI 157 interaction type', async () => {
    expect(DEMO_SERVICES.length).toBeGreaterThanOrEqual(60);
    for (const s of DEMO_SERVICES) {
      expect(s.titleCy && s.summaryCy && s.bodyCy, s.slug).toBeTruthy();
      expect(s.channels.length, s.slug).toBeGreaterThan(0);
    }
    const types = new Set(DEMO_SERVICES.flatMap((s) => s.interactions.map((i) => i.type)));
    expect([...types].sort()).toEqual(INTERACTION_TYPES.map((t) => t.value).sort());
    const published = await db()
      .selectFrom('services')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    expect(Number(published.n)).toBeGreaterThanOrEqual(60);
  });
});

describe('search ranking', () => {
  it.each(RANKING)('a search for ‘%s’ (%s) puts %s first', async (text, locale, slug) => {
    const result = await findServices(db(), { locale, text });
    expect(result.problem).toBeNull();
    expect(result.services[0]?.slug, result.services.map((s) => s.slug).join(', ')).toBe(slug);
  });

  it('puts a service whose title matches before one that only mentions the words', async () => {
    const { services } = await findServices(db(), { locale: 'en', text: 'waste' });
    const titles = services.map((s) => s.title.toLowerCase());
    const firstWithout = titles.findIndex((t) => !t.includes('waste'));
    const lastWith = titles.map((t) => t.includes('waste')).lastIndexOf(true);
    expect(firstWithout).toBeGreaterThan(-1);
    expect(lastWith).toBeLessThan(firstWithout);
  });
});

describe('synonyms', () => {
  it('finds the household recycling centre for ‘tip’', async () => {
    const { services } = await findServices(db(), { locale: 'en', text: 'tip' });
    expect(services[0]?.slug).toBe('household-recycling-centre-gloucestershire');
  });

  it('finds Jobseeker’s Allowance for ‘dole’, a word no service uses', async () => {
    const { services } = await findServices(db(), { locale: 'en', text: 'dole' });
    expect(services[0]?.slug).toBe('jobseekers-allowance');
  });

  it('finds vehicle tax for ‘car tax’ and waste services for ‘bin’', async () => {
    expect((await findServices(db(), { locale: 'en', text: 'car tax' })).services[0]?.slug).toBe(
      'vehicle-tax',
    );
    const bins = (await findServices(db(), { locale: 'en', text: 'bin' })).services.map(
      (s) => s.slug,
    );
    expect(bins).toContain('garden-waste-subscription-stroud');
  });
});

describe('typos', () => {
  it('corrects a misspelt short search and says what it searched for', async () => {
    const result = await findServices(db(), { locale: 'en', text: 'pasport' });
    expect(result.services[0]?.slug).toBe('apply-for-a-passport');
    expect(result.corrections).toEqual([
      { word: 'pasport', meant: expect.arrayContaining(['passport']) },
    ]);
  });

  it('finds nothing for a word that is nothing like any service', async () => {
    const result = await findServices(db(), { locale: 'en', text: 'zqxjv' });
    expect(result.services).toEqual([]);
  });
});

describe('filters', () => {
  it('filters by life event', async () => {
    const { services } = await findServices(db(), { locale: 'en', lifeEvent: 'having-a-baby' });
    expect(services.length).toBeGreaterThan(2);
    for (const s of services) expect(s.lifeEvents).toContain('having-a-baby');
    expect(services.map((s) => s.slug)).toContain('register-a-birth-gloucestershire');
  });

  it('filters by audience, keeping services for both', async () => {
    const { services } = await findServices(db(), { locale: 'en', audience: 'businesses' });
    expect(services.length).toBeGreaterThan(5);
    for (const s of services) expect(['businesses', 'both']).toContain(s.audience);
  });

  it('filters by body', async () => {
    const { services } = await findServices(db(), {
      locale: 'en',
      text: 'council tax',
      body: 'cardiff',
    });
    expect(services.map((s) => s.slug)).toEqual(['pay-council-tax-cardiff']);
  });
});

describe('bad input', () => {
  it('answers a 2,000-character search with no results and a reason, on the page too', async () => {
    const long = 'bin '.repeat(500);
    expect(await findServices(db(), { locale: 'en', text: long })).toMatchObject({
      services: [],
      problem: 'too-long',
    });
    const page = await new Visitor(app.baseUrl).get(`/?q=${encodeURIComponent(long)}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Your search is too long');
  });

  it('answers a search of only punctuation with no results and a reason, in Welsh too', async () => {
    expect(await findServices(db(), { locale: 'en', text: '?!.,;:--' })).toMatchObject({
      services: [],
      problem: 'no-words',
    });
    const page = await new Visitor(app.baseUrl).get(
      `/?q=${encodeURIComponent('?!.,;:--')}&lang=cy`,
    );
    expect(page.status).toBe(200);
    expect(page.html).toContain('Rhowch eiriau');
  });

  it('keeps the API’s 400 for a search over 100 characters', async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/services?q=${'a'.repeat(101)}`);
    expect(response.status).toBe(400);
  });

  it('searches the API with filters', async () => {
    const response = await fetch(
      `${app.baseUrl}/api/v1/services?q=${encodeURIComponent('pay council tax')}&body=bristol`,
    );
    const body = (await response.json()) as { services: { slug: string }[] };
    expect(body.services.map((s) => s.slug)).toEqual(['pay-council-tax-bristol']);
  });
});
