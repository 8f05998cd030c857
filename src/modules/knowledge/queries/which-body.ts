import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { findPostcodeArea, resolveProvider, type Resolution } from '../../address/index.js';
import {
  findPublishedService,
  findServices,
  findVersionOfService,
  postcodeTier,
  servicesWithKey,
  type PublicService,
} from '../../catalogue/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { openAt, type OpeningPeriod, type OpenState } from '../hours.js';
import type { ContactPointRow, RoutingRuleRow } from '../db/tables.js';
import { contactPointsByIds, contactPointsOf, routingRulesFor } from './directory.js';

/** A contact point to pass a caller to, its body's name, its hours and whether it is open now. */
export interface Signpost {
  rule: RoutingRuleRow | null;
  contactPoint: ContactPointRow;
  bodyName: string;
  hours: OpeningPeriod[];
  open: OpenState;
}

export type WhichBody =
  | { ok: false; problem: Extract<Resolution, { ok: false }> }
  | {
      ok: true;
      postcode: string;
      /** The service the words typed found, the one chosen first; null when none matched. */
      service: PublicService | null;
      /** Other services the words found, to choose instead. */
      others: PublicService[];
      /** The body responsible at the postcode: its name, and its version of the service if published. */
      body: { id: string | null; name: string } | null;
      version: PublicService | null;
      /** Routing rules that match first, then (when none) the body's own contact points. */
      signposts: Signpost[];
    };

/** The services the words found, one per service key (a body's version is chosen by postcode). */
async function candidates(db: Db, text: string, locale: Locale): Promise<PublicService[]> {
  const { services } = await findServices(db, { locale, text });
  const seen = new Set<string>();
  return services.filter((s) => {
    const key = s.serviceKey ?? s.id;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The body providing a service at a postcode, as the service page would send the person there.
 * A service key's versions may be of different tiers (school places: the county in a two-tier
 * area, the unitary elsewhere), so each tier its versions have is tried, the one whose body has
 * a version at the postcode winning; otherwise the body the first version's tier names.
 */
async function responsibleBody(db: Db, service: PublicService, postcode: string, locale: Locale) {
  const tier = postcodeTier(service);
  if (!tier || !service.serviceKey)
    return {
      body: { id: service.organisation.id, name: service.organisation.name },
      version: service,
    };
  const tiers = new Set([tier]);
  for (const version of await servicesWithKey(db, service.serviceKey, locale)) {
    const other = postcodeTier(version);
    if (other) tiers.add(other);
  }
  let first: { body: { id: string | null; name: string } | null; version: null } | null = null;
  for (const each of tiers) {
    const resolution = await resolveProvider(db, postcode, each);
    const provider = resolution.ok ? resolution.provider : null;
    if (!provider) continue;
    const body = {
      id: provider.organisation?.id ?? null,
      name: (locale === 'cy' && provider.nameCy) || provider.name,
    };
    const version = body.id
      ? await findVersionOfService(db, service.serviceKey, body.id, locale)
      : undefined;
    if (version) return { body, version };
    first ??= { body, version: null };
  }
  return first ?? { body: null, version: null };
}

async function signposts(
  db: Db,
  rules: RoutingRuleRow[],
  fallback: ContactPointRow[],
  locale: Locale,
  now: Date,
): Promise<Signpost[]> {
  const points = new Map<string, ContactPointRow>(
    [
      ...fallback,
      ...(await contactPointsByIds(
        db,
        rules.map((r) => r.contact_point_id),
      )),
    ].map((p) => [p.id, p]),
  );
  const bodies = new Map(
    (
      await listOrganisationsByIds(
        db,
        [...points.values()].map((p) => p.organisation_id),
      )
    ).map((o) => [o.id, (locale === 'cy' && o.name_cy) || o.name]),
  );
  const entries: { rule: RoutingRuleRow | null; contactPoint: ContactPointRow }[] =
    rules.length > 0
      ? rules.map((rule) => ({ rule, contactPoint: points.get(rule.contact_point_id)! }))
      : fallback.map((contactPoint) => ({ rule: null, contactPoint }));
  return entries.map(({ rule, contactPoint }) => {
    const hours = rule?.opening_hours ?? contactPoint.opening_hours;
    return {
      rule,
      contactPoint,
      bodyName: bodies.get(contactPoint.organisation_id) ?? '',
      hours,
      open: openAt(hours, now),
    };
  });
}

/**
 * "Which body does this?": from the words an adviser types (a service or a topic) and the
 * caller's postcode, the service the catalogue finds, the body responsible for it there (as the
 * service page resolves it), the routing rules for that service or topic in the postcode's areas
 * (district, county, nation) with their contact points, and whether each is open now.
 *
 * @example await whichBody(db, { text: 'council tax', postcode: 'GL5 4UB', locale: 'en' }, new Date())
 */
export async function whichBody(
  db: Db,
  ask: { text: string; postcode: string; serviceSlug?: string | undefined; locale: Locale },
  now: Date,
): Promise<WhichBody> {
  const place = await resolveProvider(db, ask.postcode, 'central');
  if (!place.ok) return { ok: false, problem: place };
  const postcode = place.postcode;
  const found = ask.text.trim() ? await candidates(db, ask.text, ask.locale) : [];
  const chosen =
    (ask.serviceSlug && (await findPublishedService(db, ask.serviceSlug, ask.locale))) ||
    found[0] ||
    null;
  const others = found.filter((s) => s.id !== chosen?.id).slice(0, 5);
  const { body, version } = chosen
    ? await responsibleBody(db, chosen, postcode, ask.locale)
    : { body: null, version: null };
  const area = await findPostcodeArea(db, postcode);
  const areas = [area?.district_gss, area?.county_gss, area?.country_gss].filter(
    (code): code is string => !!code,
  );
  const rules = await routingRulesFor(
    db,
    { serviceKey: chosen?.serviceKey ?? null, topic: ask.text },
    areas,
  );
  const fallback = rules.length === 0 && body?.id ? await contactPointsOf(db, body.id) : [];
  return {
    ok: true,
    postcode,
    service: chosen,
    others,
    body,
    version,
    signposts: await signposts(db, rules, fallback, ask.locale, now),
  };
}
