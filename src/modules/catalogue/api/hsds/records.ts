/**
 * The catalogue's services as Open Referral HSDS 3.0 records. A service's channels become its
 * phones, its schedules and its locations (in person → physical, post → postal, online →
 * virtual); its vocabularies become attributes linking taxonomy terms (taxonomies.ts). Records
 * we derive get name-based UUIDs (ids.ts), so the same office is the same location in every
 * service and on every install. The JSON Schemas in ./schema describe exactly what is built here.
 */
import type { Locale } from '../../../../platform/i18n/i18n.js';
import type { OrganisationRow } from '../../../organisations/index.js';
import { lookupGssCode } from '../../../organisations/index.js';
import { parsePostcode } from '../../../address/index.js';
import type { PublicService } from '../../queries/services.js';
import { CHANNEL_KINDS, labelOf, type Channel } from '../../vocabularies.js';
import { hsdsId } from './ids.js';
import { toTerm, termId, VOCABULARIES, type HsdsTaxonomyTerm } from './taxonomies.js';
import {
  AREA_OF,
  fill,
  LANGUAGE_NAMES,
  LEGAL_STATUS,
  LOCAL_TIME_NOTE,
  NATION_NAMES,
  NATIONAL_AREA,
  ORGANISATION_DESCRIPTIONS,
  type Nation,
} from './text.js';

/** The version of HSDS these records follow. */
export const HSDS_VERSION = '3.0';

export type HsdsOrganizationIdentifier = {
  id: string;
  organization_id: string;
  identifier_type: string;
  identifier: string;
};

export type HsdsOrganization = {
  id: string;
  name: string;
  alternate_name?: string;
  description: string;
  legal_status: string;
  parent_organization_id?: string;
  organization_identifiers: HsdsOrganizationIdentifier[];
};

/** The one-to-one fields of a service. */
export type HsdsServiceFields = {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  url: string;
  status: 'active';
  application_process?: string;
  fees_description?: string;
  eligibility_description?: string;
  assured_date?: string;
  last_modified?: string;
};

/** A service as /services lists it: its one-to-one fields and its organization. */
export type HsdsServiceSummary = HsdsServiceFields & { organization: HsdsOrganization };

export type HsdsPhone = {
  id: string;
  service_id: string;
  number: string;
  type: 'voice';
  description?: string;
};

export type HsdsSchedule = {
  id: string;
  service_id: string;
  service_at_location_id?: string;
  freq?: 'WEEKLY';
  byday?: string;
  opens_at?: string;
  closes_at?: string;
  description: string;
  attending_type: string;
  notes?: string;
};

export type HsdsAddress = {
  id: string;
  location_id: string;
  address_1: string;
  city: string;
  state_province: string;
  postal_code: string;
  country: 'GB';
  address_type: 'physical' | 'postal';
};

export type HsdsLocation = {
  id: string;
  location_type: 'physical' | 'postal' | 'virtual';
  organization_id: string;
  name: string;
  description?: string;
  url?: string;
  latitude?: number;
  longitude?: number;
  addresses: HsdsAddress[];
};

export type HsdsServiceAtLocation = {
  id: string;
  service_id: string;
  location_id: string;
  description: string;
  location: HsdsLocation;
  schedules?: HsdsSchedule[];
  /** Only in /service_at_locations listings, which say whose service it is. */
  service?: HsdsServiceSummary;
};

export type HsdsServiceArea = {
  id: string;
  service_id: string;
  name: string;
  description: string;
  uri?: string;
};

export type HsdsLanguage = { id: string; service_id: string; name: string; code: Locale };

export type HsdsCostOption = {
  id: string;
  service_id: string;
  currency: 'GBP';
  amount: number;
  amount_description?: string;
};

export type HsdsAttribute = {
  id: string;
  link_id: string;
  link_entity: 'service';
  taxonomy_term_id: string;
  value?: string;
  taxonomy_term: HsdsTaxonomyTerm;
};

/** A fully nested service, as /services/{id} returns it. */
export type HsdsService = HsdsServiceSummary & {
  phones: HsdsPhone[];
  contacts: never[];
  schedules: HsdsSchedule[];
  service_areas: HsdsServiceArea[];
  service_at_locations: HsdsServiceAtLocation[];
  languages: HsdsLanguage[];
  cost_options: HsdsCostOption[];
  attributes: HsdsAttribute[];
};

/** What we know of a postcode from the ONS Postcode Directory: its nation and where it is. */
export interface Place {
  nation: Nation;
  latitude?: number;
  longitude?: number;
}

/** Everything a record needs beyond the service: the reader's language, our address, places. */
export interface RecordContext {
  locale: Locale;
  baseUrl: string;
  brand: string;
  /** Places by postcode ('GL5 4UB'), looked up once per request (see postcodesOf). */
  places: ReadonlyMap<string, Place>;
}

/** A service to publish: in the reader's language (English filling gaps), and its body. */
export interface ServiceSource {
  service: PublicService;
  organisation: OrganisationRow;
}

/**
 * Does the service have Welsh text of its own? `welsh` is the service read in Welsh, where the
 * English fills any gap (`inEnglish` says which parts it filled).
 */
export function hasWelsh(welsh: PublicService | undefined): boolean {
  return Boolean(
    welsh &&
    welsh.title.trim() &&
    welsh.summary.trim() &&
    !welsh.inEnglish.includes('title') &&
    !welsh.inEnglish.includes('summary'),
  );
}

export function toOrganization(organisation: OrganisationRow, locale: Locale): HsdsOrganization {
  const welshName = organisation.name_cy?.trim() || null;
  const name = (locale === 'cy' && welshName) || organisation.name;
  const alternate = locale === 'cy' ? organisation.name : welshName;
  return {
    id: organisation.id,
    name,
    ...(alternate && alternate !== name ? { alternate_name: alternate } : {}),
    description: ORGANISATION_DESCRIPTIONS[organisation.type][locale],
    legal_status: LEGAL_STATUS[locale],
    ...(organisation.parent_id ? { parent_organization_id: organisation.parent_id } : {}),
    organization_identifiers: organisation.gss_code
      ? [
          {
            id: hsdsId('organization_identifier', organisation.id, 'gss', organisation.gss_code),
            organization_id: organisation.id,
            identifier_type: 'ONS GSS code',
            identifier: organisation.gss_code,
          },
        ]
      : [],
  };
}

/** The date in the UK (YYYY-MM-DD) of a moment. */
function ukDate(moment: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(moment);
}

function text(english: string, welsh: string, locale: Locale): string {
  return (locale === 'cy' && welsh.trim()) || english;
}

/** How to use the service, one channel a line, in the reader's language. */
function applicationProcess(service: PublicService, context: RecordContext): string {
  const { locale } = context;
  return service.channels
    .map((channel) => {
      const label = labelOf(CHANNEL_KINDS, channel.kind, locale);
      switch (channel.kind) {
        case 'online-here':
          return `${label}: ${serviceUrl(service, context)}`;
        case 'online-elsewhere':
          return `${label}: ${channel.url}`;
        case 'phone':
          return `${label}: ${channel.number} (${text(channel.hours, channel.hoursCy, locale)})`;
        case 'in-person':
          return `${label}: ${text(channel.address, channel.addressCy, locale)} (${text(channel.hours, channel.hoursCy, locale)})`;
        case 'post':
          return `${label}: ${text(channel.address, channel.addressCy, locale)}`;
      }
    })
    .join('\n');
}

function serviceUrl(
  service: Pick<PublicService, 'slug'>,
  context: Pick<RecordContext, 'baseUrl'>,
): string {
  return `${context.baseUrl}/services/${encodeURIComponent(service.slug)}`;
}

/** The one-to-one fields of a service. */
export function toServiceFields(source: ServiceSource, context: RecordContext): HsdsServiceFields {
  const { service, organisation } = source;
  const description = [service.summary.trim(), service.body.trim()].filter(Boolean).join('\n\n');
  return {
    id: service.id,
    organization_id: organisation.id,
    name: service.title,
    description: description || service.title,
    url: serviceUrl(service, context),
    status: 'active',
    ...(service.channels.length > 0
      ? { application_process: applicationProcess(service, context) }
      : {}),
    ...(service.fees.trim() ? { fees_description: service.fees.trim() } : {}),
    ...(service.eligibility.trim() ? { eligibility_description: service.eligibility.trim() } : {}),
    ...(service.publishedAt
      ? {
          assured_date: ukDate(service.publishedAt),
          last_modified: service.publishedAt.toISOString(),
        }
      : {}),
  };
}

/** The one-to-one fields of a service and its organization, as /services lists them. */
export function toServiceSummary(
  source: ServiceSource,
  context: RecordContext,
): HsdsServiceSummary {
  return {
    ...toServiceFields(source, context),
    organization: toOrganization(source.organisation, context.locale),
  };
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function clock(hour: string, minute: string | undefined, half: string): string | null {
  let h = Number(hour);
  if (h < 1 || h > 12) return null;
  if (half.toLowerCase() === 'pm' && h !== 12) h += 12;
  if (half.toLowerCase() === 'am' && h === 12) h = 0;
  return `${String(h).padStart(2, '0')}:${minute ?? '00'}`;
}

/**
 * Opening hours written as "Monday to Friday, 9am to 5pm" as an iCalendar weekly rule; null for
 * anything else, which then stays description text only.
 *
 * @example parseHours('Monday to Friday, 8am to 6pm') // { byday: 'MO,TU,WE,TH,FR', opens_at: '08:00', closes_at: '18:00' }
 */
export function parseHours(
  hours: string,
): { byday: string; opens_at: string; closes_at: string } | null {
  const match =
    /^(\w+day) to (\w+day),? (\d{1,2})(?:[:.]([0-5]\d))? ?(am|pm) to (\d{1,2})(?:[:.]([0-5]\d))? ?(am|pm)$/i.exec(
      hours.trim(),
    );
  if (!match) return null;
  const [, fromDay, toDay, openHour, openMinute, openHalf, closeHour, closeMinute, closeHalf] =
    match;
  const from = DAYS.indexOf(fromDay!.toLowerCase());
  const to = DAYS.indexOf(toDay!.toLowerCase());
  const opens = clock(openHour!, openMinute, openHalf!);
  const closes = clock(closeHour!, closeMinute, closeHalf!);
  if (from < 0 || to < 0 || !opens || !closes) return null;
  const days: string[] = [];
  for (let day = from; ; day = (day + 1) % 7) {
    days.push(DAY_CODES[day]!);
    if (day === to) break;
  }
  return { byday: days.join(','), opens_at: opens, closes_at: closes };
}

/** A UK address written on one line, "Ebley Mill, Westward Road, Stroud GL5 4UB", in parts. */
export function splitAddress(
  address: string,
): { address_1: string; city: string; postal_code: string } | null {
  const match = /^(.*?)[,\s]+([A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2})\s*$/.exec(address.trim());
  if (!match) return null;
  const parsed = parsePostcode(match[2]!);
  if (!parsed.ok) return null;
  const parts = match[1]!
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length < 2) return null;
  return {
    address_1: parts.slice(0, -1).join(', '),
    city: parts.at(-1)!,
    postal_code: parsed.postcode,
  };
}

/** Every postcode in the services' addresses, to look up once (see RecordContext.places). */
export function postcodesOf(services: readonly PublicService[]): string[] {
  const found = new Set<string>();
  for (const service of services)
    for (const channel of service.channels)
      if (channel.kind === 'in-person' || channel.kind === 'post') {
        const parts = splitAddress(channel.address);
        if (parts) found.add(parts.postal_code);
      }
  return [...found];
}

const WELSH_AREAS = new Set(['CF', 'LD', 'LL', 'NP', 'SA']);
const SCOTTISH_AREAS = new Set('AB DD DG EH FK G HS IV KA KW KY ML PA PH TD ZE'.split(' '));

/**
 * The nation of a postcode not in our copy of the Postcode Directory, from its area (the letters
 * it starts with). Areas that cross a border (CH, HR, SY, TD …) count as the nation most of
 * their postcodes are in.
 */
export function nationOfPostcodeArea(postcode: string): Nation {
  const area = /^[A-Z]+/.exec(postcode.toUpperCase())?.[0] ?? '';
  if (WELSH_AREAS.has(area)) return 'wales';
  if (SCOTTISH_AREAS.has(area)) return 'scotland';
  if (area === 'BT') return 'northern-ireland';
  return 'england';
}

/** The nation of an ONS GSS code (E…, W…, S…, N…). */
export function nationOfGssCode(code: string): Nation | undefined {
  const nations: Record<string, Nation> = {
    E: 'england',
    W: 'wales',
    S: 'scotland',
    N: 'northern-ireland',
  };
  return nations[code.charAt(0)];
}

type Located = { location: HsdsLocation; channel: Channel };

function locationOf(
  channel: Channel,
  source: ServiceSource,
  context: RecordContext,
): HsdsLocation | null {
  const { service, organisation } = source;
  const { locale } = context;
  if (channel.kind === 'online-here' || channel.kind === 'online-elsewhere') {
    const url = channel.kind === 'online-here' ? serviceUrl(service, context) : channel.url;
    let name: string;
    try {
      name = channel.kind === 'online-here' ? context.brand : new URL(url).host;
    } catch {
      return null;
    }
    return {
      id: hsdsId('location', 'virtual', url),
      location_type: 'virtual',
      organization_id: organisation.id,
      name,
      description: labelOf(CHANNEL_KINDS, channel.kind, locale),
      url,
      addresses: [],
    };
  }
  if (channel.kind !== 'in-person' && channel.kind !== 'post') return null;
  const type = channel.kind === 'in-person' ? 'physical' : 'postal';
  const id = hsdsId('location', organisation.id, type, channel.address);
  const written = text(channel.address, channel.addressCy, locale);
  const parts = splitAddress(written) ?? splitAddress(channel.address);
  const place = parts ? context.places.get(parts.postal_code) : undefined;
  const nation = parts ? (place?.nation ?? nationOfPostcodeArea(parts.postal_code)) : undefined;
  return {
    id,
    location_type: type,
    organization_id: organisation.id,
    name: written.split(',')[0]!.trim(),
    description: written,
    ...(type === 'physical' && place?.latitude != null && place.longitude != null
      ? { latitude: place.latitude, longitude: place.longitude }
      : {}),
    addresses:
      parts && nation
        ? [
            {
              id: hsdsId('address', id),
              location_id: id,
              address_1: parts.address_1,
              city: parts.city,
              state_province: NATION_NAMES[nation][locale],
              postal_code: parts.postal_code,
              country: 'GB',
              address_type: type,
            },
          ]
        : [],
  };
}

function locationsOf(source: ServiceSource, context: RecordContext): Located[] {
  return placeChannelsOf(source.service, context.baseUrl).flatMap((channel) => {
    const location = locationOf(channel, source, context);
    return location ? [{ location, channel }] : [];
  });
}

/**
 * What makes a channel a place, the same for channels that lead to the same place (and so to
 * the same location id); null for a channel that is no place (a phone line, a web address that
 * is not one).
 */
function placeKey(
  channel: Channel,
  service: Pick<PublicService, 'slug'>,
  baseUrl: string,
): string | null {
  switch (channel.kind) {
    case 'online-here':
      return `virtual ${serviceUrl(service, { baseUrl })}`;
    case 'online-elsewhere':
      try {
        new URL(channel.url);
      } catch {
        return null;
      }
      return `virtual ${channel.url}`;
    case 'in-person':
      return `physical ${channel.address}`;
    case 'post':
      return `postal ${channel.address}`;
    default:
      return null;
  }
}

/**
 * The channels of a service that are its places (online, in person, by post), one for each
 * distinct place, in the service's order: each becomes one service_at_location. Needs only the
 * slug and channels, so a listing can count every service's places without reading them whole.
 */
export function placeChannelsOf(
  service: Pick<PublicService, 'slug' | 'channels'>,
  baseUrl: string,
): Channel[] {
  const seen = new Set<string>();
  return service.channels.filter((channel) => {
    const key = placeKey(channel, service, baseUrl);
    if (key === null || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function scheduleOf(
  service: PublicService,
  channel: Extract<Channel, { hours: string }>,
  index: number,
  locale: Locale,
  serviceAtLocationId?: string,
): HsdsSchedule {
  const rule = parseHours(channel.hours);
  return {
    id: hsdsId('schedule', service.id, String(index)),
    service_id: service.id,
    ...(serviceAtLocationId ? { service_at_location_id: serviceAtLocationId } : {}),
    ...(rule ? { freq: 'WEEKLY' as const, ...rule } : {}),
    description: text(channel.hours, channel.hoursCy, locale),
    attending_type: labelOf(CHANNEL_KINDS, channel.kind, locale),
    ...(rule ? { notes: LOCAL_TIME_NOTE[locale] } : {}),
  };
}

/** The service's places, each a service_at_location with its location (and hours in person). */
export function toServiceAtLocations(
  source: ServiceSource,
  context: RecordContext,
): HsdsServiceAtLocation[] {
  const { service } = source;
  return locationsOf(source, context).map(({ location, channel }) => {
    const id = hsdsId('service_at_location', service.id, location.id);
    const index = service.channels.indexOf(channel);
    return {
      id,
      service_id: service.id,
      location_id: location.id,
      description: labelOf(CHANNEL_KINDS, channel.kind, context.locale),
      location,
      ...(channel.kind === 'in-person'
        ? { schedules: [scheduleOf(service, channel, index, context.locale, id)] }
        : {}),
    };
  });
}

function attributesOf(service: PublicService, locale: Locale): HsdsAttribute[] {
  return VOCABULARIES.flatMap((vocabulary) =>
    vocabulary.valuesOf(service).flatMap(({ value, attributeValue }) => {
      const term = vocabulary.terms.find((t) => t.value === value);
      if (!term) return [];
      const taxonomyTermId = termId(vocabulary, value);
      return [
        {
          id: hsdsId('attribute', service.id, taxonomyTermId),
          link_id: service.id,
          link_entity: 'service' as const,
          taxonomy_term_id: taxonomyTermId,
          ...(attributeValue ? { value: attributeValue } : {}),
          taxonomy_term: toTerm(vocabulary, term, locale),
        },
      ];
    }),
  );
}

function serviceAreaOf(source: ServiceSource, locale: Locale): HsdsServiceArea {
  const { service, organisation } = source;
  const id = hsdsId('service_area', service.id);
  if (!organisation.gss_code)
    return {
      id,
      service_id: service.id,
      name: NATIONAL_AREA.name[locale],
      description: NATIONAL_AREA.description[locale],
    };
  const body = (locale === 'cy' && organisation.name_cy) || organisation.name;
  return {
    id,
    service_id: service.id,
    name: lookupGssCode(organisation.gss_code)?.name ?? body,
    description: fill(AREA_OF[locale], { body }),
    uri: `http://statistics.data.gov.uk/id/statistical-geography/${organisation.gss_code}`,
  };
}

/**
 * A fully nested service: everything /services/{id} returns. `welsh` says whether the service
 * has Welsh text of its own, so that Welsh is one of its languages.
 */
export function toService(
  source: ServiceSource,
  welsh: boolean,
  context: RecordContext,
): HsdsService {
  const { service } = source;
  const { locale } = context;
  const serviceAtLocations = toServiceAtLocations(source, context);
  const schedules: HsdsSchedule[] = [];
  const phones: HsdsPhone[] = [];
  service.channels.forEach((channel, index) => {
    if (channel.kind === 'phone') {
      phones.push({
        id: hsdsId('phone', service.id, String(index)),
        service_id: service.id,
        number: channel.number,
        type: 'voice',
        description: text(channel.hours, channel.hoursCy, locale),
      });
      schedules.push(scheduleOf(service, channel, index, locale));
    }
  });
  for (const place of serviceAtLocations) schedules.push(...(place.schedules ?? []));
  return {
    ...toServiceSummary(source, context),
    phones,
    contacts: [],
    schedules,
    service_areas: [serviceAreaOf(source, locale)],
    service_at_locations: serviceAtLocations,
    languages: (['en', ...(welsh ? ['cy' as const] : [])] as Locale[]).map((code) => ({
      id: hsdsId('language', service.id, code),
      service_id: service.id,
      name: LANGUAGE_NAMES[code][locale],
      code,
    })),
    cost_options:
      service.feePence === null
        ? []
        : [
            {
              id: hsdsId('cost_option', service.id),
              service_id: service.id,
              currency: 'GBP',
              amount: service.feePence / 100,
              ...(service.fees.trim() ? { amount_description: service.fees.trim() } : {}),
            },
          ],
    attributes: attributesOf(service, locale),
  };
}
