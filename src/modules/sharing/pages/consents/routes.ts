import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { withdrawConsent } from '../../commands/changes.js';
import { consentsOf } from '../../queries/changes.js';
import { actorOf, basisText, citizen, dateTime, nameIn, purposeIn } from '../shared.js';

/**
 * GET /account/consents: the person's consents, when given and for what (body, purpose, kinds
 * of change); POST /account/consents/:id/withdraw stops sharing under it at once.
 */
export function consentRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/account/consents', async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const consents = await consentsOf(context.db, user.id);
    return reply.view('modules/sharing/pages/consents/consents.njk', {
      withdrawn: (request.query as { withdrawn?: string }).withdrawn === '1',
      consents: consents.map((c) => ({
        id: c.id,
        name: nameIn(request, c),
        purpose: purposeIn(request, c.agreement),
        basis: basisText(request, c.agreement),
        types: c.agreement.event_types.map((t) => request.t(`sharing.type.${t}`)).join(', '),
        given: dateTime(request, c.given_at),
        withdrawnAt: dateTime(request, c.withdrawn_at),
        live: c.withdrawn_at === null,
      })),
    });
  });

  app.post('/account/consents/:id/withdraw', async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound();
    const withdrawn = await context.db
      .transaction()
      .execute((trx) =>
        withdrawConsent(trx, user.id, id, actorOf(request, user), context.config.baseUrl),
      );
    // Someone else's consent, or one already withdrawn, is not theirs to withdraw: not found.
    if (!withdrawn) throw notFound();
    return reply.redirect('/account/consents?withdrawn=1', 303);
  });
}
