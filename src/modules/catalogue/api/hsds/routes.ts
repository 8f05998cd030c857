/**
 * The directory as open data: Open Referral HSDS 3.0 at /api/hsds/ (docs/guides/open-data.md).
 * Read-only and public; English by default, Welsh with `?lang=cy` or `Accept-Language: cy`.
 * Every response is described by a JSON Schema in ./schema, which the integration test holds
 * the output to.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../../../platform/errors/errors.js';
import { apiRoute, ApiValidationError } from '../../../../platform/http/api.js';
import type { AppContext } from '../../../../platform/http/types.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { resolveProvider, type ResolveProblem } from '../../../address/index.js';
import { MAX_QUERY_LENGTH } from '../../queries/services.js';
import {
  listedServices,
  loadService,
  organisationsById,
  pageOfPlaces,
  recordContext,
  searchedServices,
} from './directory.js';
import { isUuid } from '../../../../platform/validation/uuid.js';
import { pageFrom, pageOf, pageSchema, pagingQuery } from './paging.js';
import {
  HSDS_VERSION,
  toOrganization,
  toService,
  toServiceFields,
  toServiceSummary,
} from './records.js';
import {
  allTerms,
  hasTerm,
  termById,
  toTaxonomy,
  toTerm,
  VOCABULARIES,
  vocabularyById,
} from './taxonomies.js';

const TAG = 'Open data (HSDS)';

/** The base HSDS 3.0 schema: we publish no profile of our own. */
export const HSDS_PROFILE = 'https://github.com/openreferral/specification/tree/3.0/schema';

const lang = z
  .enum(['en', 'cy'])
  .optional()
  .describe('Language of names and descriptions (default: Accept-Language, else English)');

const uuid = (what: string) =>
  z
    .string()
    .refine(isUuid, `must be the UUID of ${what}`)
    .transform((id) => id.toLowerCase());

const modifiedAfter = z
  .string()
  .refine(
    (value) =>
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
    'must be an ISO 8601 date or date and time, like 2025-01-31 or 2025-01-31T09:00:00Z',
  )
  .transform((value) => new Date(value));

const idParams = (what: string) => z.object({ id: z.string().describe(`The ${what}'s UUID`) });

const POSTCODE_PROBLEMS: Record<ResolveProblem, string> = {
  required: 'enter a postcode',
  malformed: 'enter a full UK postcode, like GL5 4UB',
  unknown: 'the postcode is not in the ONS Postcode Directory',
  terminated: 'the postcode is no longer in use',
  'non-geographic': 'the postcode is not for a place (a PO box or a large user)',
  'no-authority': 'the postcode is in no local authority area',
};

/**
 * The reader's language: `?lang=`, else the first of Welsh or English in Accept-Language
 * (by quality), else English. The language cookie of the pages is not used: an open data
 * client should get the same answer for the same request.
 */
export function localeOf(asked: Locale | undefined, acceptLanguage: string | undefined): Locale {
  if (asked) return asked;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'cy' || tag.startsWith('cy-')) return 'cy';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

function chooseLocale(
  asked: Locale | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
): Locale {
  const locale = localeOf(asked, request.headers['accept-language']);
  reply.header('content-language', locale);
  reply.header('vary', 'Accept-Language');
  return locale;
}

/** Registers the HSDS endpoints; called from the catalogue's manifest. */
export function hsdsRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, config } = context;

  const about = () => ({
    version: HSDS_VERSION,
    profile: HSDS_PROFILE,
    openapi_url: `${config.baseUrl}/api/openapi.json`,
    description: `The published services of every public body on ${config.BRAND_NAME}, as Open Referral HSDS ${HSDS_VERSION}.`,
    publisher: { name: config.BRAND_NAME, website: config.baseUrl },
  });
  apiRoute(app, {
    method: 'GET',
    url: '/api/hsds/',
    summary: 'About this HSDS feed: its HSDS version, profile and API document',
    tag: TAG,
    response: z.object({
      version: z.string(),
      profile: z.string(),
      openapi_url: z.string(),
      description: z.string(),
      publisher: z.object({ name: z.string(), website: z.string() }),
    }),
    handler: async () => about(),
  });
  app.get('/api/hsds', async () => about());

  /** The organisation with this id, or a 400 naming the field. */
  async function organisationFor(id: string | undefined, field: string) {
    if (!id) return undefined;
    const organisation = (await organisationsById(db)).get(id);
    if (!organisation)
      throw new ApiValidationError([{ field, message: 'no organization has this id' }]);
    return organisation;
  }

  apiRoute(app, {
    method: 'GET',
    url: '/api/hsds/services',
    summary: 'Search the published services (one-to-one fields and organization), a page at a time',
    tag: TAG,
    query: z.object({
      search: z
        .string()
        .max(MAX_QUERY_LENGTH, `must be ${MAX_QUERY_LENGTH} characters or fewer`)
        .optional()
        .describe('Words, in English or Welsh (at most the 100 best matches)'),
      ...pagingQuery,
      taxonomy_term_id: uuid('a taxonomy term').optional().describe('Only services with this term'),
      taxonomy_id: uuid('a taxonomy')
        .optional()
        .describe('Only services with a term of this taxonomy'),
      organization_id: uuid('an organization')
        .optional()
        .describe('Only services of this organization'),
      modified_after: modifiedAfter
        .optional()
        .describe('Only services published at or after this date or date and time'),
      lang,
    }),
    response: pageSchema('HSDS services: see schema/service.json'),
    async handler({ query }, request, reply) {
      const locale = chooseLocale(query.lang, request, reply);
      const term = query.taxonomy_term_id ? termById(query.taxonomy_term_id) : undefined;
      if (query.taxonomy_term_id && !term)
        throw new ApiValidationError([
          { field: 'query.taxonomy_term_id', message: 'no taxonomy term has this id' },
        ]);
      const vocabulary = query.taxonomy_id ? vocabularyById(query.taxonomy_id) : undefined;
      if (query.taxonomy_id && !vocabulary)
        throw new ApiValidationError([
          { field: 'query.taxonomy_id', message: 'no taxonomy has this id' },
        ]);
      const organisation = await organisationFor(query.organization_id, 'query.organization_id');
      const after = query.modified_after;
      const text = query.search?.trim();
      if (text) {
        // Words: the front door's search ranks and keeps the 100 best; the filters narrow those.
        const found = await searchedServices(db, locale, { text, body: organisation?.slug });
        const chosen = found.filter(
          ({ service }) =>
            (!term || hasTerm(service, term.vocabulary, term.term.value)) &&
            (!vocabulary || vocabulary.valuesOf(service).length > 0) &&
            (!after || (service.publishedAt !== null && service.publishedAt >= after)),
        );
        const page = pageOf(chosen, query);
        const records = await recordContext(db, locale, config, page.contents);
        return { ...page, contents: page.contents.map((s) => toServiceSummary(s, records)) };
      }
      const { sources, total } = await listedServices(
        db,
        {
          locale,
          ...(term ? term.vocabulary.withTerm(term.term.value) : {}),
          ...(vocabulary ? vocabulary.withAnyTerm : {}),
          ...(organisation ? { organisationIds: [organisation.id] } : {}),
          ...(after ? { modifiedAfter: after } : {}),
        },
        query,
      );
      const records = await recordContext(db, locale, config, sources);
      return pageFrom(
        sources.map((s) => toServiceSummary(s, records)),
        total,
        query,
      );
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/hsds/services/:id',
    summary: 'One service, fully nested: organization, phones, schedules, locations, terms …',
    tag: TAG,
    params: idParams('service'),
    query: z.object({ lang }),
    response: z
      .record(z.string(), z.unknown())
      .describe('An HSDS service: see schema/service.json'),
    async handler({ params, query }, request, reply) {
      const locale = chooseLocale(query.lang, request, reply);
      const found = isUuid(params.id) ? await loadService(db, params.id, locale) : undefined;
      if (!found) throw notFound({ service: params.id });
      const records = await recordContext(db, locale, config, [found.source]);
      return toService(found.source, found.welsh, records);
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/hsds/organizations',
    summary: 'The public bodies publishing services, a page at a time',
    tag: TAG,
    query: z.object({
      search: z.string().max(100).optional().describe('Words in the name, in English or Welsh'),
      ...pagingQuery,
      lang,
    }),
    response: pageSchema('HSDS organizations: see schema/organization.json'),
    async handler({ query }, request, reply) {
      const locale = chooseLocale(query.lang, request, reply);
      const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const organisations = [...(await organisationsById(db)).values()]
        .map((o) => toOrganization(o, locale))
        .filter((o) =>
          words.every((w) => `${o.name} ${o.alternate_name ?? ''}`.toLowerCase().includes(w)),
        )
        .sort((a, b) => a.name.localeCompare(b.name, locale));
      return pageOf(organisations, query);
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/hsds/organizations/:id',
    summary: 'One public body, with the one-to-one fields of its services',
    tag: TAG,
    params: idParams('organization'),
    query: z.object({ lang }),
    response: z
      .record(z.string(), z.unknown())
      .describe('An HSDS organization: see schema/organization.json'),
    async handler({ params, query }, request, reply) {
      const locale = chooseLocale(query.lang, request, reply);
      const organisation = isUuid(params.id)
        ? (await organisationsById(db)).get(params.id.toLowerCase())
        : undefined;
      if (!organisation) throw notFound({ organization: params.id });
      const { sources } = await listedServices(db, { locale, organisationIds: [organisation.id] });
      const records = await recordContext(db, locale, config, []);
      return {
        ...toOrganization(organisation, locale),
        services: sources.map((s) => toServiceFields(s, records)),
      };
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/hsds/taxonomies',
    summary: 'The vocabularies services are classified by, as taxonomies',
    tag: TAG,
    query: z.object({ ...pagingQuery, lang }),
    response: pageSchema('HSDS taxonomies: see schema/taxonomy.json'),
    async handler({ query }, request, reply) {
      const locale = chooseLocale(query.lang, request, reply);
      return pageOf(
        VOCABULARIES.map((v) => toTaxonomy(v, locale)),
        query,
      );
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/hsds/taxonomies/:id',
    summary: 'One taxonomy',
    tag: TAG,
    params: idParams('taxonomy'),
    query: z.object({ lang }),
    response: z.record(z.string(), z.unknown()).describe('See schema/taxonomy.json'),
    async handler({ params, query }, request, reply) {
      const locale = chooseLocale(query.lang, request, reply);
      const vocabulary = vocabularyById(params.id);
      if (!vocabulary) throw notFound({ taxonomy: params.id });
      return toTaxonomy(vocabulary, locale);
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/hsds/taxonomy_terms',
    summary: 'The terms of the taxonomies, a page at a time',
    tag: TAG,
    query: z.object({
      taxonomy_id: uuid('a taxonomy').optional().describe('Only the terms of this taxonomy'),
      ...pagingQuery,
      lang,
    }),
    response: pageSchema('HSDS taxonomy terms: see schema/taxonomy_term.json'),
    async handler({ query }, request, reply) {
      const locale = chooseLocale(query.lang, request, reply);
      const vocabulary = query.taxonomy_id ? vocabularyById(query.taxonomy_id) : undefined;
      if (query.taxonomy_id && !vocabulary)
        throw new ApiValidationError([
          { field: 'query.taxonomy_id', message: 'no taxonomy has this id' },
        ]);
      const terms = allTerms().filter((t) => !vocabulary || t.vocabulary === vocabulary);
      return pageOf(
        terms.map((t) => toTerm(t.vocabulary, t.term, locale)),
        query,
      );
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/hsds/taxonomy_terms/:id',
    summary: 'One taxonomy term',
    tag: TAG,
    params: idParams('taxonomy term'),
    query: z.object({ lang }),
    response: z.record(z.string(), z.unknown()).describe('See schema/taxonomy_term.json'),
    async handler({ params, query }, request, reply) {
      const locale = chooseLocale(query.lang, request, reply);
      const found = termById(params.id);
      if (!found) throw notFound({ taxonomyTerm: params.id });
      return toTerm(found.vocabulary, found.term, locale);
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/hsds/service_at_locations',
    summary: 'Where services are available; with a postcode, the services of the bodies serving it',
    tag: TAG,
    query: z.object({
      postcode: z
        .string()
        .max(40, 'must be 40 characters or fewer')
        .optional()
        .describe(
          'Only services available at this UK postcode: national and central services, and ' +
            'those of its county and district councils (two-tier areas) or its unitary council',
        ),
      ...pagingQuery,
      lang,
    }),
    response: pageSchema('HSDS service_at_location records: see schema/service_at_location.json'),
    async handler({ query }, request, reply) {
      const locale = chooseLocale(query.lang, request, reply);
      const listing =
        query.postcode === undefined
          ? { locale }
          : {
              locale,
              organisationIds: await bodiesServing(query.postcode),
              alsoTier: 'central' as const,
            };
      return pageOfPlaces(db, listing, query, config);
    },
  });

  /**
   * The ids of the bodies whose services a postcode gets: the national bodies (those without a
   * GSS code) and the councils serving it; or a 400 saying what is wrong with the postcode.
   * Central-tier services of any body are everywhere too (`alsoTier` above).
   */
  async function bodiesServing(postcode: string): Promise<string[]> {
    const central = await resolveProvider(db, postcode, 'central');
    if (!central.ok)
      throw new ApiValidationError([
        { field: 'query.postcode', message: POSTCODE_PROBLEMS[central.problem] },
      ]);
    const bodies = [...(await organisationsById(db)).values()]
      .filter((organisation) => organisation.gss_code === null)
      .map((organisation) => organisation.id);
    for (const tier of central.twoTier
      ? (['county', 'district'] as const)
      : (['unitary'] as const)) {
      const resolution = await resolveProvider(db, central.postcode, tier);
      const organisation = resolution.ok ? resolution.provider?.organisation : null;
      if (organisation) bodies.push(organisation.id);
    }
    return bodies;
  }
}
