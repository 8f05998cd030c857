import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { formatDateTime } from '../../../../platform/i18n/i18n.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { cancelReminder } from '../../commands/reminders.js';
import { mayManageReminder, maySubscribe } from '../../policies/reminders.js';
import { findReminder } from '../../queries/reminders.js';
import { remindersFor } from '../../queries/summaries.js';
import { actorOf } from '../shared.js';

const VIEW = 'modules/reminders/pages/list/list.njk';
const DONE = ['created', 'cancelled'] as const;

/**
 * GET /reminders: the person's reminders with when the next one comes and a button to stop
 * each; POST /reminders/:id/cancel stops one of their own (anyone else's id is a 404).
 */
export function listRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/reminders', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!maySubscribe(user)) throw notFound();
    const reminders = await remindersFor(context.db, user.id, request.locale);
    const done = (request.query as { done?: unknown }).done;
    return reply.view(VIEW, {
      reminders: reminders.map((reminder) => ({
        ...reminder,
        nextDueText: reminder.nextDue ? formatDateTime(reminder.nextDue, request.locale) : null,
      })),
      done: DONE.find((value) => value === done) ?? null,
    });
  });

  app.post('/reminders/:id/cancel', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const reminder = await findReminder(context.db, id);
    if (!reminder || !mayManageReminder(user, reminder)) throw notFound({ reminder: id });
    await context.db
      .transaction()
      .execute((trx) => cancelReminder(trx, actorOf(request, user), reminder));
    return reply.redirect('/reminders?done=cancelled', 303);
  });
}
