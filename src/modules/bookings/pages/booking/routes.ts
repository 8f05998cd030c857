import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { paymentSummary } from '../../../payments/index.js';
import { cancelBooking, settlePayment } from '../../commands/bookings.js';
import type { BookingRow } from '../../db/tables.js';
import { calendarFile } from '../../ics.js';
import { mayCancelNow, mayManageOwnBooking } from '../../policies/bookings.js';
import { describeBooking, findBooking } from '../../queries/bookings.js';
import { findResourceById } from '../../queries/resources.js';
import { actorOf } from '../shared.js';

const VIEW = 'modules/bookings/pages/booking/booking.njk';
const CANCEL_VIEW = 'modules/bookings/pages/booking/cancel.njk';

/** The signed-in person's own booking from the path; anyone else's (or none) is a 404. */
async function ownBooking(
  context: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<{ user: CurrentUser; booking: BookingRow } | null> {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  const { id } = request.params as { id: string };
  const booking = await findBooking(context.db, id);
  if (!booking || !mayManageOwnBooking(user, booking)) throw notFound({ booking: id });
  return { user, booking };
}

/**
 * A person's booking: GET /bookings/:id (its state: confirmed, awaiting payment, payment failed,
 * cancelled), /bookings/:id/paid (where the payment pages send them back: asks the payments
 * module how it ended, so the outcome shows even before the outbox message is handled),
 * /bookings/:id/calendar.ics, and /bookings/:id/cancel ("Are you sure?", then cancel and refund).
 */
export function bookingRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/bookings/:id', async (request, reply) => {
    const own = await ownBooking(context, request, reply);
    if (!own) return reply;
    const { booking } = own;
    const resource = (await findResourceById(context.db, booking.resource_id, request.locale))!;
    const done = (request.query as { done?: unknown }).done === 'cancelled';
    return reply.view(VIEW, {
      booking: describeBooking(booking, request.locale),
      resource,
      cancellable: mayCancelNow(booking, resource.cancelHoursBefore, 'person', new Date()),
      done,
    });
  });

  app.get('/bookings/:id/paid', async (request, reply) => {
    const own = await ownBooking(context, request, reply);
    if (!own) return reply;
    const { booking } = own;
    const summary = booking.payment_id
      ? await paymentSummary(context.db, booking.payment_id)
      : null;
    if (summary && booking.status === 'awaiting-payment') {
      await context.db
        .transaction()
        .execute((trx) =>
          settlePayment(trx, booking.id, summary.paymentId, summary.status, context.config.baseUrl),
        );
    }
    return reply.redirect(`/bookings/${booking.id}`, 303);
  });

  app.get('/bookings/:id/calendar.ics', async (request, reply) => {
    const own = await ownBooking(context, request, reply);
    if (!own) return reply;
    const { booking } = own;
    if (booking.status !== 'confirmed' && booking.status !== 'cancelled') throw notFound();
    const resource = (await findResourceById(context.db, booking.resource_id, booking.language))!;
    const body = calendarFile({
      uid: `${booking.id}@${new URL(context.config.baseUrl).hostname}`,
      stamp: booking.cancelled_at ?? booking.confirmed_at ?? booking.created_at,
      start: booking.starts_at,
      end: booking.ends_at,
      summary: `${resource.name} (${resource.organisationName})`,
      location: resource.location,
      description: `${booking.reference}\n${new URL(`/bookings/${booking.id}`, context.config.baseUrl).toString()}`,
      cancelled: booking.status === 'cancelled',
    });
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${booking.reference}.ics"`)
      .send(body);
  });

  app.get('/bookings/:id/cancel', async (request, reply) => {
    const own = await ownBooking(context, request, reply);
    if (!own) return reply;
    const { booking } = own;
    const resource = (await findResourceById(context.db, booking.resource_id, request.locale))!;
    if (!mayCancelNow(booking, resource.cancelHoursBefore, 'person', new Date()))
      return reply.redirect(`/bookings/${booking.id}`, 303);
    return reply.view(CANCEL_VIEW, {
      booking: describeBooking(booking, request.locale),
      resource,
      refund: booking.status === 'confirmed' && booking.amount > 0,
      backLink: `/bookings/${booking.id}`,
    });
  });

  app.post('/bookings/:id/cancel', async (request, reply) => {
    const own = await ownBooking(context, request, reply);
    if (!own) return reply;
    const { user, booking } = own;
    const outcome = await context.db
      .transaction()
      .execute((trx) =>
        cancelBooking(trx, actorOf(request, user), booking.id, 'person', context.config.baseUrl),
      );
    if (!outcome.ok) {
      const resource = (await findResourceById(context.db, booking.resource_id, request.locale))!;
      return reply.code(409).view(VIEW, {
        booking: describeBooking(booking, request.locale),
        resource,
        cancellable: false,
        errorList: [{ text: request.t('bookings.cancel.tooLate'), href: '#booking' }],
      });
    }
    return reply.redirect(`/bookings/${booking.id}?done=cancelled`, 303);
  });
}
