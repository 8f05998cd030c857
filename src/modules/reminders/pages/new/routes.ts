import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { findPublishedService, type PublicService } from '../../../catalogue/index.js';
import { findUserById, requireSignIn } from '../../../identity/index.js';
import {
  readReminderForm,
  reminderFormValues,
  type ReminderFormValues,
} from '../../commands/reminder-form.js';
import { subscribe } from '../../commands/reminders.js';
import type { ReminderChannel } from '../../db/tables.js';
import { channelsFor, maySubscribe } from '../../policies/reminders.js';
import { MAX_INSTALMENTS } from '../../schedule.js';
import { actorOf } from '../shared.js';

const VIEW = 'modules/reminders/pages/new/new.njk';

/** The service a reminder is about, from `?service=` or the form's hidden field; 404 if none. */
async function serviceFor(
  context: AppContext,
  request: FastifyRequest,
  slug: string,
): Promise<PublicService> {
  const service = /^[a-z0-9-]{1,120}$/.test(slug)
    ? await findPublishedService(context.db, slug, request.locale)
    : undefined;
  if (!service) throw notFound({ service: slug });
  return service;
}

/** The ways this person may get reminders, and where they would go. */
async function channelsOf(context: AppContext, user: CurrentUser) {
  const account = await findUserById(context.db, user.id);
  return { channels: channelsFor(account), email: user.email, phone: account?.phone ?? null };
}

function view(
  service: PublicService,
  reach: { channels: ReminderChannel[]; email: string; phone: string | null },
  values: Partial<ReminderFormValues>,
) {
  return {
    service,
    ...reach,
    values,
    maxInstalments: MAX_INSTALMENTS,
    backLink: `/services/${service.slug}`,
  };
}

/**
 * GET/POST /reminders/new?service=<slug>: "Get reminders" about a service. The kind of reminder
 * is chosen with radios whose fields are revealed with JavaScript and all shown without it; only
 * the chosen kind's fields are checked. A valid form sets up the reminder and its first message
 * in one transaction, then goes to /reminders with a success banner.
 */
export function newReminderRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/reminders/new', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!maySubscribe(user)) throw notFound();
    const query = request.query as Record<string, unknown>;
    const service = await serviceFor(context, request, String(query.service ?? ''));
    return reply.view(VIEW, view(service, await channelsOf(context, user), {}));
  });

  app.post('/reminders/new', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!maySubscribe(user)) throw notFound();
    const service = await serviceFor(context, request, formText(request.body, 'service'));
    const reach = await channelsOf(context, user);
    const values = reminderFormValues(request.body);
    const now = new Date();
    const outcome = readReminderForm(values, reach.channels, now);
    if (!outcome.ok) {
      return reply
        .code(400)
        .view(VIEW, { ...view(service, reach, values), ...errorView(outcome.errors, request.t) });
    }
    const made = await context.db.transaction().execute((trx) =>
      subscribe(
        trx,
        actorOf(request, user),
        {
          userId: user.id,
          serviceId: service.id,
          schedule: outcome.schedule,
          channel: outcome.channel,
          locale: request.locale,
        },
        now,
      ),
    );
    // The form was checked against the same instant, so there is always a first reminder.
    if (!made) throw new Error('A checked reminder had no first occurrence');
    return reply.redirect('/reminders?done=created', 303);
  });
}
