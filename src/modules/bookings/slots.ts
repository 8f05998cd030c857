/**
 * A resource's slots, worked out from its rules rather than stored: opening times per weekday
 * in London wall-clock time, the slot length, and the buffer left after each slot. Dates are ISO
 * strings (YYYY-MM-DD); a slot's start and end are instants.
 */

import {
  addDays,
  isIsoDate,
  londonDate,
  londonTime as londonTimeAt,
  weekdayOf,
} from '../../platform/time/london.js';

export {
  addDays,
  isIsoDate,
  londonClock,
  londonDate,
  weekdayOf,
} from '../../platform/time/london.js';

/**
 * The instant a London clock shows `minutes` after midnight on `date` (resources keep their
 * opening times in minutes).
 *
 * @example londonTime('2026-07-01', 9 * 60) // 2026-07-01T08:00:00.000Z (BST)
 */
export function londonTime(date: string, minutes: number): Date {
  return londonTimeAt(date, 0, minutes);
}

/** "09:30" → 570; anything else → null. */
export function minutesOf(clock: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export interface SlotRules {
  slotMinutes: number;
  bufferMinutes: number;
  daysAhead: number;
  /** One opening period a weekday: weekday (0 Sunday) → minutes after midnight. */
  openings: ReadonlyMap<number, { opens: number; closes: number }>;
  /** ISO dates with no booking. */
  blackouts: ReadonlySet<string>;
  /**
   * Active bookings (ms since epoch). Staff may change the opening times or slot length after
   * people have booked: those bookings keep their times, and a new slot overlapping one that
   * starts at another time is not offered, so a hall is never booked twice over.
   */
  booked?: ReadonlyArray<{ start: number; end: number }>;
}

function clashes(rules: SlotRules, start: Date, end: Date): boolean {
  const [s, e] = [start.getTime(), end.getTime()];
  return (rules.booked ?? []).some((b) => b.start !== s && b.start < e && s < b.end);
}

export interface Slot {
  /** London clock time of the start, "09:30": what the forms send. */
  time: string;
  start: Date;
  end: Date;
}

/** The first and last day a person may book, counted from today in London. */
export function bookingWindow(rules: Pick<SlotRules, 'daysAhead'>, now: Date) {
  const first = londonDate(now);
  return { first, last: addDays(first, rules.daysAhead - 1) };
}

/**
 * The slots on one day, whether taken or not: none on a blackout day, a closed weekday, a day
 * outside the booking window, and none that has already started.
 *
 * @example slotsOn(rules, '2026-12-01', now) // [{ time: '09:00', start, end }, …]
 */
export function slotsOn(rules: SlotRules, date: string, now: Date): Slot[] {
  const window = bookingWindow(rules, now);
  if (!isIsoDate(date) || date < window.first || date > window.last) return [];
  if (rules.blackouts.has(date)) return [];
  const opening = rules.openings.get(weekdayOf(date));
  if (!opening) return [];
  const slots: Slot[] = [];
  const step = rules.slotMinutes + rules.bufferMinutes;
  for (let at = opening.opens; at + rules.slotMinutes <= opening.closes; at += step) {
    const start = londonTime(date, at);
    if (start.getTime() <= now.getTime()) continue;
    const end = londonTime(date, at + rules.slotMinutes);
    if (clashes(rules, start, end)) continue;
    const time = `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`;
    slots.push({ time, start, end });
  }
  return slots;
}

/** The slot starting at `time` on `date`, if the rules offer one then. */
export function findSlot(rules: SlotRules, date: string, time: string, now: Date): Slot | null {
  return slotsOn(rules, date, now).find((slot) => slot.time === time) ?? null;
}

/** Every day in the booking window with at least one slot, earliest first. */
export function openDays(rules: SlotRules, now: Date): string[] {
  const { first } = bookingWindow(rules, now);
  const days: string[] = [];
  for (let i = 0; i < rules.daysAhead; i++) {
    const date = addDays(first, i);
    if (slotsOn(rules, date, now).length > 0) days.push(date);
  }
  return days;
}
