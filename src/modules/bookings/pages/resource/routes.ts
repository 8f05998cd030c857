import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import { formatDate } from '../../../../platform/i18n/i18n.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { bookSlot } from '../../commands/bookings.js';
import { pounds } from '../../commands/mail.js';
import { mayBook } from '../../policies/bookings.js';
import { findResource, type ResourceView } from '../../queries/resources.js';
import { isIsoDate, londonClock, londonDate } from '../../slots.js';
import { actorOf, queryText } from '../shared.js';
import { dayChoices, slotsWithPlaces } from './availability.js';

const DAY_VIEW = 'modules/bookings/pages/resource/day.njk';
const TIME_VIEW = 'modules/bookings/pages/resource/time.njk';
const CHECK_VIEW = 'modules/bookings/pages/resource/check.njk';

async function resourceOf(context: AppContext, request: FastifyRequest): Promise<ResourceView> {
  const { org, resource } = request.params as { org: string; resource: string };
  const found = await findResource(context.db, org, resource, request.locale);
  if (!found) throw notFound({ org, resource });
  return found;
}

function price(resource: ResourceView, t: FastifyRequest['t']): string {
  return resource.pricePence > 0 ? pounds(resource.pricePence) : t('bookings.free');
}

async function renderDay(
  context: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  resource: ResourceView,
  error: string | null,
) {
  const now = new Date();
  const after = queryText(request, 'after');
  const from = isIsoDate(after) ? after : londonDate(now);
  const choices = await dayChoices(context.db, resource, from, now, request.locale, request.t);
  const errors = error ? [{ text: request.t(error), href: '#day' }] : [];
  return reply.code(error ? 400 : 200).view(DAY_VIEW, {
    resource,
    price: price(resource, request.t),
    ...choices,
    errorList: errors,
    dayError: error ? { text: request.t(error) } : undefined,
    backLink: '/bookings',
  });
}

async function renderTime(
  context: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  resource: ResourceView,
  date: string,
  error: { key: string; status: number } | null,
) {
  const slots = await slotsWithPlaces(context.db, resource, date, new Date());
  if (slots.length === 0)
    return renderDay(context, request, reply, resource, 'bookings.day.invalid');
  const t = request.t;
  return reply.code(error?.status ?? 200).view(TIME_VIEW, {
    resource,
    date,
    dateText: formatDate(date, request.locale, { weekday: true }),
    slots: slots.map((slot) => ({
      value: slot.time,
      text: t('bookings.time.range', { start: slot.time, end: londonClock(slot.end) }),
      hint:
        slot.free <= 0
          ? t('bookings.time.full')
          : resource.capacity > 1
            ? t('bookings.time.places', { count: slot.free })
            : undefined,
      disabled: slot.free <= 0,
    })),
    errorList: error ? [{ text: t(error.key), href: '#time' }] : [],
    timeError: error ? { text: t(error.key) } : undefined,
    backLink: resource.path,
  });
}

/**
 * The booking journey for one resource, one thing a page: /book/<body>/<resource> "Which day?",
 * …/time?day= "Which time?", …/check?day=&time= "Check your booking", whose POST takes the place
 * and goes on to the payment page (or, for a free resource, to the confirmation). Choosing
 * is open to anyone; checking and booking need a signed-in person.
 */
export function resourceRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/book/:org/:resource', async (request, reply) => {
    const resource = await resourceOf(context, request);
    return renderDay(context, request, reply, resource, null);
  });

  app.get('/book/:org/:resource/time', async (request, reply) => {
    const resource = await resourceOf(context, request);
    const day = queryText(request, 'day');
    if (!day) return renderDay(context, request, reply, resource, 'bookings.day.missing');
    if (!isIsoDate(day))
      return renderDay(context, request, reply, resource, 'bookings.day.invalid');
    return renderTime(context, request, reply, resource, day, null);
  });

  app.get('/book/:org/:resource/check', async (request, reply) => {
    const resource = await resourceOf(context, request);
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!mayBook(user)) throw notFound();
    const day = queryText(request, 'day');
    const time = queryText(request, 'time');
    if (!isIsoDate(day))
      return renderDay(context, request, reply, resource, 'bookings.day.invalid');
    const slot = (await slotsWithPlaces(context.db, resource, day, new Date())).find(
      (s) => s.time === time,
    );
    if (!slot) {
      const key = time ? 'bookings.time.invalid' : 'bookings.time.missing';
      return renderTime(context, request, reply, resource, day, { key, status: 400 });
    }
    if (slot.free <= 0)
      return renderTime(context, request, reply, resource, day, {
        key: 'bookings.time.taken',
        status: 409,
      });
    return reply.view(CHECK_VIEW, {
      resource,
      day,
      time,
      dateText: formatDate(day, request.locale, { weekday: true }),
      timeText: request.t('bookings.time.range', { start: slot.time, end: londonClock(slot.end) }),
      price: price(resource, request.t),
      paid: resource.pricePence > 0,
      backLink: `${resource.path}/time?day=${day}`,
    });
  });

  app.post('/book/:org/:resource/check', async (request, reply) => {
    const resource = await resourceOf(context, request);
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!mayBook(user)) throw notFound();
    const day = formText(request.body, 'day');
    const time = formText(request.body, 'time');
    if (!isIsoDate(day))
      return renderDay(context, request, reply, resource, 'bookings.day.invalid');
    const outcome = await context.db.transaction().execute((trx) =>
      bookSlot(
        trx,
        actorOf(request, user),
        {
          resourceId: resource.id,
          date: day,
          time,
          user: { id: user.id, email: user.email, displayName: user.displayName },
          language: request.locale,
        },
        context.config.baseUrl,
      ),
    );
    if (!outcome.ok) {
      const error =
        outcome.reason === 'full'
          ? { key: 'bookings.time.taken', status: 409 }
          : { key: 'bookings.time.invalid', status: 400 };
      return renderTime(context, request, reply, resource, day, error);
    }
    if (outcome.nextUrl) return reply.redirect(outcome.nextUrl, 303);
    return reply.redirect(`/bookings/${outcome.booking.id}`, 303);
  });
}
