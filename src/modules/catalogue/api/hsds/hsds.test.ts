import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../../../platform/paths.js';
import type { PublicService } from '../../queries/services.js';
import { hsdsId, HSDS_NAMESPACE, uuidV5 } from './ids.js';
import { isUuid } from '../../../../platform/validation/uuid.js';
import { offsetOf, pageFrom, pageOf } from './paging.js';
import {
  hasWelsh,
  nationOfGssCode,
  nationOfPostcodeArea,
  parseHours,
  placeChannelsOf,
  splitAddress,
} from './records.js';
import { localeOf } from './routes.js';
import {
  allTerms,
  taxonomyId,
  termById,
  termId,
  VOCABULARIES,
  vocabularyById,
} from './taxonomies.js';

const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('name-based ids', () => {
  it('computes version 5 UUIDs as RFC 9562 defines them', () => {
    // The example Python's uuid module documents: uuid5(NAMESPACE_DNS, 'python.org').
    expect(uuidV5('python.org', DNS_NAMESPACE)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('gives the same record the same id on every install, and different records different ids', () => {
    expect(HSDS_NAMESPACE).toBe('3cd4911f-79fc-426a-be0a-7e3c136db17f');
    // Published in docs/guides/open-data.md: a change here breaks every consumer's stored ids.
    expect(hsdsId('taxonomy', 'life-events')).toBe('b89537e8-7467-5193-92e8-cf21d7fb0c00');
    expect(hsdsId('taxonomy_term', 'life-events', 'having-a-baby')).toBe(
      'c876eb46-252f-5b42-9241-2bafcd816c2a',
    );
    expect(hsdsId('taxonomy', 'life-events')).not.toBe(hsdsId('taxonomy', 'categories'));
    expect(hsdsId('taxonomy_term', 'a', 'bc')).not.toBe(hsdsId('taxonomy_term', 'ab', 'c'));
    expect(isUuid(hsdsId('taxonomy', 'life-events'))).toBe(true);
  });

  it('tells a UUID from anything else', () => {
    expect(isUuid('886313E1-3B8A-5372-9B90-0C9AEE199E5D')).toBe(true);
    expect(isUuid('886313e1-3b8a-5372-9b90-0c9aee199e5')).toBe(false);
    expect(isUuid("886313e1-3b8a-5372-9b90-0c9aee199e5d' or 1=1")).toBe(false);
  });
});

describe('taxonomies', () => {
  it('publishes six vocabularies, every term with a unique id found again by that id', () => {
    expect(VOCABULARIES.map((v) => v.key)).toEqual([
      'life-events',
      'customer-groups',
      'categories',
      'interaction-types',
      'business-stages',
      'audiences',
    ]);
    const ids = allTerms().map(({ vocabulary, term }) => termId(vocabulary, term.value));
    expect(new Set(ids).size).toBe(ids.length);
    for (const { vocabulary, term } of allTerms()) {
      expect(termById(termId(vocabulary, term.value))?.term.value).toBe(term.value);
    }
    expect(termById(hsdsId('taxonomy_term', 'life-events', 'no-such-event'))).toBeUndefined();
    expect(vocabularyById(hsdsId('taxonomy', 'categories'))?.key).toBe('categories');
  });
});

describe('the published ids', () => {
  it('are the ids docs/guides/open-data.md lists for every taxonomy and term', () => {
    const guide = readFileSync(projectPath('docs/guides/open-data.md'), 'utf8');
    const taxonomies = [...guide.matchAll(/^Taxonomy id `([0-9a-f-]{36})`$/gm)].map((m) => m[1]);
    expect(taxonomies).toEqual(VOCABULARIES.map(taxonomyId));
    const terms = [...guide.matchAll(/^\| `([a-z-]+)` +\|[^|]+\| `([0-9a-f-]{36})` +\|$/gm)].map(
      (m) => [m[1], m[2]],
    );
    expect(terms).toEqual(
      allTerms().map(({ vocabulary, term }) => [term.value, termId(vocabulary, term.value)]),
    );
  });
});

describe('paging', () => {
  const items = Array.from({ length: 23 }, (_, i) => i);

  it('counts pages and says which page is first and last', () => {
    expect(pageOf(items, { page: 1, per_page: 10 })).toMatchObject({
      total_items: 23,
      total_pages: 3,
      page_number: 1,
      size: 10,
      first_page: true,
      last_page: false,
      empty: false,
    });
    const last = pageOf(items, { page: 3, per_page: 10 });
    expect(last).toMatchObject({ size: 3, first_page: false, last_page: true, empty: false });
    expect(last.contents).toEqual([20, 21, 22]);
  });

  it('builds the envelope of a page read from SQL from its records and the total', () => {
    expect(offsetOf({ page: 3, per_page: 100 })).toBe(200);
    expect(pageFrom(['a', 'b'], 202, { page: 3, per_page: 100 })).toEqual({
      total_items: 202,
      total_pages: 3,
      page_number: 3,
      size: 2,
      first_page: false,
      last_page: true,
      empty: false,
      contents: ['a', 'b'],
    });
    expect(pageFrom([], 202, { page: 4, per_page: 100 })).toMatchObject({
      total_items: 202,
      total_pages: 3,
      last_page: true,
      empty: true,
    });
  });

  it('gives an empty page after the last one, and no pages for no items', () => {
    expect(pageOf(items, { page: 4, per_page: 10 })).toMatchObject({
      size: 0,
      last_page: true,
      empty: true,
      contents: [],
    });
    expect(pageOf([], { page: 1, per_page: 10 })).toMatchObject({
      total_items: 0,
      total_pages: 0,
      first_page: true,
      last_page: true,
      empty: true,
    });
  });
});

describe('reading the catalogue’s text', () => {
  it('reads weekday opening hours as a weekly rule', () => {
    expect(parseHours('Monday to Friday, 8am to 6pm')).toEqual({
      byday: 'MO,TU,WE,TH,FR',
      opens_at: '08:00',
      closes_at: '18:00',
    });
    expect(parseHours('Saturday to Monday, 9.30am to 12pm')).toEqual({
      byday: 'SA,SU,MO',
      opens_at: '09:30',
      closes_at: '12:00',
    });
    expect(parseHours('24 hours a day')).toBeNull();
    expect(parseHours('Monday to Friday, 13pm to 5pm')).toBeNull();
  });

  it('splits a one-line UK address into its HSDS parts', () => {
    expect(splitAddress('Ebley Mill, Westward Road, Stroud GL5 4UB')).toEqual({
      address_1: 'Ebley Mill, Westward Road',
      city: 'Stroud',
      postal_code: 'GL5 4UB',
    });
    expect(splitAddress('70 Whitehall, London sw1a2as')?.postal_code).toBe('SW1A 2AS');
    expect(splitAddress('Your local Jobcentre Plus')).toBeNull();
    expect(splitAddress('Stroud GL5 4UB')).toBeNull();
  });

  it('knows the nation of a postcode or a GSS code', () => {
    expect(nationOfPostcodeArea('CF10 1FL')).toBe('wales');
    expect(nationOfPostcodeArea('EH1 1YZ')).toBe('scotland');
    expect(nationOfPostcodeArea('G1 1XQ')).toBe('scotland');
    expect(nationOfPostcodeArea('GL5 4UB')).toBe('england');
    expect(nationOfPostcodeArea('BT1 5GS')).toBe('northern-ireland');
    expect(nationOfGssCode('W92000004')).toBe('wales');
    expect(nationOfGssCode('X1')).toBeUndefined();
  });

  it('knows a service has Welsh of its own only when its Welsh title and summary are not English', () => {
    const welsh = {
      title: 'Teitl',
      summary: 'Crynodeb',
      body: 'Body',
      inEnglish: ['body'],
    } as PublicService;
    expect(hasWelsh(welsh)).toBe(true);
    // Read in Welsh, a service without a Welsh title shows the English one instead.
    expect(hasWelsh({ ...welsh, title: 'Title', inEnglish: ['title', 'body'] })).toBe(false);
    expect(hasWelsh({ ...welsh, summary: 'Summary', inEnglish: ['summary'] })).toBe(false);
    expect(hasWelsh({ ...welsh, title: ' ', inEnglish: [] })).toBe(false);
    expect(hasWelsh(undefined)).toBe(false);
  });

  it('counts one place for each distinct web address and office, and none for a phone line', () => {
    const base = 'https://example.gov.uk';
    const office = {
      kind: 'in-person',
      address: 'Ebley Mill, Stroud GL5 4UB',
      addressCy: '',
      hours: '',
      hoursCy: '',
    };
    const channels = [
      { kind: 'online-here' },
      { kind: 'phone', number: '01453 766321', hours: '', hoursCy: '' },
      office,
      { ...office, hours: 'Monday to Friday, 9am to 5pm' },
      { kind: 'post', address: office.address, addressCy: '' },
      { kind: 'online-elsewhere', url: `${base}/services/bins` },
      { kind: 'online-elsewhere', url: 'not a web address' },
    ] as PublicService['channels'];
    expect(placeChannelsOf({ slug: 'bins', channels }, base).map((c) => c.kind)).toEqual([
      'online-here',
      'in-person',
      'post',
    ]);
    expect(placeChannelsOf({ slug: 'other', channels }, base)).toHaveLength(4);
  });
});

describe('the reader’s language', () => {
  it('is ?lang= first, then Welsh or English by Accept-Language quality, else English', () => {
    expect(localeOf('en', 'cy')).toBe('en');
    expect(localeOf(undefined, 'cy-GB,cy;q=0.9,en;q=0.8')).toBe('cy');
    expect(localeOf(undefined, 'en-GB,cy;q=0.5')).toBe('en');
    expect(localeOf(undefined, 'fr, cy;q=0.4, en;q=0.3')).toBe('cy');
    expect(localeOf(undefined, 'cy;q=0, en;q=0.1')).toBe('en');
    expect(localeOf(undefined, 'fr')).toBe('en');
    expect(localeOf(undefined, undefined)).toBe('en');
  });
});
