import type { Db } from '../../../platform/db/database.js';
import { WEEKDAYS, type ResourceForm } from '../commands/resources.js';

function clock(minutes: number): string {
  if (minutes === 1440) return '24:00';
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function poundsText(pence: number): string {
  return `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
}

/** A resource's settings as the "Change" form shows them, both languages, or undefined. */
export async function resourceFormValues(
  db: Db,
  resourceId: string,
): Promise<{ organisationId: string; values: ResourceForm } | undefined> {
  const row = await db
    .selectFrom('booking_resources')
    .selectAll()
    .where('id', '=', resourceId)
    .executeTakeFirst();
  if (!row) return;
  const openings = await db
    .selectFrom('booking_opening_times')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .execute();
  const values: ResourceForm = {
    name: row.name,
    nameCy: row.name_cy ?? '',
    description: row.description,
    descriptionCy: row.description_cy ?? '',
    location: row.location,
    kind: row.kind,
    slotMinutes: String(row.slot_minutes),
    capacity: String(row.capacity),
    price: poundsText(row.price_pence),
    bufferMinutes: String(row.buffer_minutes),
    cancelHours: String(row.cancel_hours_before),
  };
  for (const day of WEEKDAYS) {
    const opening = openings.find((o) => o.weekday === day);
    values[`opens${day}`] = opening ? clock(opening.opens_minute) : '';
    values[`closes${day}`] = opening ? clock(opening.closes_minute) : '';
  }
  return { organisationId: row.organisation_id, values };
}
