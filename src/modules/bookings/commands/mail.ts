import type { Db } from '../../../platform/db/database.js';
import {
  formatDate,
  loadMessages,
  translator,
  type Messages,
} from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type { BookingRow } from '../db/tables.js';
import { londonClock } from '../slots.js';

let messages: Promise<Messages> | undefined;
const loaded = () => (messages ??= loadMessages());

/** "£25.00" */
export function pounds(pence: number): string {
  return `£${(pence / 100).toFixed(2)}`;
}

/**
 * Queues the e-mail about a booking that was confirmed or cancelled, in the language the person
 * booked in, with the link to its calendar file. One e-mail per booking and kind, however
 * often the caller runs (the outbox drops a repeated key).
 */
export async function queueBookingMail(
  trx: Db,
  kind: 'confirmed' | 'cancelled',
  booking: BookingRow,
  resource: { name: string; name_cy: string | null; location: string },
  baseUrl: string,
): Promise<void> {
  const t = translator(await loaded(), booking.language);
  const name = (booking.language === 'cy' && resource.name_cy) || resource.name;
  const values = {
    name: booking.person_name,
    resource: name,
    reference: booking.reference,
    date: formatDate(booking.starts_at, booking.language, { weekday: true }),
    start: londonClock(booking.starts_at),
    end: londonClock(booking.ends_at),
    location: resource.location,
    amount: pounds(booking.amount),
    refund: pounds(booking.refunded_amount),
    calendar: new URL(`/bookings/${booking.id}/calendar.ics`, baseUrl).toString(),
    link: new URL(`/bookings/${booking.id}`, baseUrl).toString(),
  };
  const refundLine =
    kind === 'cancelled' && booking.refunded_amount > 0 ? t('bookings.mail.refund', values) : '';
  await enqueue(trx, {
    topic: MAIL_TOPIC,
    payload: {
      to: booking.email,
      subject: t(`bookings.mail.${kind}.subject`, values),
      text: [t(`bookings.mail.${kind}.body`, values), refundLine].filter(Boolean).join('\n\n'),
    },
    idempotencyKey: `bookings.mail.${kind}:${booking.id}`,
  });
}
