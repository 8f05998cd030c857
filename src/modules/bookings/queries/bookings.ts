import type { Db } from '../../../platform/db/database.js';
import { formatDate, type Locale } from '../../../platform/i18n/i18n.js';
import type { BookingRow } from '../db/tables.js';
import { pounds } from '../commands/mail.js';
import { londonClock } from '../slots.js';
import { isUuid } from '../../../platform/validation/uuid.js';

export async function findBooking(db: Db, id: string): Promise<BookingRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One person's bookings, soonest last-made first. */
export async function bookingsOf(db: Db, userId: string): Promise<BookingRow[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('starts_at', 'desc')
    .execute();
}

/** A resource's bookings starting in [from, to), in time order: the staff calendar. */
export async function bookingsBetween(
  db: Db,
  resourceId: string,
  from: Date,
  to: Date,
): Promise<BookingRow[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .orderBy('starts_at')
    .orderBy('created_at')
    .execute();
}

/** What pages print of a booking's time and money, in the reader's language. */
export function describeBooking(booking: BookingRow, locale: Locale) {
  return {
    id: booking.id,
    reference: booking.reference,
    status: booking.status,
    date: formatDate(booking.starts_at, locale, { weekday: true }),
    start: londonClock(booking.starts_at),
    end: londonClock(booking.ends_at),
    amount: booking.amount > 0 ? pounds(booking.amount) : null,
    refunded: booking.refunded_amount > 0 ? pounds(booking.refunded_amount) : null,
    personName: booking.person_name,
    email: booking.email,
  };
}
