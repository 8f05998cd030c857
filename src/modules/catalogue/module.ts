import { z } from 'zod';
import { notFound } from '../../platform/errors/errors.js';
import { apiRoute } from '../../platform/http/api.js';
import type { ModuleManifest } from '../../platform/http/types.js';
import { findPublishedService, searchServices } from './queries/services.js';

const HOME = 'modules/catalogue/pages/home/home.njk';
const SERVICE = 'modules/catalogue/pages/service/service.njk';

const PublicServiceSchema = z.object({
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  url: z.string(),
  organisation: z.object({ slug: z.string(), name: z.string() }),
});

/** The front door: one list of every body's services, searched by need, in English and Welsh. */
export const catalogueModule: ModuleManifest = {
  name: 'catalogue',
  routes(app, { db, config }) {
    app.get('/', async (request, reply) => {
      const raw = (request.query as { q?: unknown }).q;
      const query = typeof raw === 'string' ? raw.trim().slice(0, 100) : '';
      const services = await searchServices(db, request.locale, query);
      return reply.view(HOME, { query, services });
    });

    app.get('/services/:slug', async (request, reply) => {
      const { slug } = request.params as { slug: string };
      const service = await findPublishedService(db, slug, request.locale);
      if (!service) throw notFound({ slug });
      const paragraphs = service.body
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean);
      return reply.view(SERVICE, { service, paragraphs, backLink: '/' });
    });

    apiRoute(app, {
      method: 'GET',
      url: '/api/v1/services',
      summary: 'Search the published services of every public body',
      tag: 'Catalogue',
      query: z.object({
        q: z.string().max(100).optional().describe('Words that must all appear'),
        lang: z.enum(['en', 'cy']).default('en'),
      }),
      response: z.object({ services: z.array(PublicServiceSchema) }),
      async handler({ query }) {
        const services = await searchServices(db, query.lang, query.q ?? '');
        return {
          services: services.map((s) => ({
            slug: s.slug,
            title: s.title,
            summary: s.summary,
            url: `${config.baseUrl}/services/${s.slug}`,
            organisation: { slug: s.organisation.slug, name: s.organisation.name },
          })),
        };
      },
    });
  },
};
