import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../../platform/http/types.js';
import { pounds } from '../../commands/mail.js';
import { listResources } from '../../queries/resources.js';

const VIEW = 'modules/bookings/pages/list/list.njk';

/** GET /bookings: "Book a venue, pitch, course or appointment", every body's resources by body. */
export function listRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/bookings', async (request, reply) => {
    const resources = await listResources(context.db, request.locale);
    const bodies: { name: string; resources: unknown[] }[] = [];
    for (const resource of resources) {
      let body = bodies.find((b) => b.name === resource.organisationName);
      if (!body) bodies.push((body = { name: resource.organisationName, resources: [] }));
      body.resources.push({
        ...resource,
        price: resource.pricePence > 0 ? pounds(resource.pricePence) : request.t('bookings.free'),
      });
    }
    return reply.view(VIEW, { bodies, signedIn: !!request.user });
  });
}
