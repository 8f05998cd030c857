import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import type { ServiceLevel } from '../db/tables.js';
import type {
  Audience,
  BusinessStage,
  Category,
  Channel,
  CustomerGroup,
  Interaction,
  InteractionType,
  LifeEvent,
  ProviderTier,
} from '../vocabularies.js';
import { corrections, searchVocabulary } from './vocabulary.js';

/** A published service as the public sees it, in their language. */
export interface PublicService {
  id: string;
  slug: string;
  title: string;
  summary: string;
  body: string;
  formKey: string | null;
  /** The assurance level applying needs (0–3); the journey steps a lower session up. */
  requiredLevel: ServiceLevel;
  organisation: { id: string; slug: string; name: string };
  audience: Audience;
  eligibility: string;
  fees: string;
  feePence: number | null;
  channels: Channel[];
  interactions: Interaction[];
  providerTier: ProviderTier;
  lifeEvents: LifeEvent[];
  customerGroups: CustomerGroup[];
  categories: Category[];
  businessStages: BusinessStage[];
  /** Shared by every body's version of the same service (see migration 0020); null if only one. */
  serviceKey: string | null;
  publishedAt: Date | null;
  /**
   * True on a Welsh page when some text the service page shows has no Welsh yet, so the English
   * is shown instead (a service owner may publish in English first); `inEnglish` says which.
   */
  untranslated: boolean;
  /** The parts shown in English on a Welsh page for want of Welsh text; empty in English. */
  inEnglish: TranslatedPart[];
}

/** The parts of a service written in both languages, as the public page shows them. */
export type TranslatedPart = 'title' | 'summary' | 'body' | 'eligibility' | 'fees';

function baseQuery(db: Db) {
  return db
    .selectFrom('services')
    .innerJoin('organisations', 'organisations.id', 'services.organisation_id')
    .select([
      'services.id',
      'services.slug',
      'services.title',
      'services.title_cy',
      'services.summary',
      'services.summary_cy',
      'services.body',
      'services.body_cy',
      'services.form_key',
      'services.required_level',
      'services.audience',
      'services.eligibility',
      'services.eligibility_cy',
      'services.fees',
      'services.fees_cy',
      'services.fee_pence',
      'services.channels',
      'services.interactions',
      'services.provider_tier',
      'services.life_events',
      'services.customer_groups',
      'services.categories',
      'services.business_stages',
      'services.service_key',
      'services.published_at',
      'organisations.id as organisation_id',
      'organisations.slug as organisation_slug',
      'organisations.name as organisation_name',
      'organisations.name_cy as organisation_name_cy',
    ])
    .where('services.status', '=', 'published');
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

/**
 * The reader's language of each bilingual part; on a Welsh page, the English where the Welsh is
 * still empty, and which parts those were.
 */
function inLanguage(row: Row, locale: Locale) {
  const english = {
    title: row.title,
    summary: row.summary,
    body: row.body,
    eligibility: row.eligibility,
    fees: row.fees,
  };
  if (locale === 'en') return { text: english, inEnglish: [] as TranslatedPart[] };
  const welsh: Record<TranslatedPart, string> = {
    title: row.title_cy,
    summary: row.summary_cy,
    body: row.body_cy,
    eligibility: row.eligibility_cy,
    fees: row.fees_cy,
  };
  const text = { ...english };
  const inEnglish: TranslatedPart[] = [];
  for (const part of Object.keys(english) as TranslatedPart[]) {
    if (welsh[part].trim()) text[part] = welsh[part];
    else if (english[part].trim()) inEnglish.push(part);
  }
  return { text, inEnglish };
}

function toPublic(row: Row, locale: Locale): PublicService {
  const cy = locale === 'cy';
  const { text, inEnglish } = inLanguage(row, locale);
  return {
    id: row.id,
    slug: row.slug,
    title: text.title,
    summary: text.summary,
    body: text.body,
    formKey: row.form_key,
    requiredLevel: row.required_level,
    organisation: {
      id: row.organisation_id,
      slug: row.organisation_slug,
      name: (cy ? row.organisation_name_cy : null) ?? row.organisation_name,
    },
    audience: row.audience,
    eligibility: text.eligibility,
    fees: text.fees,
    feePence: row.fee_pence,
    channels: row.channels,
    interactions: row.interactions,
    providerTier: row.provider_tier,
    lifeEvents: row.life_events,
    customerGroups: row.customer_groups,
    categories: row.categories,
    businessStages: row.business_stages,
    serviceKey: row.service_key,
    publishedAt: row.published_at,
    untranslated: inEnglish.length > 0,
    inEnglish,
  };
}

/** The longest search the front door runs; longer ones get a message, not a slow query. */
export const MAX_QUERY_LENGTH = 100;

/** What a person asked for: words, and filters by life event, audience and providing body. */
export interface ServiceSearch {
  locale: Locale;
  text?: string;
  lifeEvent?: LifeEvent | undefined;
  audience?: Exclude<Audience, 'both'> | undefined;
  /** The providing body's slug. */
  body?: string | undefined;
  /** Browsing: only services on this topic, for this group or at this stage of a business's life. */
  category?: Category | undefined;
  customerGroup?: CustomerGroup | undefined;
  businessStage?: BusinessStage | undefined;
}

/** The services found, and why there are none when the search itself was the problem. */
export interface SearchResult {
  services: PublicService[];
  problem: 'too-long' | 'no-words' | null;
  /** Words that matched nothing, with the words searched for instead ("parkng" → "parking"). */
  corrections: { word: string; meant: string[] }[];
  /** True when no service matched every word, so services matching some are shown. */
  partial: boolean;
}

const STOP_WORDS = new Set(
  (
    'a an and are about as at be by can do for from get how i in is it me my of on or the to what ' +
    'when where which with you your yr y ar am o yn ac neu fy eich sut beth ble mae’r ydw i’r'
  ).split(' '),
);

/** The words of a search, lower case, without punctuation or small words (unless only those). */
export function searchWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? [];
  const meaningful = words.filter((w) => !STOP_WORDS.has(w));
  return (meaningful.length > 0 ? meaningful : words).slice(0, 10);
}

/** A term of the query: words typed and what they may also mean (synonyms, corrections). */
interface Group {
  text: string;
  alternatives: string[];
}

/** Joins words into groups, expanding phrases the synonym table knows (longest first). */
function groupWords(words: string[], synonyms: Map<string, string>): Group[] {
  const groups: Group[] = [];
  for (let i = 0; i < words.length;) {
    const pair = i + 1 < words.length ? `${words[i]} ${words[i + 1]}` : null;
    if (pair && synonyms.has(pair)) {
      groups.push({ text: pair, alternatives: [synonyms.get(pair)!] });
      i += 2;
    } else {
      const word = words[i]!;
      groups.push({ text: word, alternatives: synonyms.has(word) ? [synonyms.get(word)!] : [] });
      i += 1;
    }
  }
  return groups;
}

/** One group as a tsquery: English stems or the exact (Welsh) words, or any alternative. */
function groupQuery(group: Group) {
  const parts = [group.text, ...group.alternatives].flatMap((text) => [
    sql`plainto_tsquery('english', ${text})`,
    sql`plainto_tsquery('simple', ${text})`,
  ]);
  return sql`(${sql.join(parts, sql` || `)})`;
}

/** Orders by the title the reader sees: the Welsh, or the English while there is no Welsh yet. */
function titleOrder(locale: Locale) {
  return locale === 'cy'
    ? sql`coalesce(nullif(services.title_cy, ''), services.title)`
    : sql`services.title`;
}

async function runSearch(
  db: Db,
  search: ServiceSearch,
  groups: Group[],
  join: 'and' | 'or',
): Promise<PublicService[]> {
  let query = filtered(db, search);
  if (groups.length === 0) {
    const rows = await query
      .orderBy(titleOrder(search.locale))
      .orderBy('organisations.name')
      .execute();
    return rows.map((row) => toPublic(row, search.locale));
  }
  const tsquery = sql`(${sql.join(groups.map(groupQuery), join === 'and' ? sql` && ` : sql` || `)})`;
  query = query.where(sql<boolean>`services.search_vector @@ ${tsquery}`);
  const rows = await query
    .orderBy(
      sql`(to_tsvector('english', services.title) || to_tsvector('simple', services.title_cy)) @@ ${tsquery}`,
      'desc',
    )
    .orderBy(sql`ts_rank('{0.05, 0.2, 0.5, 1.0}', services.search_vector, ${tsquery}, 1)`, 'desc')
    .orderBy(titleOrder(search.locale))
    .orderBy('organisations.name')
    .limit(100)
    .execute();
  return rows.map((row) => toPublic(row, search.locale));
}

function filtered(db: Db, search: ServiceSearch) {
  let query = baseQuery(db);
  if (search.lifeEvent)
    query = query.where(
      sql<boolean>`services.life_events @> ${JSON.stringify([search.lifeEvent])}::jsonb`,
    );
  if (search.audience) query = query.where('services.audience', 'in', [search.audience, 'both']);
  if (search.body) query = query.where('organisations.slug', '=', search.body);
  const contains = (column: string, value: string | undefined) => {
    if (value)
      query = query.where(sql<boolean>`${sql.ref(column)} @> ${JSON.stringify([value])}::jsonb`);
  };
  contains('services.categories', search.category);
  contains('services.customer_groups', search.customerGroup);
  contains('services.business_stages', search.businessStage);
  return query;
}

/**
 * Searches the published services with PostgreSQL full-text search over English (stemmed) and
 * Welsh (exact words) text: title matches first, then by rank (title A, summary and keywords B,
 * body C, provider D). The synonym table expands terms ("tip" → "recycling centre"). When
 * nothing matches a short search, misspelt words are corrected against the words of titles
 * (pg_trgm where installed, one edit away otherwise); when still nothing, any word may match.
 *
 * @example await findServices(db, { locale: 'cy', text: 'biniau', body: 'cardiff' })
 */
export async function findServices(db: Db, search: ServiceSearch): Promise<SearchResult> {
  const text = (search.text ?? '').trim();
  const none = { services: [], corrections: [], partial: false };
  if (text.length > MAX_QUERY_LENGTH) return { ...none, problem: 'too-long' };
  const words = searchWords(text);
  if (text && words.length === 0) return { ...none, problem: 'no-words' };
  const { synonyms } = await searchVocabulary(db);
  const groups = groupWords(words, synonyms);
  const services = await runSearch(db, search, groups, 'and');
  if (services.length > 0 || groups.length === 0)
    return { services, problem: null, corrections: [], partial: false };
  if (words.length <= 3) {
    const fixes: SearchResult['corrections'] = [];
    const corrected: Group[] = [];
    for (const group of groups) {
      const meant = group.text.includes(' ') ? [] : await corrections(db, group.text);
      if (meant.length > 0) fixes.push({ word: group.text, meant });
      corrected.push({ ...group, alternatives: [...group.alternatives, ...meant] });
    }
    if (fixes.length > 0) {
      const found = await runSearch(db, search, corrected, 'and');
      if (found.length > 0)
        return { services: found, problem: null, corrections: fixes, partial: false };
    }
  }
  if (groups.length < 2) return { ...none, problem: null };
  return {
    services: await runSearch(db, search, groups, 'or'),
    problem: null,
    corrections: [],
    partial: true,
  };
}

/**
 * Published services, optionally matching words a person typed, in English or Welsh; all of
 * them, by title, without words. See `findServices` for filters and why none were found.
 */
export async function searchServices(db: Db, locale: Locale, text = ''): Promise<PublicService[]> {
  return (await findServices(db, { locale, text })).services;
}

export async function findPublishedService(
  db: Db,
  slug: string,
  locale: Locale,
): Promise<PublicService | undefined> {
  const row = await baseQuery(db).where('services.slug', '=', slug).executeTakeFirst();
  return row ? toPublic(row, locale) : undefined;
}

export async function findPublishedServiceById(
  db: Db,
  id: string,
  locale: Locale,
): Promise<PublicService | undefined> {
  const row = await baseQuery(db).where('services.id', '=', id).executeTakeFirst();
  return row ? toPublic(row, locale) : undefined;
}

/**
 * The titles of several published services in one query, in the reader's language (English where
 * the Welsh is empty): for lists such as a casework queue that name many services at once.
 */
export async function publishedServiceTitles(
  db: Db,
  ids: readonly string[],
  locale: Locale,
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('services')
    .select(['id', 'title', 'title_cy'])
    .where('id', 'in', [...new Set(ids)])
    .where('status', '=', 'published')
    .execute();
  return new Map(
    rows.map((row) => [row.id, (locale === 'cy' && row.title_cy) || row.title] as const),
  );
}

/**
 * Every published version of the same service (one per body that provides it), by body name:
 * e.g. 'pay-council-tax' of Stroud, Cheltenham, Bristol and Cardiff.
 *
 * @example await servicesWithKey(db, 'pay-council-tax', 'en')
 */
export async function servicesWithKey(
  db: Db,
  serviceKey: string,
  locale: Locale,
): Promise<PublicService[]> {
  const rows = await baseQuery(db)
    .where('services.service_key', '=', serviceKey)
    .orderBy('organisations.name')
    .orderBy('services.slug')
    .execute();
  return rows.map((row) => toPublic(row, locale));
}

/**
 * One body's published version of a service known by its service key, if it has one: where a
 * service page or "find your council" sends a person once their postcode names the body.
 *
 * @example await findVersionOfService(db, 'pay-council-tax', bristol.id, 'cy')
 */
export async function findVersionOfService(
  db: Db,
  serviceKey: string,
  organisationId: string,
  locale: Locale,
): Promise<PublicService | undefined> {
  const row = await baseQuery(db)
    .where('services.service_key', '=', serviceKey)
    .where('services.organisation_id', '=', organisationId)
    .orderBy('services.slug')
    .executeTakeFirst();
  return row ? toPublic(row, locale) : undefined;
}

/** The list fields a listing may ask to have at least one value in (`ServiceListing.having`). */
const LIST_COLUMNS = {
  lifeEvents: 'services.life_events',
  customerGroups: 'services.customer_groups',
  categories: 'services.categories',
  interactions: 'services.interactions',
  businessStages: 'services.business_stages',
} as const;

/**
 * Which published services a listing takes, every filter applied in SQL so that a directory of
 * thousands of services is read a page at a time (the HSDS open data). Filters combine with AND.
 * Unlike `ServiceSearch`, `audience` is exact, as a taxonomy term is: 'citizens' does not take
 * the services for 'both'.
 */
export interface ServiceListing {
  locale: Locale;
  /** Only these services (ids). */
  ids?: readonly string[] | undefined;
  /** The providing body's slug. */
  body?: string | undefined;
  /** Only the services of these bodies (ids)… */
  organisationIds?: readonly string[] | undefined;
  /** …and, with `organisationIds`, every service of this provider tier too, whoever provides it. */
  alsoTier?: ProviderTier | undefined;
  lifeEvent?: LifeEvent | undefined;
  category?: Category | undefined;
  customerGroup?: CustomerGroup | undefined;
  businessStage?: BusinessStage | undefined;
  audience?: Audience | undefined;
  /** Only services involving this BVPI 157 interaction type (e-enabled or not). */
  interactionType?: InteractionType | undefined;
  /** Only services with at least one value in this list. */
  having?: keyof typeof LIST_COLUMNS | undefined;
  /** Only services published at or after this moment. */
  modifiedAfter?: Date | undefined;
}

function listed(db: Db, listing: ServiceListing) {
  const { locale, body, lifeEvent, category, customerGroup, businessStage } = listing;
  let query = filtered(db, { locale, body, lifeEvent, category, customerGroup, businessStage });
  const { ids, organisationIds, alsoTier } = listing;
  if (ids)
    query = ids.length > 0 ? query.where('services.id', 'in', ids) : query.where(sql.lit(false));
  if (organisationIds)
    query = query.where((eb) =>
      eb.or([
        ...(organisationIds.length > 0
          ? [eb('services.organisation_id', 'in', organisationIds)]
          : []),
        ...(alsoTier ? [eb('services.provider_tier', '=', alsoTier)] : []),
      ]),
    );
  if (listing.audience) query = query.where('services.audience', '=', listing.audience);
  if (listing.interactionType)
    query = query.where(
      sql<boolean>`services.interactions @> ${JSON.stringify([{ type: listing.interactionType }])}::jsonb`,
    );
  if (listing.having)
    query = query.where(
      sql<boolean>`jsonb_array_length(${sql.ref(LIST_COLUMNS[listing.having])}) > 0`,
    );
  if (listing.modifiedAfter)
    query = query.where('services.published_at', '>=', listing.modifiedAfter);
  return query;
}

/**
 * A page of the published services a listing takes, in the reader's language (English filling
 * Welsh gaps), by title, body and id, so that pages never overlap; and how many it takes in all.
 * Without `limit`, every one. For lists too long to read at once; `findServices` searches words.
 *
 * @example await listPublishedServices(db, { locale: 'cy', lifeEvent: 'moving-home', limit: 50, offset: 100 })
 */
export async function listPublishedServices(
  db: Db,
  listing: ServiceListing & { limit?: number; offset?: number },
): Promise<{ services: PublicService[]; total: number }> {
  const { locale, limit, offset = 0 } = listing;
  const ordered = <Q extends ReturnType<typeof listed>>(query: Q) =>
    query.orderBy(titleOrder(locale)).orderBy('organisations.name').orderBy('services.id');
  const countAll = async () => {
    const counted = await listed(db, listing)
      .clearSelect()
      .select(sql<number | string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(counted.n);
  };
  if (limit === undefined) {
    const rows = await ordered(listed(db, listing)).offset(offset).execute();
    return {
      services: rows.map((row) => toPublic(row, locale)),
      total: rows.length > 0 || offset === 0 ? offset + rows.length : await countAll(),
    };
  }
  // Sort and count narrow rows, then read whole only the services on the page: sorting
  // thousands of whole services (their text) spills to disk.
  const page = await ordered(listed(db, listing))
    .clearSelect()
    .select(['services.id', sql<number | string>`count(*) over ()`.as('listed_total')])
    .limit(limit)
    .offset(offset)
    .execute();
  // Past the last page the window counts nothing: count on its own.
  if (page.length === 0) return { services: [], total: offset === 0 ? 0 : await countAll() };
  const rows = await baseQuery(db)
    .where(
      'services.id',
      'in',
      page.map((row) => row.id),
    )
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return {
    services: page.flatMap(({ id }) => {
      const row = byId.get(id);
      return row ? [toPublic(row, locale)] : [];
    }),
    total: Number(page[0]!.listed_total),
  };
}

/**
 * The id, slug and channels of every published service a listing takes, in the order of
 * `listPublishedServices`: enough to count what each offers (its places, say) to find the
 * services on one page of something else, without reading every service whole.
 */
export async function listPublishedChannels(
  db: Db,
  listing: ServiceListing,
): Promise<Pick<PublicService, 'id' | 'slug' | 'channels'>[]> {
  return listed(db, listing)
    .clearSelect()
    .select(['services.id', 'services.slug', 'services.channels'])
    .orderBy(titleOrder(listing.locale))
    .orderBy('organisations.name')
    .orderBy('services.id')
    .execute();
}
