/**
 * Reads what the HSDS export publishes: published services through the catalogue's own
 * queries, the bodies through the organisations module and the places of postcodes through the
 * address module, and puts them together as ServiceSources and a RecordContext (records.ts).
 * Listings read one page of services at a time (filtered, counted and paged in SQL), so the
 * directory can grow to tens of thousands of services.
 */
import type { Db } from '../../../../platform/db/database.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { findPostcodeAreas } from '../../../address/index.js';
import {
  findOrganisationById,
  listOrganisations,
  listOrganisationsByIds,
  type OrganisationRow,
} from '../../../organisations/index.js';
import {
  findPublishedServiceById,
  findServices,
  listPublishedChannels,
  listPublishedServices,
  type PublicService,
  type ServiceListing,
} from '../../queries/services.js';
import { offsetOf, pageFrom, type Page } from './paging.js';
import {
  hasWelsh,
  nationOfGssCode,
  nationOfPostcodeArea,
  placeChannelsOf,
  postcodesOf,
  toServiceAtLocations,
  toServiceSummary,
  type HsdsServiceAtLocation,
  type Place,
  type RecordContext,
  type ServiceSource,
} from './records.js';

/** Every body, by id. */
export async function organisationsById(db: Db): Promise<Map<string, OrganisationRow>> {
  return new Map((await listOrganisations(db)).map((o) => [o.id, o]));
}

/** The services with their bodies, in the same order. */
async function withBodies(db: Db, services: readonly PublicService[]): Promise<ServiceSource[]> {
  const organisations = new Map(
    (await listOrganisationsByIds(db, [...new Set(services.map((s) => s.organisation.id))])).map(
      (o) => [o.id, o],
    ),
  );
  return services.flatMap((service) => {
    const organisation = organisations.get(service.organisation.id);
    return organisation ? [{ service, organisation }] : [];
  });
}

/**
 * The published services matching the words (of one body, given its slug), in the reader's
 * language with English filling any Welsh gaps, ranked as the front door's search ranks them:
 * at most its 100 best matches.
 */
export async function searchedServices(
  db: Db,
  locale: Locale,
  search: { text: string; body?: string | undefined },
): Promise<ServiceSource[]> {
  return withBodies(db, (await findServices(db, { locale, ...search })).services);
}

/**
 * One page of the published services a listing takes (every one without `paging`), in the
 * reader's language with English filling any Welsh gaps, by title; and how many it takes in all.
 */
export async function listedServices(
  db: Db,
  listing: ServiceListing,
  paging?: { page: number; per_page: number },
): Promise<{ sources: ServiceSource[]; total: number }> {
  const { services, total } = await listPublishedServices(db, {
    ...listing,
    ...(paging ? { limit: paging.per_page, offset: offsetOf(paging) } : {}),
  });
  return { sources: await withBodies(db, services), total };
}

/** One published service, and whether it has Welsh text; undefined if none has this id. */
export async function loadService(
  db: Db,
  id: string,
  locale: Locale,
): Promise<{ source: ServiceSource; welsh: boolean } | undefined> {
  const service = await findPublishedServiceById(db, id, locale);
  if (!service) return undefined;
  const welsh = locale === 'cy' ? service : await findPublishedServiceById(db, id, 'cy');
  const organisation = await findOrganisationById(db, service.organisation.id);
  if (!organisation) return undefined;
  return { source: { service, organisation }, welsh: hasWelsh(welsh) };
}

/**
 * One page of the service_at_location records of the services a listing takes, each with its
 * service. A service has as many records as places (records.ts, `placeChannelsOf`), so the
 * services on the page are found from their channels alone, and only they are read whole.
 */
export async function pageOfPlaces(
  db: Db,
  listing: ServiceListing,
  paging: { page: number; per_page: number },
  config: { baseUrl: string; BRAND_NAME: string },
): Promise<Page<HsdsServiceAtLocation>> {
  const start = offsetOf(paging);
  const end = start + paging.per_page;
  let total = 0;
  let skip = 0;
  const onPage: string[] = [];
  for (const service of await listPublishedChannels(db, listing)) {
    const places = placeChannelsOf(service, config.baseUrl).length;
    if (places > 0 && total + places > start && total < end) {
      if (onPage.length === 0) skip = start - total;
      onPage.push(service.id);
    }
    total += places;
  }
  const { sources } =
    onPage.length > 0 ? await listedServices(db, { ...listing, ids: onPage }) : { sources: [] };
  const records = await recordContext(db, listing.locale, config, sources);
  const places = sources.flatMap((source) => {
    const service = toServiceSummary(source, records);
    return toServiceAtLocations(source, records).map((place) => ({ ...place, service }));
  });
  return pageFrom(places.slice(skip, skip + paging.per_page), total, paging);
}

/** The nation and position of each postcode in the services' addresses, in one query. */
async function placesOf(db: Db, services: readonly PublicService[]): Promise<Map<string, Place>> {
  const postcodes = postcodesOf(services);
  const rows = await findPostcodeAreas(db, postcodes);
  const places = new Map<string, Place>();
  for (const postcode of postcodes) {
    const row = rows.get(postcode);
    places.set(postcode, {
      nation:
        (row?.country_gss ? nationOfGssCode(row.country_gss) : undefined) ??
        nationOfPostcodeArea(postcode),
      ...(row?.latitude != null && row.longitude != null
        ? { latitude: row.latitude, longitude: row.longitude }
        : {}),
    });
  }
  return places;
}

/** What records need besides the services themselves. */
export async function recordContext(
  db: Db,
  locale: Locale,
  config: { baseUrl: string; BRAND_NAME: string },
  sources: readonly ServiceSource[],
): Promise<RecordContext> {
  return {
    locale,
    baseUrl: config.baseUrl,
    brand: config.BRAND_NAME,
    places: await placesOf(
      db,
      sources.map((s) => s.service),
    ),
  };
}
