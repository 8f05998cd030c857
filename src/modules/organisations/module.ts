import type { ModuleManifest } from '../../platform/http/types.js';
import { apiRoute } from '../../platform/http/api.js';
import { z } from 'zod';
import { listOrganisations } from './queries/organisations.js';

const Organisation = z.object({
  slug: z.string(),
  name: z.string(),
  name_cy: z.string().nullable(),
  type: z.string(),
  gss_code: z.string().nullable().describe('ONS Government Statistical Service code of the area'),
});

/** Public bodies on the platform: central departments, counties, districts, unitaries … */
export const organisationsModule: ModuleManifest = {
  name: 'organisations',
  routes(app, { db }) {
    apiRoute(app, {
      method: 'GET',
      url: '/api/v1/organisations',
      summary: 'List the public bodies on this platform',
      tag: 'Organisations',
      response: z.object({ organisations: z.array(Organisation) }),
      async handler() {
        const rows = await listOrganisations(db);
        return {
          organisations: rows.map((o) => ({
            slug: o.slug,
            name: o.name,
            name_cy: o.name_cy,
            type: o.type,
            gss_code: o.gss_code,
          })),
        };
      },
    });
  },
};
