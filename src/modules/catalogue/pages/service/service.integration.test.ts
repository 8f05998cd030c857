import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { importOnspd } from '../../../address/index.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';
import { findVersionOfService, publishService, servicesWithKey } from '../../index.js';

const STROUD_COUNCIL_TAX = '/services/pay-council-tax-stroud';
const SCHOOL_PLACE = '/services/apply-for-a-school-place-gloucestershire';
const GARDEN_WASTE = '/services/garden-waste-subscription-stroud';
const ENGLISH_ONLY = 'hire-the-stroud-marquee';

function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;|&#8217;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The JSON-LD script elements of a page: their nonce and their text. */
function jsonLdScripts(html: string) {
  return [
    ...html.matchAll(
      /<script type="application\/ld\+json"( nonce="([^"]*)")?>([\s\S]*?)<\/script>/g,
    ),
  ].map((m) => ({ nonce: m[2], json: m[3]! }));
}

describe('the public service page', () => {
  let app: TestApp;
  const visitor = () => new Visitor(app.baseUrl);

  beforeAll(async () => {
    app = await startTestApp();
    const db = app.platform.database.db;
    const stroud = (await findOrganisationBySlug(db, 'stroud'))!;
    const outcome = await publishService(db, {
      organisationId: stroud.id,
      slug: ENGLISH_ONLY,
      title: 'Hire the council marquee',
      titleCy: '',
      summary: 'Hire the district council’s marquee for a community event.',
      summaryCy: '',
      body: 'Book at least 4 weeks ahead.\n\nWe put it up and take it down.',
      bodyCy: '',
      eligibility: 'Community groups in the district.',
      eligibilityCy: 'Grwpiau cymunedol yn y dosbarth.',
      providerTier: 'district',
      channels: [{ kind: 'phone', number: '01453 766321', hours: '9am to 5pm', hoursCy: '' }],
    });
    expect(outcome.ok ? [] : outcome.errors).toEqual([]);
    // A postcode in no local authority area (ONSPD's pseudo code), as offshore postcodes are.
    await importOnspd(db, ['pcds,oslaua,osgrdind,lat,long\nGY1 1AA,L99999999,1,49.45,-2.54\n']);
  }, 60_000);
  afterAll(async () => app?.close());

  describe('asks for a postcode when several bodies provide the service', () => {
    it('asks on a district service which council the page is for, before the start button', async () => {
      const page = await visitor().get('/services/request-a-bulky-waste-collection');
      expect(page.status).toBe(200);
      const words = text(page.html);
      expect(words).toContain('Check this is the right council');
      expect(words).toContain('This page is for Stroud District Council.');
      expect(page.html).toContain(
        'action="/services/request-a-bulky-waste-collection/where" novalidate',
      );
      expect(page.html).toContain('autocomplete="postal-code"');
      expect(page.html.indexOf('id="postcode"')).toBeLessThan(
        page.html.indexOf('govuk-button--start'),
      );
    });

    it('sends a Bristol postcode on Stroud’s pay-council-tax page to Bristol’s, which confirms it', async () => {
      const person = visitor();
      const sent = await person.get(`${STROUD_COUNCIL_TAX}/where?postcode=bs1+5tr`);
      expect(sent.status).toBe(303);
      expect(sent.headers.get('location')).toBe(
        '/services/pay-council-tax-bristol?postcode=BS1+5TR',
      );
      const page = await person.get(sent.headers.get('location')!);
      expect(page.status).toBe(200);
      const words = text(page.html);
      expect(words).toContain('Bristol City Council');
      expect(words).toContain('This is the service for BS1 5TR');
      expect(page.html).toContain('govuk-notification-banner--success');
    });

    it('keeps a Cheltenham postcode on a county service with Gloucestershire', async () => {
      const page = await visitor().get(`${SCHOOL_PLACE}/where?postcode=GL50+1PP`);
      expect(page.status).toBe(200);
      const words = text(page.html);
      expect(words).toContain('This is the service for GL50 1PP');
      expect(words).toContain('Gloucestershire County Council provides this service at GL50 1PP.');
      expect(words).toContain('Apply for a school place');
    });

    it('sends a district service in a two-tier area to the district council, not the county', async () => {
      const sent = await visitor().get(`${STROUD_COUNCIL_TAX}/where?postcode=GL50+1PP`);
      expect(sent.status).toBe(303);
      expect(sent.headers.get('location')).toBe(
        '/services/pay-council-tax-cheltenham?postcode=GL50+1PP',
      );
    });

    it('names the responsible body when it has no version of the service here', async () => {
      const page = await visitor().get(`${GARDEN_WASTE}/where?postcode=GL50+1PP`);
      expect(page.status).toBe(200);
      const words = text(page.html);
      expect(words).toContain(
        'Cheltenham Borough Council provides ‘Subscribe to garden waste collections’ for GL50 1PP',
      );
      expect(words).toContain(
        'Cheltenham Borough Council does not offer this service on this site yet.',
      );
      expect(page.html).toContain('href="https://www.gov.uk/find-local-council"');
      expect(page.html).toContain('href="/find-your-council?postcode=GL50%201PP"');
    });

    it('names a council that is not on the site from the ONS list of areas', async () => {
      const page = await visitor().get(`${STROUD_COUNCIL_TAX}/where?postcode=GL1+2TG`);
      expect(page.status).toBe(200);
      expect(text(page.html)).toContain('Gloucester does not offer this service on this site yet.');
    });

    it('says so in Welsh for a Welsh reader', async () => {
      const page = await visitor().get(`${GARDEN_WASTE}/where?postcode=GL50+1PP&lang=cy`);
      expect(text(page.html)).toContain('yn cynnig y gwasanaeth hwn ar y wefan hon eto');
    });

    it('does not confirm a postcode a link gives for another body’s area', async () => {
      const page = await visitor().get(`${STROUD_COUNCIL_TAX}?postcode=BS1+5TR`);
      expect(page.status).toBe(200);
      expect(text(page.html)).not.toContain('This is the service for');
      expect(page.html).not.toContain('value="BS1 5TR"');
    });

    const BAD: [string, string, string][] = [
      ['an empty postcode', '', 'Enter a postcode'],
      ['a malformed postcode', 'GL5', 'Enter a full UK postcode, like GL5 4UB'],
      ['an unknown postcode', 'gl59zz', 'We cannot find the postcode GL5 9ZZ'],
      ['a terminated postcode', 'GL5 2ZZ', 'GL5 2ZZ stopped being used in April 2015'],
      ['a non-geographic postcode', 'CF99 1SN', 'CF99 1SN is for post only, like a PO box'],
      ['a postcode in no council area', 'GY1 1AA', 'GY1 1AA is not in a local council area'],
    ];
    for (const [what, postcode, message] of BAD) {
      it(`answers ${what} with 400, the service page and an error summary`, async () => {
        const page = await visitor().get(
          `${STROUD_COUNCIL_TAX}/where?postcode=${encodeURIComponent(postcode)}`,
        );
        expect(page.status).toBe(400);
        expect(page.html).toMatch(/<title>Error: Pay your Council Tax/);
        expect(page.html).toContain('govuk-error-summary');
        expect(page.html).toContain('href="#postcode"');
        expect(page.html).toContain('govuk-input--error');
        expect(text(page.html).match(new RegExp(message, 'g'))).toHaveLength(2);
      });
    }

    it('gives the error in Welsh on a Welsh page', async () => {
      const page = await visitor().get(`${STROUD_COUNCIL_TAX}/where?postcode=GL5+2ZZ&lang=cy`);
      expect(page.status).toBe(400);
      expect(text(page.html)).toContain('Daeth GL5 2ZZ i ben ym mis Ebrill 2015');
    });

    it('never asks on a central government service', async () => {
      const page = await visitor().get('/services/universal-credit');
      expect(page.status).toBe(200);
      expect(text(page.html)).not.toContain('Check this is the right council');
      expect(page.html).not.toContain('id="postcode"');
      const where = await visitor().get('/services/universal-credit/where?postcode=GL5+4UB');
      expect(where.status).toBe(303);
      expect(where.headers.get('location')).toBe('/services/universal-credit');
    });

    it('lists every body’s version of a service by its key, and finds one body’s', async () => {
      const db = app.platform.database.db;
      const versions = await servicesWithKey(db, 'pay-council-tax', 'cy');
      expect(versions.map((s) => s.organisation.slug).sort()).toEqual([
        'bristol',
        'cardiff',
        'cheltenham',
        'stroud',
      ]);
      const cardiff = (await findOrganisationBySlug(db, 'cardiff'))!;
      const gloucestershire = (await findOrganisationBySlug(db, 'gloucestershire'))!;
      expect((await findVersionOfService(db, 'pay-council-tax', cardiff.id, 'cy'))?.slug).toBe(
        'pay-council-tax-cardiff',
      );
      expect(
        await findVersionOfService(db, 'pay-council-tax', gloucestershire.id, 'en'),
      ).toBeUndefined();
    });

    it('offers reminders about the service, leading to the reminders page for it', async () => {
      const page = await visitor().get(STROUD_COUNCIL_TAX);
      expect(page.html).toContain('href="/reminders/new?service=pay-council-tax-stroud"');
      const welsh = await visitor().get(`${STROUD_COUNCIL_TAX}?lang=cy`);
      expect(text(welsh.html)).toContain('Cael nodiadau atgoffa am y gwasanaeth hwn');
    });

    it('gives 404 for a service that does not exist', async () => {
      expect((await visitor().get('/services/no-such-service/where?postcode=GL5+4UB')).status).toBe(
        404,
      );
    });
  });

  describe('schema.org JSON-LD', () => {
    it('describes the service as a GovernmentService that the CSP nonce allows', async () => {
      const page = await visitor().get(STROUD_COUNCIL_TAX);
      const scripts = jsonLdScripts(page.html);
      expect(scripts).toHaveLength(1);
      const data = JSON.parse(scripts[0]!.json) as Record<string, unknown>;
      expect(data).toMatchObject({
        '@context': 'https://schema.org',
        '@type': 'GovernmentService',
        name: 'Pay your Council Tax',
        url: expect.stringMatching(/^https?:\/\/[^/]+\/services\/pay-council-tax-stroud$/),
        provider: { '@type': 'GovernmentOrganization', name: 'Stroud District Council' },
        areaServed: { '@type': 'AdministrativeArea', name: 'Stroud', identifier: 'E07000082' },
        serviceType: ['Council Tax'],
      });
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain(`'nonce-${scripts[0]!.nonce}'`);
    });

    it('is on a central government service too, in Welsh on a Welsh page', async () => {
      const page = await visitor().get('/services/universal-credit?lang=cy');
      const data = JSON.parse(jsonLdScripts(page.html)[0]!.json) as Record<string, unknown>;
      expect(data).toMatchObject({
        '@type': 'GovernmentService',
        name: 'Gwneud cais am Gredyd Cynhwysol',
        inLanguage: 'cy',
      });
    });
  });

  describe('a Welsh page of a service with no Welsh text yet', () => {
    it('shows the English text, marked as English, with a notice in Welsh', async () => {
      const page = await visitor().get(`/services/${ENGLISH_ONLY}?lang=cy`);
      expect(page.status).toBe(200);
      const words = text(page.html);
      expect(words).toContain('Nid yw’r dudalen hon wedi’i chyfieithu i’r Gymraeg eto');
      expect(page.html).toContain(
        '<h1 class="govuk-heading-xl" lang="en">Hire the council marquee</h1>',
      );
      expect(page.html).toMatch(/<p class="govuk-body-l" lang="en">Hire the district council/);
      expect(page.html).toMatch(/<div lang="en"><p class="govuk-body">Book at least 4 weeks ahead/);
      // The eligibility has Welsh, so it is shown in Welsh and not marked.
      expect(page.html).toContain('<p class="govuk-body">Grwpiau cymunedol yn y dosbarth.</p>');
      expect(page.html).toContain('<span lang="en">9am to 5pm</span>');
      expect(page.html).toContain('<html lang="cy"');
    });

    it('shows no notice in English, nor on a Welsh page that is translated', async () => {
      const english = await visitor().get(`/services/${ENGLISH_ONLY}`);
      expect(english.html).not.toContain('app-untranslated-notice');
      expect(english.html).not.toContain('lang="en">Hire');
      const welsh = await visitor().get(`${STROUD_COUNCIL_TAX}?lang=cy`);
      expect(welsh.html).not.toContain('app-untranslated-notice');
      expect(text(welsh.html)).toContain('Talu eich Treth Gyngor');
    });
  });
});
