import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { publishService } from '../../commands/publish-service.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';

const BULKY = 'request-a-bulky-waste-collection';

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;|&#8217;/g, '’')
    .replace(/\s+/g, ' ');
}

describe('find your council', () => {
  let app: TestApp;
  let visitor: Visitor;

  beforeAll(async () => {
    app = await startTestApp();
    visitor = new Visitor(app.baseUrl);
    const db = app.platform.database.db;
    const gloucestershire = (await findOrganisationBySlug(db, 'gloucestershire'))!;
    const outcome = await publishService(db, {
      organisationId: gloucestershire.id,
      slug: 'test-county-service-for-find-your-council',
      title: 'Test county service',
      titleCy: 'Gwneud cais am le mewn ysgol',
      summary: 'Apply for a place at a primary or secondary school in Gloucestershire.',
      summaryCy: 'Gwneud cais am le mewn ysgol gynradd neu uwchradd yn Swydd Gaerloyw.',
      body: 'Apply by 15 January.',
      bodyCy: 'Gwnewch gais erbyn 15 Ionawr.',
      keywords: 'school admissions',
      providerTier: 'county',
    });
    expect(outcome.ok ? [] : outcome.errors).toEqual([]);
  }, 60_000);
  afterAll(async () => app?.close());

  it('asks for a postcode, with a label, a hint and no error', async () => {
    const page = await visitor.get('/find-your-council');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1 class="govuk-label-wrapper">');
    expect(page.html).toContain('autocomplete="postal-code"');
    expect(page.html).toContain('novalidate');
    expect(page.html).not.toContain('govuk-error-summary');
  });

  it('shows the county and the district council for a postcode in a two-tier area', async () => {
    const page = await visitor.get('/find-your-council?postcode=gl5+4ub');
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain('Councils for GL5 4UB');
    expect(words).toContain('County council Gloucestershire County Council');
    expect(words).toContain('District council Stroud District Council');
  });

  it('shows one council for a unitary area, in Welsh when asked', async () => {
    const page = await new Visitor(app.baseUrl).get('/find-your-council?postcode=CF10+4UW&lang=cy');
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain('Cynghorau ar gyfer CF10 4UW');
    expect(words).toContain('Cyngor Cyngor Caerdydd');
    expect(words).not.toContain('Cyngor sir');
  });

  it('sends a Stroud address to Stroud’s own bulky waste service', async () => {
    const page = await visitor.get(`/find-your-council?service=${BULKY}&postcode=GL5+4UB`);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain(
      'Stroud District Council provides ‘Request a bulky waste collection’ for GL5 4UB',
    );
    expect(page.html).toContain(`href="/services/${BULKY}"`);
  });

  it('tells a Cheltenham resident their district council does not offer the service online here', async () => {
    const page = await visitor.get(`/find-your-council?service=${BULKY}&postcode=GL50+1PP`);
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain(
      'Cheltenham Borough Council provides ‘Request a bulky waste collection’ for GL50 1PP',
    );
    expect(words).toContain(
      'Cheltenham Borough Council does not offer this service online here. Contact Cheltenham Borough Council',
    );
    expect(page.html).not.toContain('govuk-button--start');
  });

  it('sends a county service in Stroud to the county council, not the district', async () => {
    const page = await visitor.get(
      '/find-your-council?service=test-county-service-for-find-your-council&postcode=GL5+4UB',
    );
    expect(text(page.html)).toContain(
      'Gloucestershire County Council provides ‘Test county service’ for GL5 4UB',
    );
    expect(page.html).toContain('href="/services/test-county-service-for-find-your-council"');
  });

  it('finds the responsible body’s version by its service key, even under another title', async () => {
    const page = await visitor.get(
      '/find-your-council?service=join-the-library-gloucestershire&postcode=BS1+5TR',
    );
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain(
      'Bristol City Council provides ‘Join the library’ for BS1 5TR',
    );
    expect(page.html).toContain('href="/services/bristol-libraries"');
  });

  it('points to GOV.UK for a council that is not on the site', async () => {
    const page = await visitor.get('/find-your-council?tier=district&postcode=GL1+2TG');
    expect(text(page.html)).toContain('Gloucester is not on this site yet.');
    expect(page.html).toContain('href="https://www.gov.uk/find-local-council"');
  });

  it('explains that a postcode near a council boundary is placed where the ONS directory puts it', async () => {
    const page = await visitor.get('/find-your-council?postcode=BS16+1QY');
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain('Council South Gloucestershire');
    expect(words).toContain('BS16 1QY is near a council boundary');
  });

  const BAD: [string, string, string][] = [
    ['an empty postcode', '', 'Enter a postcode'],
    ['a malformed postcode', 'GL5', 'Enter a full UK postcode, like GL5 4UB'],
    [
      'an unknown postcode',
      'gl59zz',
      'We cannot find the postcode GL5 9ZZ. Check it and try again',
    ],
    ['a terminated postcode', 'GL5 2ZZ', 'GL5 2ZZ stopped being used in April 2015'],
    [
      'a non-geographic postcode',
      'CF99 1SN',
      'CF99 1SN is for post only, like a PO box, not for a place',
    ],
  ];
  for (const [what, postcode, message] of BAD) {
    it(`answers ${what} with 400 and an error summary linking to the postcode box`, async () => {
      const page = await visitor.get(`/find-your-council?postcode=${encodeURIComponent(postcode)}`);
      expect(page.status).toBe(400);
      expect(page.html).toContain('govuk-error-summary');
      expect(page.html).toContain('href="#postcode"');
      expect(text(page.html)).toContain(message);
      expect(page.html).toMatch(/<title>Error: /);
    });
  }

  it('says in Welsh when a postcode stopped being used', async () => {
    const page = await new Visitor(app.baseUrl).get('/find-your-council?postcode=GL5+2ZZ&lang=cy');
    expect(page.status).toBe(400);
    expect(text(page.html)).toContain('Daeth GL5 2ZZ i ben ym mis Ebrill 2015');
    expect(text(page.html)).toContain('Gwall: Daeth GL5 2ZZ');
  });

  it('gives 404 for a service that does not exist', async () => {
    expect(
      (await visitor.get('/find-your-council?service=no-such-service&postcode=GL5+4UB')).status,
    ).toBe(404);
  });
});
