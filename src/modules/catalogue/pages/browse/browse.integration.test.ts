import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { createOrganisation } from '../../../organisations/index.js';
import { BUSINESS_STAGES, CATEGORIES, LIFE_EVENTS } from '../../vocabularies.js';

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
  // Two Welsh bodies whose Welsh names start with a letter of two characters (Ch, Ll).
  for (const body of [
    { slug: 'sport-wales', name: 'Sport Wales', nameCy: 'Chwaraeon Cymru', type: 'other' },
    {
      slug: 'welsh-government',
      name: 'Welsh Government',
      nameCy: 'Llywodraeth Cymru',
      type: 'central-department',
    },
  ] as const) {
    const outcome = await createOrganisation(db(), body);
    expect(outcome.ok ? [] : outcome.errors).toEqual([]);
  }
}, 60_000);
afterAll(async () => {
  await app?.close();
});

/** The words of a page, without tags, with the entities our templates produce decoded. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;|&#8217;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The slugs of the services a page links to, in the order it shows them. */
function serviceLinks(html: string): string[] {
  return [...html.matchAll(/href="\/services\/([^"/?#]+)"/g)].map((m) => m[1]!);
}

/** The main content of a page, without the header and footer. */
function main(html: string): string {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}

/** The published services whose jsonb array column holds the term, with their body's slug. */
async function servicesWith(
  column: 'categories' | 'life_events' | 'business_stages',
  term: string,
) {
  const { rows } = await sql<{ slug: string; title: string; title_cy: string; body: string }>`
    select services.slug, services.title, services.title_cy, organisations.slug as body
      from services join organisations on organisations.id = services.organisation_id
     where services.status = 'published' and ${sql.ref(`services.${column}`)} @> ${JSON.stringify([term])}::jsonb`.execute(
    db(),
  );
  return rows;
}

function count(n: number, locale: 'en' | 'cy' = 'en') {
  if (locale === 'cy') return n === 0 ? 'dim gwasanaethau' : `${n} gwasanaeth`;
  return n === 0 ? 'no services' : n === 1 ? '1 service' : `${n} services`;
}

describe('the home page', () => {
  it('shows every topic and life event with its number of services, below the search', async () => {
    const page = await new Visitor(app.baseUrl).get('/');
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain('Search for a service');
    expect(words).toContain('Browse by topic');
    expect(words).toContain('Browse by life event');
    for (const topic of CATEGORIES) {
      const n = (await servicesWith('categories', topic.value)).length;
      expect(page.html).toContain(`href="/browse/${topic.value}"`);
      expect(words).toContain(`${topic.en} (${count(n)})`);
    }
    for (const event of LIFE_EVENTS) {
      const n = (await servicesWith('life_events', event.value)).length;
      expect(page.html).toContain(`href="/life-events/${event.value}"`);
      expect(words).toContain(`${event.en} (${count(n)})`);
    }
    expect(page.html).toContain('href="/business-services"');
    expect(page.html).toContain('href="/bodies"');
  });

  it('no longer lists every service until someone searches, and then shows results, not the lists', async () => {
    const home = await new Visitor(app.baseUrl).get('/');
    expect(serviceLinks(home.html)).toEqual([]);
    const search = await new Visitor(app.baseUrl).get('/?q=bulky+waste');
    expect(serviceLinks(search.html)[0]).toBe('request-a-bulky-waste-collection');
    expect(search.html).not.toContain('Browse by topic');
    const filtered = await new Visitor(app.baseUrl).get('/?body=cardiff');
    expect(serviceLinks(filtered.html)).toContain('pay-council-tax-cardiff');
  });

  it('is in Welsh with Welsh topic names and counts', async () => {
    const page = await new Visitor(app.baseUrl).get('/?lang=cy');
    const words = text(page.html);
    expect(words).toContain('Pori yn ôl pwnc');
    expect(words).toContain('Pori yn ôl digwyddiad bywyd');
    expect(words).toContain('A i Y o gyrff cyhoeddus');
    const waste = (await servicesWith('categories', 'waste')).length;
    expect(words).toContain(`Biniau, gwastraff ac ailgylchu (${count(waste, 'cy')})`);
  });
});

describe('a topic page', () => {
  it('lists exactly the services on that topic, by title, with their body', async () => {
    const page = await new Visitor(app.baseUrl).get('/browse/waste');
    expect(page.status).toBe(200);
    const expected = await servicesWith('categories', 'waste');
    expect(expected.length).toBeGreaterThan(3);
    const shown = serviceLinks(main(page.html));
    expect([...shown].sort()).toEqual(expected.map((s) => s.slug).sort());
    const titleOf = new Map(expected.map((s) => [s.slug, s.title]));
    const titles = shown.map((slug) => titleOf.get(slug)!);
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'en')));
    const words = text(page.html);
    expect(words).toContain('Bins, waste and recycling');
    expect(words).toContain('Stroud District Council');
    expect(page.html).toContain('govuk-breadcrumbs');
  });

  it('is in Welsh, titles and all, ordered by the Welsh titles', async () => {
    const page = await new Visitor(app.baseUrl).get('/browse/waste?lang=cy');
    const words = text(page.html);
    expect(words).toContain('Biniau, gwastraff ac ailgylchu');
    expect(words).toContain('Gofyn am gasgliad gwastraff swmpus');
    expect(words).toContain('Cyngor Dosbarth Stroud');
    expect(words).toContain('Hafan');
    const titleOf = new Map(
      (await servicesWith('categories', 'waste')).map((s) => [s.slug, s.title_cy]),
    );
    const titles = serviceLinks(main(page.html)).map((slug) => titleOf.get(slug)!);
    const welsh = new Intl.Collator('cy', { sensitivity: 'base', numeric: true });
    expect(titles).toEqual([...titles].sort(welsh.compare));
  });

  it('lists only its own services on another topic', async () => {
    const page = await new Visitor(app.baseUrl).get('/browse/council-tax');
    const expected = await servicesWith('categories', 'council-tax');
    expect(serviceLinks(main(page.html)).sort()).toEqual(expected.map((s) => s.slug).sort());
    expect(serviceLinks(main(page.html))).not.toContain('request-a-bulky-waste-collection');
  });
});

describe('a life event page', () => {
  it('introduces the event and shows central government’s services apart from councils’', async () => {
    const page = await new Visitor(app.baseUrl).get('/life-events/having-a-baby');
    expect(page.status).toBe(200);
    const html = main(page.html);
    expect(text(html)).toContain('Register the birth');
    const [centralHtml, localHtml] = html.split('From your council');
    expect(text(centralHtml!)).toContain('From central government');
    const expected = await servicesWith('life_events', 'having-a-baby');
    const central = expected.filter((s) => ['dwp', 'cabinet-office'].includes(s.body));
    const local = expected.filter((s) => !['dwp', 'cabinet-office'].includes(s.body));
    expect(central.length).toBeGreaterThan(0);
    expect(local.length).toBeGreaterThan(0);
    expect(serviceLinks(centralHtml!).sort()).toEqual(central.map((s) => s.slug).sort());
    expect(serviceLinks(localHtml!).sort()).toEqual(local.map((s) => s.slug).sort());
    expect(text(localHtml!)).toContain('Gloucestershire County Council');
    expect(text(localHtml!)).toContain('Cardiff Council');
    expect(localHtml).toContain('href="/find-your-council"');
  });

  it('is in Welsh with Welsh headings', async () => {
    const page = await new Visitor(app.baseUrl).get('/life-events/having-a-baby?lang=cy');
    const words = text(page.html);
    expect(words).toContain('Cael babi');
    expect(words).toContain('Gan y llywodraeth ganolog');
    expect(words).toContain('Gan eich cyngor');
    expect(words).toContain('Cofrestru’r enedigaeth');
    expect(words).toContain('Cyngor Caerdydd');
  });

  it('has an introduction in both languages for every life event', async () => {
    const visitor = new Visitor(app.baseUrl);
    for (const event of LIFE_EVENTS) {
      for (const lang of ['en', 'cy']) {
        const page = await visitor.get(`/life-events/${event.value}?lang=${lang}`);
        expect(page.status, event.value).toBe(200);
        expect(page.html, `${event.value} ${lang}`).not.toContain('catalogue.browse.');
      }
    }
  });
});

describe('the business section', () => {
  it('shows the five stages of a business’s life, each with a description and its services', async () => {
    const page = await new Visitor(app.baseUrl).get('/business-services');
    expect(page.status).toBe(200);
    const words = text(page.html);
    let position = -1;
    for (const stage of BUSINESS_STAGES) {
      expect(page.html).toContain(`href="/business-services/${stage.value}"`);
      const at = words.indexOf(stage.en);
      expect(at, stage.value).toBeGreaterThan(position);
      position = at;
    }
    expect(words).toContain('Tell the council and government when you stop trading');
    expect(serviceLinks(page.html)).toContain('business-rates-moving-out-stroud');
  });

  it.each(BUSINESS_STAGES.map((s) => s.value))(
    'the ‘%s’ stage lists exactly its services, at least one',
    async (stage) => {
      const page = await new Visitor(app.baseUrl).get(`/business-services/${stage}`);
      expect(page.status).toBe(200);
      const expected = await servicesWith('business_stages', stage);
      expect(expected.length).toBeGreaterThan(0);
      expect(serviceLinks(main(page.html)).sort()).toEqual(expected.map((s) => s.slug).sort());
      expect(page.html).toContain('href="/business-services"');
    },
  );

  it('includes moving out of a business property when closing', async () => {
    const page = await new Visitor(app.baseUrl).get('/business-services/close');
    expect(text(page.html)).toContain('Tell us you are moving out of a business property');
  });

  it('is in Welsh with Welsh headings', async () => {
    const overview = text((await new Visitor(app.baseUrl).get('/business-services?lang=cy')).html);
    expect(overview).toContain('Gwasanaethau i fusnesau');
    for (const stage of BUSINESS_STAGES) expect(overview).toContain(stage.cy);
    const close = text(
      (await new Visitor(app.baseUrl).get('/business-services/close?lang=cy')).html,
    );
    expect(close).toContain('Cau neu werthu');
    expect(close).toContain('Busnes');
  });
});

/** Each letter heading of the A–Z and the body names under it. */
function letters(html: string): [string, string[]][] {
  const sections = main(html)
    .split(/<h2 [^>]*id="letter-[^"]+"[^>]*>/)
    .slice(1);
  return sections.map((section) => {
    const letter = section.slice(0, section.indexOf('</h2>')).trim();
    const names = [...section.matchAll(/<a [^>]*href="\/bodies\/[^"]+"[^>]*>([^<]+)<\/a>/g)].map(
      (m) => m[1]!.replace(/&#39;/g, '’'),
    );
    return [letter, names];
  });
}

describe('the A–Z of public bodies', () => {
  it('lists every body under its first letter, in alphabetical order, with its kind', async () => {
    const page = await new Visitor(app.baseUrl).get('/bodies');
    expect(page.status).toBe(200);
    expect(letters(page.html)).toEqual([
      ['B', ['Bristol City Council']],
      ['C', ['Cabinet Office', 'Cardiff Council', 'Cheltenham Borough Council']],
      ['D', ['Department for Work and Pensions']],
      ['G', ['Gloucestershire County Council', 'Gloucestershire Customer Contact Centre']],
      ['S', ['Sport Wales', 'Stroud District Council']],
      ['W', ['Welsh Government']],
    ]);
    const words = text(page.html);
    expect(words).toContain('Stroud District Council District council ·');
    expect(words).toContain('Gloucestershire County Council County council ·');
    expect(words).toContain('Department for Work and Pensions Government department ·');
    expect(words).toContain('Cardiff Council Unitary council in Wales ·');
    expect(words).toContain('Sport Wales Other public body · no services');
    expect(page.html).toContain('href="#letter-b"');
    expect(page.html).not.toContain('href="#letter-a"');
  });

  it('sorts Welsh names in Welsh: C before Ch, L before Ll, with Welsh letters in the navigation', async () => {
    const page = await new Visitor(app.baseUrl).get('/bodies?lang=cy');
    expect(letters(page.html)).toEqual([
      [
        'C',
        [
          'Canolfan Gyswllt Cwsmeriaid Swydd Gaerloyw',
          'Cyngor Bwrdeistref Cheltenham',
          'Cyngor Caerdydd',
          'Cyngor Dinas Bryste',
          'Cyngor Dosbarth Stroud',
          'Cyngor Sir Swydd Gaerloyw',
        ],
      ],
      ['Ch', ['Chwaraeon Cymru']],
      ['Ll', ['Llywodraeth Cymru']],
      ['S', ['Swyddfa’r Cabinet']],
      ['Y', ['Yr Adran Gwaith a Phensiynau']],
    ]);
    const words = text(page.html);
    expect(words).toContain('A i Y o gyrff cyhoeddus');
    expect(words).toContain('Cyngor Dosbarth Stroud Cyngor dosbarth ·');
    expect(words).toContain('Yr Adran Gwaith a Phensiynau Adran o’r llywodraeth ·');
    expect(page.html).toContain('href="#letter-ch"');
    expect(page.html).toContain('href="#letter-ll"');
  });
});

describe('a body’s page', () => {
  it('shows its kind, its county, its contact details and exactly its published services', async () => {
    const page = await new Visitor(app.baseUrl).get('/bodies/stroud');
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain('Stroud District Council');
    expect(words).toContain('Type of body District council');
    expect(page.html).toContain('href="/bodies/gloucestershire"');
    expect(words).toContain('01453 766321');
    expect(words).toContain('Ebley Mill, Westward Road, Stroud GL5 4UB');
    const { rows } = await sql<{ slug: string }>`
      select services.slug from services join organisations on organisations.id = services.organisation_id
       where organisations.slug = 'stroud' and services.status = 'published'`.execute(db());
    expect(rows.length).toBeGreaterThan(5);
    expect(serviceLinks(main(page.html)).sort()).toEqual(rows.map((r) => r.slug).sort());
  });

  it('shows a county’s district councils', async () => {
    const page = await new Visitor(app.baseUrl).get('/bodies/gloucestershire');
    expect(page.html).toContain('href="/bodies/stroud"');
    expect(page.html).toContain('href="/bodies/cheltenham"');
    expect(serviceLinks(main(page.html))).toContain('register-a-birth-gloucestershire');
  });

  it('says when a body publishes no services yet', async () => {
    const page = await new Visitor(app.baseUrl).get('/bodies/sport-wales');
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('There are no services here yet.');
    expect(serviceLinks(main(page.html))).toEqual([]);
  });

  it('is in Welsh with the Welsh name and headings', async () => {
    const page = await new Visitor(app.baseUrl).get('/bodies/cardiff?lang=cy');
    const words = text(page.html);
    expect(words).toContain('Cyngor Caerdydd');
    expect(words).toContain('Math o gorff Cyngor unedol yng Nghymru');
    expect(words).toContain('Gwasanaethau ar y wefan hon');
    expect(page.html).toContain('aria-label="Briwsion bara"');
    expect(words).toContain('Hyb y Llyfrgell Ganolog, Yr Aes, Caerdydd CF10 1FL');
  });
});

describe('pages that do not exist', () => {
  it.each([
    '/browse/nothing',
    '/browse/',
    '/life-events/winning-the-lottery',
    '/business-services/retire',
    '/bodies/nobody',
    '/bodies/Stroud',
    `/bodies/${'a'.repeat(61)}`,
  ])('%s is 404', async (path) => {
    const response = await new Visitor(app.baseUrl).get(path);
    expect(response.status).toBe(404);
  });

  it('are 404 in Welsh too', async () => {
    const response = await new Visitor(app.baseUrl).get('/life-events/nothing?lang=cy');
    expect(response.status).toBe(404);
    expect(response.html).toContain('<html lang="cy"');
  });
});
