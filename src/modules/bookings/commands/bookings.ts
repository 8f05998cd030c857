import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { paymentSummary, refundPayment, requestPayment } from '../../payments/index.js';
import type { BookingRow, BookingStatus } from '../db/tables.js';
import { mayCancelNow } from '../policies/bookings.js';
import { slotRules } from '../queries/resources.js';
import { findSlot } from '../slots.js';
import { queueBookingMail } from './mail.js';

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function newReference(): string {
  let text = '';
  for (let i = 0; i < 8; i++) text += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `BK-${text}`;
}

export interface BookingRequest {
  resourceId: string;
  date: string;
  time: string;
  user: { id: string; email: string; displayName: string };
  language: 'en' | 'cy';
}

export type BookOutcome =
  | { ok: true; booking: BookingRow; nextUrl: string | null }
  | { ok: false; reason: 'no-such-slot' | 'full' };

async function loadResource(trx: Db, id: string) {
  return trx
    .selectFrom('booking_resources')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/**
 * Takes one place in a slot, in the caller's transaction. The place is taken by one conditional
 * UPDATE of the slot's counter row: PostgreSQL locks the row and re-reads `taken` after any
 * other writer commits, so two people can never both take the last place (and the row's check
 * constraint refuses overbooking outright). A free booking is confirmed at once; a paid one
 * holds its place, awaiting payment, and answers the payment page to send the person to.
 */
export async function bookSlot(
  trx: Db,
  actor: Actor,
  input: BookingRequest,
  baseUrl: string,
  now = new Date(),
): Promise<BookOutcome> {
  const resource = await loadResource(trx, input.resourceId);
  if (resource.withdrawn_at) return { ok: false, reason: 'no-such-slot' };
  const slot = findSlot(await slotRules(trx, resource.id), input.date, input.time, now);
  if (!slot) return { ok: false, reason: 'no-such-slot' };
  await trx
    .insertInto('booking_slots')
    .values({ resource_id: resource.id, starts_at: slot.start, capacity: resource.capacity })
    .onConflict((oc) => oc.columns(['resource_id', 'starts_at']).doNothing())
    .execute();
  const taken = await trx
    .updateTable('booking_slots')
    .set({ taken: sql`taken + 1` })
    .where('resource_id', '=', resource.id)
    .where('starts_at', '=', slot.start)
    .where(sql<boolean>`taken < capacity`)
    .returning('taken')
    .executeTakeFirst();
  if (!taken) return { ok: false, reason: 'full' };
  const free = resource.price_pence === 0;
  let booking = await trx
    .insertInto('bookings')
    .values({
      reference: newReference(),
      resource_id: resource.id,
      organisation_id: resource.organisation_id,
      user_id: input.user.id,
      person_name: input.user.displayName,
      email: input.user.email,
      language: input.language,
      starts_at: slot.start,
      ends_at: slot.end,
      amount: resource.price_pence,
      status: free ? 'confirmed' : 'awaiting-payment',
      confirmed_at: free ? now : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  let nextUrl: string | null = null;
  if (free) {
    await queueBookingMail(trx, 'confirmed', booking, resource, baseUrl);
  } else {
    const payment = await requestPayment(trx, {
      organisationId: resource.organisation_id,
      amount: resource.price_pence,
      description: `${resource.name}, ${input.date} ${input.time}`.slice(0, 255),
      reference: booking.reference,
      returnUrl: `/bookings/${booking.id}/paid`,
      language: input.language,
      email: input.user.email,
      purpose: { kind: 'bookings', id: booking.id },
    });
    booking = await trx
      .updateTable('bookings')
      .set({ payment_id: payment.paymentId })
      .where('id', '=', booking.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    nextUrl = payment.nextUrl;
  }
  await audit(trx, actor, booking, 'booking.created', {
    resourceId: resource.id,
    startsAt: slot.start.toISOString(),
    status: booking.status,
  });
  return { ok: true, booking, nextUrl };
}

async function audit(
  trx: Db,
  actor: Actor,
  booking: BookingRow,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(trx, actor, {
    action,
    resourceType: 'booking',
    resourceId: booking.id,
    subjectUserId: booking.user_id,
    details: { reference: booking.reference, ...details },
  });
}

/** Gives a booking's place back to its slot. */
async function releasePlace(trx: Db, booking: BookingRow): Promise<void> {
  await trx
    .updateTable('booking_slots')
    .set({ taken: sql`taken - 1` })
    .where('resource_id', '=', booking.resource_id)
    .where('starts_at', '=', booking.starts_at)
    .execute();
}

/** The booking, locked for the rest of the transaction so settling and cancelling take turns. */
async function lockBooking(trx: Db, id: string): Promise<BookingRow | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return trx.selectFrom('bookings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

const PLATFORM: Actor = { userId: null, organisationId: null, role: 'platform' };
const FINISHED = new Set(['success', 'failed', 'cancelled', 'error']);

/**
 * Acts on a booking's payment having finished: success confirms it (and sends the e-mail), any
 * other end gives the place back. Both the outbox message and the person's return visit call
 * this; whichever comes second finds nothing to do. A payment that succeeds for a booking
 * already cancelled (the person cancelled while paying) is refunded in full.
 */
export async function settlePayment(
  trx: Db,
  bookingId: string,
  paymentId: string,
  status: string,
  baseUrl: string,
  now = new Date(),
): Promise<BookingRow | undefined> {
  const booking = await lockBooking(trx, bookingId);
  if (!booking || booking.payment_id !== paymentId || !FINISHED.has(status)) return booking;
  if (booking.status === 'awaiting-payment') {
    const next: BookingStatus = status === 'success' ? 'confirmed' : 'payment-failed';
    const updated = await trx
      .updateTable('bookings')
      .set({ status: next, confirmed_at: next === 'confirmed' ? now : null })
      .where('id', '=', booking.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const resource = await loadResource(trx, booking.resource_id);
    if (next === 'confirmed') await queueBookingMail(trx, 'confirmed', updated, resource, baseUrl);
    else await releasePlace(trx, booking);
    await audit(trx, PLATFORM, updated, `booking.${next}`, { paymentStatus: status });
    return updated;
  }
  if (booking.status === 'cancelled' && status === 'success' && booking.refunded_amount === 0) {
    return refundInFull(trx, booking, PLATFORM);
  }
  return booking;
}

async function refundInFull(
  trx: Db,
  booking: BookingRow,
  actor: Actor,
): Promise<BookingRow | undefined> {
  const summary = booking.payment_id ? await paymentSummary(trx, booking.payment_id) : null;
  if (!summary || summary.refundable === 0) return booking;
  const refund = await refundPayment(trx, {
    paymentId: summary.paymentId,
    amount: summary.refundable,
  });
  if (!refund.ok) throw new Error(`Refund of booking ${booking.id} refused: ${refund.reason}`);
  const updated = await trx
    .updateTable('bookings')
    .set({
      refund_id: refund.refundId,
      refunded_amount: booking.refunded_amount + summary.refundable,
    })
    .where('id', '=', booking.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, updated, 'booking.refunded', { amount: summary.refundable });
  return updated;
}

export type CancelOutcome =
  { ok: true; booking: BookingRow } | { ok: false; reason: 'not-cancellable' };

/**
 * Cancels a booking and gives its place back; a paid booking is refunded in full, in the same
 * transaction, so the refund and the cancellation stand or fall together. A person may cancel
 * only within the body's rule; staff may cancel any booking that has not ended.
 */
export async function cancelBooking(
  trx: Db,
  actor: Actor,
  bookingId: string,
  by: 'person' | 'staff',
  baseUrl: string,
  now = new Date(),
): Promise<CancelOutcome> {
  const booking = await lockBooking(trx, bookingId);
  if (!booking) return { ok: false, reason: 'not-cancellable' };
  const resource = await loadResource(trx, booking.resource_id);
  if (!mayCancelNow(booking, resource.cancel_hours_before, by, now))
    return { ok: false, reason: 'not-cancellable' };
  const cancelled = await trx
    .updateTable('bookings')
    .set({ status: 'cancelled', cancelled_at: now, cancelled_by: by })
    .where('id', '=', booking.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await releasePlace(trx, booking);
  await audit(trx, actor, cancelled, 'booking.cancelled', { by });
  const refunded =
    booking.status === 'confirmed' && booking.amount > 0
      ? await refundInFull(trx, cancelled, actor)
      : cancelled;
  await queueBookingMail(trx, 'cancelled', refunded ?? cancelled, resource, baseUrl);
  return { ok: true, booking: refunded ?? cancelled };
}

/**
 * A deleted account's bookings: those still to come are cancelled (places given back, paid
 * ones refunded in full, no e-mail: the address is going) and every booking forgets the name
 * and e-mail address. The account row stays, as identity keeps it.
 */
export async function eraseForAccount(trx: Db, userId: string, now = new Date()): Promise<void> {
  const actor: Actor = { userId, organisationId: null, role: 'citizen' };
  const held = await trx
    .selectFrom('bookings')
    .selectAll()
    .where('user_id', '=', userId)
    .where('status', 'in', ['awaiting-payment', 'confirmed'])
    .where('ends_at', '>', now)
    .forUpdate()
    .execute();
  for (const booking of held) {
    const cancelled = await trx
      .updateTable('bookings')
      .set({ status: 'cancelled', cancelled_at: now, cancelled_by: 'person' })
      .where('id', '=', booking.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await releasePlace(trx, booking);
    await audit(trx, actor, cancelled, 'booking.cancelled', { by: 'account-deleted' });
    if (booking.status === 'confirmed' && booking.amount > 0)
      await refundInFull(trx, cancelled, actor);
  }
  await trx
    .updateTable('bookings')
    .set({ person_name: 'Deleted account', email: `deleted-${userId}@invalid` })
    .where('user_id', '=', userId)
    .execute();
}
