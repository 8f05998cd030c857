import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { findPublishedServiceById } from '../../../catalogue/index.js';
import { hashToken, isTokenShaped, unsubscribe } from '../../commands/reminders.js';
import { describeSchedule } from '../../describe.js';
import { findReminderByTokenHash } from '../../queries/reminders.js';

const VIEW = 'modules/reminders/pages/unsubscribe/unsubscribe.njk';

/**
 * GET and POST /reminders/unsubscribe/<token>: the link in every reminder message. The token
 * is the authority, so no session is needed. GET only shows one button (mail scanners follow
 * links; following one must stop nothing); POST stops the reminder. E-mail programs POST here
 * themselves for RFC 8058 one-click unsubscribe, with no cookies and so no CSRF token: the POST
 * is answered in the route's preValidation step, before the platform's CSRF check (a preHandler)
 * runs. An unknown token is a 404; a used one says the reminders were already stopped.
 */
export function unsubscribeRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/reminders/unsubscribe/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const reminder = isTokenShaped(token)
      ? await findReminderByTokenHash(context.db, hashToken(token))
      : undefined;
    if (!reminder) throw notFound();
    const service = await findPublishedServiceById(context.db, reminder.serviceId, request.locale);
    return reply.view(VIEW, {
      token,
      state: reminder.cancelledAt ? 'already' : 'ask',
      serviceTitle: service?.title ?? null,
      description: describeSchedule(reminder.schedule, request.t, request.locale),
    });
  });

  const stop = async (request: FastifyRequest, reply: FastifyReply) => {
    const { token } = request.params as { token: string };
    const { result, serviceId } = await context.db
      .transaction()
      .execute((trx) => unsubscribe(trx, token, request.id));
    if (result === 'unknown') throw notFound();
    const service = serviceId
      ? await findPublishedServiceById(context.db, serviceId, request.locale)
      : undefined;
    await reply.view(VIEW, { token, state: result, serviceTitle: service?.title ?? null });
    return reply;
  };
  void app.register(async (scope) => {
    // RFC 8058 lets the e-mail program send its `List-Unsubscribe=One-Click` body as
    // multipart/form-data; nothing in it is needed, so here it is read and dropped.
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, _body, done) => done(null, {}),
    );
    // Answering in preValidation ends the request there; the handler is never reached.
    scope.post('/reminders/unsubscribe/:token', { preValidation: stop }, stop);
  });
}
