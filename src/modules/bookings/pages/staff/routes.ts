import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import { formatDate } from '../../../../platform/i18n/i18n.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { addBlackout, readBlackoutForm, type BlackoutForm } from '../../commands/blackouts.js';
import { cancelBooking } from '../../commands/bookings.js';
import type { BookingRow } from '../../db/tables.js';
import { isBodyStaff, mayCancelNow, mayManageBodyBookings } from '../../policies/bookings.js';
import { bookingsBetween, describeBooking, findBooking } from '../../queries/bookings.js';
import {
  blackoutsOf,
  findResourceById,
  resourcesOf,
  type ResourceView,
} from '../../queries/resources.js';
import { addDays, isIsoDate, londonDate, londonTime, weekdayOf } from '../../slots.js';
import { actorOf, queryText } from '../shared.js';

const CALENDAR_VIEW = 'modules/bookings/pages/staff/calendar.njk';
const BOOKING_VIEW = 'modules/bookings/pages/staff/booking.njk';
const BLACKOUT_VIEW = 'modules/bookings/pages/staff/blackouts.njk';

function staffOnly(user: CurrentUser): CurrentUser {
  if (!isBodyStaff(user)) throw notFound();
  return user;
}

/** A resource of the signed-in member of staff's own body; another body's is a 404. */
async function ownResource(
  db: Db,
  request: FastifyRequest,
  user: CurrentUser,
  id: string,
): Promise<ResourceView> {
  const resource = await findResourceById(db, id, request.locale);
  if (!resource || !mayManageBodyBookings(user, resource.organisationId))
    throw notFound({ resource: id });
  return resource;
}

/** A booking of the member of staff's body, its reading recorded in the audit log. */
async function ownBooking(
  context: AppContext,
  request: FastifyRequest,
  user: CurrentUser,
): Promise<BookingRow> {
  const { id } = request.params as { id: string };
  const booking = await findBooking(context.db, id);
  if (!booking || !mayManageBodyBookings(user, booking.organisation_id))
    throw notFound({ booking: id });
  return booking;
}

/** Staff reads of people's bookings go to the audit log, one entry a booking seen. */
async function auditReads(
  db: Db,
  request: FastifyRequest,
  user: CurrentUser,
  bookings: BookingRow[],
): Promise<void> {
  if (bookings.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const booking of bookings)
      await recordAudit(trx, actorOf(request, user), {
        action: 'booking.viewed-by-staff',
        resourceType: 'booking',
        resourceId: booking.id,
        subjectUserId: booking.user_id,
        details: { reference: booking.reference },
      });
  });
}

/** Monday of the week of a date (staff weeks run Monday to Sunday). */
function mondayOf(date: string): string {
  return addDays(date, -((weekdayOf(date) + 6) % 7));
}

/**
 * The staff side: /staff/bookings lists the body's resources; with ?resource=&day=&view=day|week
 * it is that resource's calendar, each booking linking to /staff/bookings/:id (details, cancel
 * with a full refund); /staff/bookings/resources/:id/blackouts closes a day. Any staff role of
 * the body may use them; another body's staff get 404, and every booking shown is audited.
 */
export function staffRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/staff/bookings', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffOnly(signedIn);
    const resources = await resourcesOf(context.db, user.organisationId!, request.locale);
    const resourceId = queryText(request, 'resource');
    if (!resourceId) return reply.view(CALENDAR_VIEW, { resources, resource: null });
    const resource = await ownResource(context.db, request, user, resourceId);
    const today = londonDate(new Date());
    const dayText = queryText(request, 'day');
    const week = queryText(request, 'view') === 'week';
    const first = week
      ? mondayOf(isIsoDate(dayText) ? dayText : today)
      : isIsoDate(dayText)
        ? dayText
        : today;
    const length = week ? 7 : 1;
    const bookings = await bookingsBetween(
      context.db,
      resource.id,
      londonTime(first, 0),
      londonTime(addDays(first, length), 0),
    );
    await auditReads(context.db, request, user, bookings);
    const days = Array.from({ length }, (_, i) => addDays(first, i)).map((date) => ({
      date,
      text: formatDate(date, request.locale, { weekday: true }),
      bookings: bookings
        .filter((b) => londonDate(new Date(b.starts_at)) === date)
        .map((b) => describeBooking(b, request.locale)),
    }));
    const base = `/staff/bookings?resource=${resource.id}&view=${week ? 'week' : 'day'}`;
    return reply.view(CALENDAR_VIEW, {
      resources,
      resource,
      week,
      days,
      previous: `${base}&day=${addDays(first, -length)}`,
      next: `${base}&day=${addDays(first, length)}`,
      dayLink: `/staff/bookings?resource=${resource.id}&view=day&day=${first}`,
      weekLink: `/staff/bookings?resource=${resource.id}&view=week&day=${first}`,
    });
  });

  app.get('/staff/bookings/:id', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffOnly(signedIn);
    const booking = await ownBooking(context, request, user);
    await auditReads(context.db, request, user, [booking]);
    const resource = (await findResourceById(context.db, booking.resource_id, request.locale))!;
    return reply.view(BOOKING_VIEW, {
      booking: describeBooking(booking, request.locale),
      resource,
      cancellable: mayCancelNow(booking, 0, 'staff', new Date()),
      done: (request.query as { done?: unknown }).done === 'cancelled',
      backLink: `/staff/bookings?resource=${resource.id}&day=${londonDate(new Date(booking.starts_at))}`,
    });
  });

  app.post('/staff/bookings/:id/cancel', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffOnly(signedIn);
    const booking = await ownBooking(context, request, user);
    const outcome = await context.db
      .transaction()
      .execute((trx) =>
        cancelBooking(trx, actorOf(request, user), booking.id, 'staff', context.config.baseUrl),
      );
    if (!outcome.ok) return reply.redirect(`/staff/bookings/${booking.id}`, 303);
    return reply.redirect(`/staff/bookings/${booking.id}?done=cancelled`, 303);
  });

  async function blackoutPage(request: FastifyRequest, resource: ResourceView) {
    const blackouts = await blackoutsOf(context.db, resource.id);
    return {
      resource,
      blackouts: blackouts.map((b) => ({
        text: formatDate(b.day, request.locale, { weekday: true }),
        reason: b.reason,
      })),
      backLink: `/staff/bookings?resource=${resource.id}`,
    };
  }

  app.get('/staff/bookings/resources/:id/blackouts', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffOnly(signedIn);
    const { id } = request.params as { id: string };
    const resource = await ownResource(context.db, request, user, id);
    const done = (request.query as { done?: unknown }).done === 'added';
    return reply.view(BLACKOUT_VIEW, {
      ...(await blackoutPage(request, resource)),
      values: {},
      done,
    });
  });

  app.post('/staff/bookings/resources/:id/blackouts', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffOnly(signedIn);
    const { id } = request.params as { id: string };
    const resource = await ownResource(context.db, request, user, id);
    const values: BlackoutForm = {
      'date-day': formText(request.body, 'date-day'),
      'date-month': formText(request.body, 'date-month'),
      'date-year': formText(request.body, 'date-year'),
      reason: formText(request.body, 'reason'),
    };
    const outcome = readBlackoutForm(values, londonDate(new Date()));
    if (!outcome.ok) {
      return reply.code(400).view(BLACKOUT_VIEW, {
        ...(await blackoutPage(request, resource)),
        values,
        ...errorView(outcome.errors, request.t),
      });
    }
    await context.db
      .transaction()
      .execute((trx) =>
        addBlackout(trx, actorOf(request, user), resource.id, outcome.date, outcome.reason),
      );
    return reply.redirect(`/staff/bookings/resources/${resource.id}/blackouts?done=added`, 303);
  });
}
