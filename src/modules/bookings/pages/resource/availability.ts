import type { Db } from '../../../../platform/db/database.js';
import { formatDate, type Locale, type Translate } from '../../../../platform/i18n/i18n.js';
import { slotRules, takenBetween, type ResourceView } from '../../queries/resources.js';
import { addDays, bookingWindow, londonTime, openDays, slotsOn, type Slot } from '../../slots.js';

/** How many days the "Which day?" page offers at a time. */
export const DAYS_PER_PAGE = 14;

export interface SlotChoice extends Slot {
  free: number;
}

/** A day's slots with the places still free in each. */
export async function slotsWithPlaces(
  db: Db,
  resource: ResourceView,
  date: string,
  now: Date,
): Promise<SlotChoice[]> {
  const slots = slotsOn(await slotRules(db, resource.id), date, now);
  if (slots.length === 0) return [];
  const taken = await takenBetween(
    db,
    resource.id,
    londonTime(date, 0),
    londonTime(addDays(date, 1), 0),
  );
  return slots.map((slot) => ({
    ...slot,
    free: resource.capacity - (taken.get(slot.start.getTime()) ?? 0),
  }));
}

/** The open days from `after` on (a page of them), each with how many slots still have room. */
export async function dayChoices(
  db: Db,
  resource: ResourceView,
  after: string,
  now: Date,
  locale: Locale,
  t: Translate,
) {
  const rules = await slotRules(db, resource.id);
  const all = openDays(rules, now);
  const from = all.filter((day) => day >= after);
  const page = from.slice(0, DAYS_PER_PAGE);
  const window = bookingWindow(rules, now);
  const taken = await takenBetween(
    db,
    resource.id,
    londonTime(window.first, 0),
    londonTime(addDays(window.last, 1), 0),
  );
  const days = page.map((date) => {
    const slots = slotsOn(rules, date, now);
    const freeSlots = slots.filter(
      (slot) => (taken.get(slot.start.getTime()) ?? 0) < resource.capacity,
    ).length;
    return {
      value: date,
      text: formatDate(date, locale, { weekday: true }),
      hint: freeSlots > 0 ? t('bookings.day.free', { count: freeSlots }) : t('bookings.day.full'),
      disabled: freeSlots === 0,
    };
  });
  const later = from[DAYS_PER_PAGE];
  const earlier = all.filter((day) => day < after);
  return {
    days,
    later: later ?? null,
    earlier:
      earlier.length > 0 ? (earlier[Math.max(0, earlier.length - DAYS_PER_PAGE)] ?? null) : null,
  };
}
