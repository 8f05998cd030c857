/**
 * The person's offers (`/account/offers`): the services an approval of theirs makes them
 * eligible for, each with "Apply" (recorded, then the service's form starts, prefilled from
 * their account where it asks for it) and "No thanks" (recorded). Nothing is applied for until
 * the person sends the form themselves.
 */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { respondToOffer } from '../../commands/offers.js';
import { mayAnswerOffers } from '../../policies/passports.js';
import { offersFor } from '../../queries/passports.js';
import { actorOf } from '../shared.js';

const OFFERS = 'modules/passports/pages/account/offers.njk';
const DONE = new Set(['declined', 'answered']);

export function accountOfferRoutes(app: FastifyInstance, { db }: AppContext): void {
  app.get('/account/offers', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!mayAnswerOffers(user)) throw notFound();
    const offers = await offersFor(db, user.id, request.locale);
    const done = (request.query as { done?: unknown }).done;
    return reply.view(OFFERS, {
      open: offers.filter((o) => o.status === 'offered' && o.service),
      answered: offers.filter((o) => o.status !== 'offered'),
      done: typeof done === 'string' && DONE.has(done) ? done : null,
    });
  });

  for (const [action, answer] of [
    ['apply', 'accepted'],
    ['decline', 'declined'],
  ] as const) {
    app.post(`/account/offers/:id/${action}`, async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      if (!mayAnswerOffers(user)) throw notFound();
      const { id } = request.params as { id: string };
      const outcome = await db
        .transaction()
        .execute((trx) => respondToOffer(trx, user, id, answer, actorOf(request, user)));
      if (!outcome.ok) {
        if (outcome.reason === 'not-found') throw notFound({ offer: id });
        return reply.redirect('/account/offers?done=answered', 303);
      }
      if (answer === 'declined') return reply.redirect('/account/offers?done=declined', 303);
      const offers = await offersFor(db, user.id, request.locale);
      const service = offers.find((o) => o.id === outcome.offer.id)?.service;
      if (!service) return reply.redirect('/account/offers', 303);
      // The form starts; the person answers and sends it themselves.
      return reply.redirect(
        service.hasForm ? `/services/${service.slug}/apply` : `/services/${service.slug}`,
        303,
      );
    });
  }
}
