import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { isIsoDate } from '../slots.js';

export interface BlackoutForm {
  'date-day': string;
  'date-month': string;
  'date-year': string;
  reason: string;
}

/** The date a blackout form names, or why it names none. */
export function readBlackoutForm(
  form: BlackoutForm,
  today: string,
): { ok: true; date: string; reason: string } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const [d, m, y] = [form['date-day'], form['date-month'], form['date-year']];
  let date = '';
  if (!d && !m && !y) errors.push({ field: 'date-day', message: 'bookings.blackout.date.missing' });
  else if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y))
    errors.push({ field: 'date-day', message: 'bookings.blackout.date.invalid' });
  else {
    date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    if (!isIsoDate(date))
      errors.push({ field: 'date-day', message: 'bookings.blackout.date.invalid' });
    else if (date < today)
      errors.push({ field: 'date-day', message: 'bookings.blackout.date.past' });
  }
  if (form.reason.length > 200)
    errors.push({ field: 'reason', message: 'bookings.blackout.reason.tooLong' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, date, reason: form.reason };
}

/**
 * Closes a resource for a day: no new booking can be made on it. Bookings already made stay
 * (staff cancel them one by one, each refunded), so nobody loses a booking without being told.
 */
export async function addBlackout(
  trx: Db,
  actor: Actor,
  resourceId: string,
  date: string,
  reason: string,
): Promise<void> {
  await trx
    .insertInto('booking_blackouts')
    .values({ resource_id: resourceId, day: date, reason, created_by: actor.userId })
    .onConflict((oc) => oc.columns(['resource_id', 'day']).doUpdateSet({ reason }))
    .execute();
  await recordAudit(trx, actor, {
    action: 'booking-resource.blackout-added',
    resourceType: 'booking-resource',
    resourceId,
    subjectUserId: null,
    details: { date, reason },
  });
}
