/**
 * Reads what the HSDS export publishes: published services through the catalogue's own
 * queries, the bodies through the organisations module and the places of postcodes through the
 * address module, and puts them together as ServiceSources and a RecordContext (records.ts).
 */
import type { Db } from '../../../../platform/db/database.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { findPostcodeArea } from '../../../address/index.js';
import { listOrganisations, type OrganisationRow } from '../../../organisations/index.js';
import {
  findPublishedServiceById,
  findServices,
  type PublicService,
  type SearchResult,
} from '../../queries/services.js';
import {
  hasWelsh,
  nationOfGssCode,
  nationOfPostcodeArea,
  postcodesOf,
  withEnglishFallback,
  type Place,
  type RecordContext,
  type ServiceSource,
} from './records.js';

/** Every body, by id. */
export async function organisationsById(db: Db): Promise<Map<string, OrganisationRow>> {
  return new Map((await listOrganisations(db)).map((o) => [o.id, o]));
}

/**
 * The published services matching the words (all of them without words), in the reader's
 * language with English filling any Welsh gaps, ordered as the front door's search orders
 * them. `body` is a providing body's slug.
 */
export async function loadServices(
  db: Db,
  locale: Locale,
  search: { text?: string; body?: string },
): Promise<{ sources: ServiceSource[]; problem: SearchResult['problem'] }> {
  const found = await findServices(db, { locale, text: search.text ?? '', body: search.body });
  const english =
    locale === 'cy'
      ? new Map(
          (await findServices(db, { locale: 'en', body: search.body })).services.map((s) => [
            s.id,
            s,
          ]),
        )
      : undefined;
  const organisations = await organisationsById(db);
  const sources = found.services.flatMap((service) => {
    const organisation = organisations.get(service.organisation.id);
    if (!organisation) return [];
    const localised = english ? withEnglishFallback(service, english.get(service.id)) : service;
    return [{ service: localised, organisation }];
  });
  return { sources, problem: found.problem };
}

/** One published service, and whether it has Welsh text; undefined if none has this id. */
export async function loadService(
  db: Db,
  id: string,
  locale: Locale,
): Promise<{ source: ServiceSource; welsh: boolean } | undefined> {
  const english = await findPublishedServiceById(db, id, 'en');
  if (!english) return undefined;
  const welshVersion = await findPublishedServiceById(db, id, 'cy');
  const organisations = await organisationsById(db);
  const organisation = organisations.get(english.organisation.id);
  if (!organisation) return undefined;
  const service =
    locale === 'cy' && welshVersion ? withEnglishFallback(welshVersion, english) : english;
  return { source: { service, organisation }, welsh: hasWelsh(welshVersion) };
}

/** The nation and position of each postcode in the services' addresses. */
async function placesOf(db: Db, services: readonly PublicService[]): Promise<Map<string, Place>> {
  const places = new Map<string, Place>();
  for (const postcode of postcodesOf(services)) {
    const row = await findPostcodeArea(db, postcode);
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
