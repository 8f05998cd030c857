import { z } from 'zod';
import { apiRoute } from '../../platform/http/api.js';
import type { ModuleManifest } from '../../platform/http/types.js';
import { listOrganisations } from '../organisations/index.js';
import { findServices, MAX_QUERY_LENGTH } from './queries/services.js';
import { servicePageRoutes } from './pages/service/routes.js';
import { findYourCouncilRoutes } from './pages/find-your-council/routes.js';
import { staffRoutes } from './pages/staff/routes.js';
import { hsdsRoutes } from './api/hsds/routes.js';
import { browseRoutes } from './pages/browse/routes.js';
import { browseLists, NO_SEARCH } from './pages/home/browse-lists.js';
import { canManageCatalogue } from './policies/services.js';
import { AUDIENCES, isTerm, LIFE_EVENTS, type LifeEvent } from './vocabularies.js';
import type { Locale } from '../../platform/i18n/i18n.js';

const HOME = 'modules/catalogue/pages/home/home.njk';

const PublicServiceSchema = z.object({
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  url: z.string(),
  organisation: z.object({ slug: z.string(), name: z.string() }),
  audience: z.string(),
  lifeEvents: z.array(z.string()),
});

const LIFE_EVENT_VALUES = LIFE_EVENTS.map((t) => t.value) as [LifeEvent, ...LifeEvent[]];

/** The filters a page or the API was asked for, dropping anything not in the vocabularies. */
function filtersOf(query: Record<string, unknown>) {
  const audience =
    query.audience === 'citizens' || query.audience === 'businesses' ? query.audience : undefined;
  return {
    lifeEvent: isTerm(LIFE_EVENTS, query.lifeEvent) ? query.lifeEvent : undefined,
    audience: audience as 'citizens' | 'businesses' | undefined,
    body:
      typeof query.body === 'string' && /^[a-z0-9-]{1,60}$/.test(query.body)
        ? query.body
        : undefined,
  };
}

function options(
  list: readonly { value: string; en: string; cy: string }[],
  locale: Locale,
  chosen?: string,
) {
  return list.map((t) => ({ value: t.value, text: t[locale], selected: t.value === chosen }));
}

/** The front door: one list of every body's services, searched by need, in English and Welsh. */
export const catalogueModule: ModuleManifest = {
  name: 'catalogue',
  navigation: [
    { text: 'catalogue.staff.nav', href: '/catalogue/staff', visibleTo: canManageCatalogue },
  ],
  routes(app, context) {
    const { db, config } = context;
    app.get('/', async (request, reply) => {
      const raw = request.query as Record<string, unknown>;
      const query = typeof raw.q === 'string' ? raw.q.trim() : '';
      const filters = filtersOf(raw);
      // With no words and no filters, the home page shows the browse lists, not every service.
      const browsing = !query && !filters.lifeEvent && !filters.audience && !filters.body;
      const result = browsing
        ? NO_SEARCH
        : await findServices(db, { locale: request.locale, text: query, ...filters });
      const organisations = (await listOrganisations(db)).map(({ slug, name, name_cy }) => ({
        slug,
        name,
        name_cy,
      }));
      return reply.view(HOME, {
        browse: browsing ? await browseLists(db, request.locale, request.t) : null,
        // A 2,000-character search is not echoed back in full.
        query: query.slice(0, MAX_QUERY_LENGTH),
        services: result.services,
        problem: result.problem,
        corrections: result.corrections.flatMap((c) => c.meant.slice(0, 1)).join(' '),
        partial: result.partial,
        filters,
        filtered: Boolean(filters.lifeEvent || filters.audience || filters.body),
        lifeEventItems: [
          { value: '', text: request.t('catalogue.filters.any') },
          ...options(LIFE_EVENTS, request.locale, filters.lifeEvent),
        ],
        audienceItems: [
          { value: '', text: request.t('catalogue.filters.any') },
          ...options(
            AUDIENCES.filter((a) => a.value !== 'both'),
            request.locale,
            filters.audience,
          ),
        ],
        bodyItems: [
          { value: '', text: request.t('catalogue.filters.anyBody') },
          ...organisations.map((o) => ({
            value: o.slug,
            text: (request.locale === 'cy' ? o.name_cy : null) ?? o.name,
            selected: o.slug === filters.body,
          })),
        ],
      });
    });

    servicePageRoutes(app, context);
    findYourCouncilRoutes(app, db);

    apiRoute(app, {
      method: 'GET',
      url: '/api/v1/services',
      summary: 'Search the published services of every public body',
      tag: 'Catalogue',
      query: z.object({
        q: z
          .string()
          .max(MAX_QUERY_LENGTH)
          .optional()
          .describe('What the person needs, in English or Welsh'),
        lang: z.enum(['en', 'cy']).default('en'),
        lifeEvent: z
          .enum(LIFE_EVENT_VALUES)
          .optional()
          .describe('Only services for this life event'),
        audience: z
          .enum(['citizens', 'businesses'])
          .optional()
          .describe('Only services for them (or both)'),
        body: z.string().max(60).optional().describe('Only services of the body with this slug'),
      }),
      response: z.object({ services: z.array(PublicServiceSchema) }),
      async handler({ query }) {
        const { services } = await findServices(db, {
          locale: query.lang,
          text: query.q ?? '',
          lifeEvent: query.lifeEvent,
          audience: query.audience,
          body: query.body,
        });
        return {
          services: services.map((s) => ({
            slug: s.slug,
            title: s.title,
            summary: s.summary,
            url: `${config.baseUrl}/services/${s.slug}`,
            organisation: { slug: s.organisation.slug, name: s.organisation.name },
            audience: s.audience,
            lifeEvents: s.lifeEvents,
          })),
        };
      },
    });

    staffRoutes(app, context);
    hsdsRoutes(app, context);
    browseRoutes(app, context);
  },
};
