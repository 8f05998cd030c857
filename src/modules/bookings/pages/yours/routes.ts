import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { mayBook } from '../../policies/bookings.js';
import { bookingsOf, describeBooking } from '../../queries/bookings.js';
import { listResources } from '../../queries/resources.js';

const VIEW = 'modules/bookings/pages/yours/yours.njk';

/** GET /bookings/yours: the signed-in person's bookings, to come and past. */
export function yoursRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/bookings/yours', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!mayBook(user)) throw notFound();
    const resources = new Map(
      (await listResources(context.db, request.locale)).map((r) => [r.id, r]),
    );
    const now = Date.now();
    const bookings = (await bookingsOf(context.db, user.id)).map((booking) => ({
      ...describeBooking(booking, request.locale),
      resource: resources.get(booking.resource_id)!,
      past: new Date(booking.ends_at).getTime() < now,
    }));
    return reply.view(VIEW, {
      upcoming: bookings.filter((b) => !b.past).reverse(),
      past: bookings.filter((b) => b.past),
    });
  });
}
