import type { Locale } from '../../../../platform/i18n/i18n.js';
import type { PublicService } from '../../queries/services.js';
import { AUDIENCES, CATEGORIES, CHANNEL_KINDS, labelOf, type Channel } from '../../vocabularies.js';

/** The area a body serves, when it is known: its ONS name and GSS code. */
export interface AreaServed {
  name: string;
  gssCode: string;
}

type Thing = Record<string, unknown>;

/** A UK postcode at the end of an address written on one line. */
const TRAILING_POSTCODE = /,?\s*([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\s*$/i;

function postalAddress(text: string): Thing {
  const match = TRAILING_POSTCODE.exec(text);
  return {
    '@type': 'PostalAddress',
    streetAddress: match ? text.slice(0, match.index).trim() : text,
    ...(match ? { postalCode: match[1]!.toUpperCase() } : {}),
    addressCountry: 'GB',
  };
}

function channelOf(channel: Channel, service: PublicService, pageUrl: string, locale: Locale) {
  const welsh = (english: string, cy: string) => (locale === 'cy' && cy.trim() ? cy : english);
  const base: Thing = {
    '@type': 'ServiceChannel',
    name: labelOf(CHANNEL_KINDS, channel.kind, locale),
  };
  switch (channel.kind) {
    case 'online-here':
      return { ...base, serviceUrl: service.formKey ? `${pageUrl.split('?')[0]}/apply` : pageUrl };
    case 'online-elsewhere':
      return { ...base, serviceUrl: channel.url };
    case 'phone':
      return {
        ...base,
        servicePhone: {
          '@type': 'ContactPoint',
          telephone: channel.number,
          hoursAvailable: welsh(channel.hours, channel.hoursCy),
        },
      };
    case 'in-person':
      return {
        ...base,
        serviceLocation: {
          '@type': 'Place',
          address: welsh(channel.address, channel.addressCy),
          description: welsh(channel.hours, channel.hoursCy),
        },
      };
    case 'post':
      return {
        ...base,
        servicePostalAddress: postalAddress(welsh(channel.address, channel.addressCy)),
      };
  }
}

/**
 * JSON text that is safe inside an HTML `<script>` element: `<`, `>` and `&` are written as
 * JSON escapes, so a title holding `</script>` or `<!--` cannot end the element, and the line
 * separators JavaScript once refused are escaped too. `JSON.parse` reads back the same value.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A service as schema.org `GovernmentService` JSON-LD, for search engines and other machines
 * reading the service page: its name, description, provider and area, audience, the channels to
 * use it on (web, phone, in person, post) and its fee. Returned as script-safe JSON text for a
 * `<script type="application/ld+json">` element (not executed, so the CSP does not apply).
 *
 * @example serviceJsonLd(service, 'https://joinedup.example', 'cy', { name: 'Stroud', gssCode: 'E07000082' })
 */
export function serviceJsonLd(
  service: PublicService,
  baseUrl: string,
  locale: Locale,
  area?: AreaServed,
): string {
  const pageUrl = `${baseUrl}/services/${service.slug}${locale === 'cy' ? '?lang=cy' : ''}`;
  const inEnglish = service.inEnglish.includes('title') || service.inEnglish.includes('summary');
  const data: Thing = {
    '@context': 'https://schema.org',
    '@type': 'GovernmentService',
    name: service.title,
    description: service.summary,
    url: pageUrl,
    inLanguage: inEnglish ? 'en' : locale,
    ...(service.categories.length > 0
      ? { serviceType: service.categories.map((c) => labelOf(CATEGORIES, c, locale)) }
      : {}),
    provider: {
      '@type': 'GovernmentOrganization',
      name: service.organisation.name,
      url: `${baseUrl}/bodies/${service.organisation.slug}`,
    },
    ...(area
      ? { areaServed: { '@type': 'AdministrativeArea', name: area.name, identifier: area.gssCode } }
      : {}),
    audience: { '@type': 'Audience', audienceType: labelOf(AUDIENCES, service.audience, locale) },
    availableChannel: service.channels.map((c) => channelOf(c, service, pageUrl, locale)),
    ...(service.feePence !== null
      ? {
          offers: {
            '@type': 'Offer',
            price: (service.feePence / 100).toFixed(2),
            priceCurrency: 'GBP',
            ...(service.fees ? { description: service.fees } : {}),
          },
        }
      : {}),
  };
  return scriptSafeJson(data);
}
