import { describe, expect, it } from 'vitest';
import type { PublicService } from '../../queries/services.js';
import { scriptSafeJson, serviceJsonLd } from './json-ld.js';

const BASE = 'https://joinedup.example';

const SERVICE: PublicService = {
  id: '7b0c7f4e-0000-4000-8000-000000000001',
  slug: 'pay-council-tax-stroud',
  title: 'Pay your Council Tax',
  summary: 'Pay Council Tax to Stroud District Council.',
  body: 'Pay by direct debit.',
  formKey: null,
  requiredLevel: 1,
  organisation: { id: 'org-stroud', slug: 'stroud', name: 'Stroud District Council' },
  audience: 'citizens',
  eligibility: '',
  fees: '£35 for a replacement bill',
  feePence: 3500,
  channels: [
    { kind: 'online-elsewhere', url: 'https://www.stroud.gov.uk/council-tax' },
    {
      kind: 'phone',
      number: '01453 766321',
      hours: 'Monday to Friday, 8am to 6pm',
      hoursCy: 'Dydd Llun i ddydd Gwener, 8am i 6pm',
    },
    {
      kind: 'in-person',
      address: 'Ebley Mill, Westward Road, Stroud GL5 4UB',
      addressCy: 'Melin Ebley, Westward Road, Stroud GL5 4UB',
      hours: 'Monday to Friday, 9am to 5pm',
      hoursCy: '',
    },
    { kind: 'post', address: 'Ebley Mill, Westward Road, Stroud GL5 4UB', addressCy: '' },
  ],
  interactions: [{ type: 'paying', eEnabled: true }],
  providerTier: 'district',
  lifeEvents: ['moving-home'],
  customerGroups: [],
  categories: ['council-tax'],
  businessStages: [],
  serviceKey: 'pay-council-tax',
  publishedAt: new Date('2025-01-01T00:00:00Z'),
  untranslated: false,
  inEnglish: [],
};

/** The parts of the JSON-LD the tests read one by one. */
interface JsonLd extends Record<string, unknown> {
  url: string;
  name: string;
  inLanguage: string;
  serviceType: string[];
  availableChannel: {
    serviceUrl?: string;
    servicePhone?: { hoursAvailable: string };
    serviceLocation?: Record<string, string>;
  }[];
}

function parsed(json: string): JsonLd {
  return JSON.parse(json) as JsonLd;
}

describe('schema.org GovernmentService JSON-LD of a service page', () => {
  it('describes the service, its provider, area, audience, channels and fee', () => {
    const data = parsed(
      serviceJsonLd(SERVICE, BASE, 'en', { name: 'Stroud', gssCode: 'E07000082' }),
    );
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'GovernmentService',
      name: 'Pay your Council Tax',
      description: 'Pay Council Tax to Stroud District Council.',
      url: `${BASE}/services/pay-council-tax-stroud`,
      inLanguage: 'en',
      serviceType: ['Council Tax'],
      provider: {
        '@type': 'GovernmentOrganization',
        name: 'Stroud District Council',
        url: `${BASE}/bodies/stroud`,
      },
      areaServed: { '@type': 'AdministrativeArea', name: 'Stroud', identifier: 'E07000082' },
      audience: { '@type': 'Audience', audienceType: 'Citizens' },
      offers: { '@type': 'Offer', price: '35.00', priceCurrency: 'GBP' },
    });
    expect(data.availableChannel).toEqual([
      {
        '@type': 'ServiceChannel',
        name: 'Online on another site',
        serviceUrl: 'https://www.stroud.gov.uk/council-tax',
      },
      {
        '@type': 'ServiceChannel',
        name: 'By phone',
        servicePhone: {
          '@type': 'ContactPoint',
          telephone: '01453 766321',
          hoursAvailable: 'Monday to Friday, 8am to 6pm',
        },
      },
      {
        '@type': 'ServiceChannel',
        name: 'In person',
        serviceLocation: {
          '@type': 'Place',
          address: 'Ebley Mill, Westward Road, Stroud GL5 4UB',
          description: 'Monday to Friday, 9am to 5pm',
        },
      },
      {
        '@type': 'ServiceChannel',
        name: 'By post',
        servicePostalAddress: {
          '@type': 'PostalAddress',
          streetAddress: 'Ebley Mill, Westward Road, Stroud',
          postalCode: 'GL5 4UB',
          addressCountry: 'GB',
        },
      },
    ]);
  });

  it('leaves out the area, the service type and the offer when they are not known', () => {
    const data = parsed(serviceJsonLd({ ...SERVICE, categories: [], feePence: null }, BASE, 'en'));
    expect(data).not.toHaveProperty('areaServed');
    expect(data).not.toHaveProperty('serviceType');
    expect(data).not.toHaveProperty('offers');
  });

  it('is in Welsh on a Welsh page, with Welsh labels and contact details, and English where Welsh is missing', () => {
    const data = parsed(serviceJsonLd(SERVICE, BASE, 'cy'));
    expect(data.url).toBe(`${BASE}/services/pay-council-tax-stroud?lang=cy`);
    expect(data.inLanguage).toBe('cy');
    expect(data.serviceType).toEqual(['Treth Gyngor']);
    expect(data.availableChannel[1]?.servicePhone?.hoursAvailable).toBe(
      'Dydd Llun i ddydd Gwener, 8am i 6pm',
    );
    expect(data.availableChannel[2]?.serviceLocation).toMatchObject({
      address: 'Melin Ebley, Westward Road, Stroud GL5 4UB',
      description: 'Monday to Friday, 9am to 5pm',
    });
    const untranslated = parsed(
      serviceJsonLd(
        { ...SERVICE, untranslated: true, inEnglish: ['title', 'summary', 'body'] },
        BASE,
        'cy',
      ),
    );
    expect(untranslated.inLanguage).toBe('en');
  });

  it('points a service applied for here at its start page', () => {
    const data = parsed(
      serviceJsonLd(
        { ...SERVICE, formKey: 'bulky-waste', channels: [{ kind: 'online-here' }] },
        BASE,
        'cy',
      ),
    );
    expect(data.availableChannel[0]?.serviceUrl).toBe(
      `${BASE}/services/pay-council-tax-stroud/apply`,
    );
  });

  it('cannot close its script element, whatever the title says', () => {
    const title = 'Bins </script><script>alert(1)</script> & <!-- more';
    const json = serviceJsonLd({ ...SERVICE, title }, BASE, 'en');
    expect(json).not.toMatch(/[<>&]/);
    expect(json).toContain('\\u003c/script\\u003e');
    expect(parsed(json).name).toBe(title);
  });

  it('escapes the line separators in any JSON it makes script-safe', () => {
    const json = scriptSafeJson({ text: 'a\u2028b\u2029c' });
    expect(json).toBe('{"text":"a\\u2028b\\u2029c"}');
    expect(JSON.parse(json)).toEqual({ text: 'a\u2028b\u2029c' });
  });
});
