/**
 * Calendar dates in the UK. A working day is a day on the London calendar, not a 24-hour span:
 * a case received at 00:30 BST on a Tuesday was received on Tuesday, although it was still
 * Monday in UTC. Dates are ISO strings (YYYY-MM-DD); instants are `Date`s.
 */

const DAY_MS = 86_400_000;

// Made once: building an Intl.DateTimeFormat costs far more than formatting with one.
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const LONDON_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(time).toISOString().slice(0, 10) === value;
}

/** Days since 1970-01-01 of an ISO date: whole numbers make day arithmetic exact. */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** The ISO date of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date `days` after (before, when negative) an ISO date. */
export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

/**
 * The calendar date `months` months after (before, when negative) an ISO date, the day of the
 * month held back to that month's last day when it has no such day.
 *
 * @example addMonths('2027-01-31', 1) // '2027-02-28'
 * @example addMonths('2028-01-31', 1) // '2028-02-29'
 */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 1 + months, Math.min(day, lastDay)))
    .toISOString()
    .slice(0, 10);
}

/** Day of the week of an ISO date: 0 Sunday … 6 Saturday. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The date on a London calendar at that instant. */
export function londonDate(instant: Date): string {
  return LONDON_DATE.format(instant);
}

function londonParts(instant: Date) {
  return Object.fromEntries(
    LONDON_CLOCK.formatToParts(instant).map((part) => [part.type, Number(part.value)]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute', number>;
}

/** "09:30": the time on a London clock at that instant. */
export function londonClock(instant: Date): string {
  const f = londonParts(instant);
  return `${String(f.hour).padStart(2, '0')}:${String(f.minute).padStart(2, '0')}`;
}

/** Minutes London is ahead of UTC at an instant: 0 in winter (GMT), 60 in summer (BST). */
function londonOffsetMinutes(instant: Date): number {
  const f = londonParts(instant);
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute);
  return Math.round((wall - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant a London wall clock shows `hour:minute` on `date`. The clocks change at 01:00 UTC,
 * so every hour used here (midnight, 7am) exists exactly once on every date.
 *
 * @example londonTime('2026-07-01', 7) // 2026-07-01T06:00:00.000Z (BST)
 */
export function londonTime(date: string, hour: number, minute = 0): Date {
  const wall = dayNumber(date) * DAY_MS + (hour * 60 + minute) * 60_000;
  const guess = wall - londonOffsetMinutes(new Date(wall)) * 60_000;
  return new Date(wall - londonOffsetMinutes(new Date(guess)) * 60_000);
}

/**
 * The last millisecond of a London day (23:59:59.999): a due date is the end of its day, so
 * work done at any time on the day it is due is on time.
 */
export function endOfLondonDay(date: string): Date {
  return new Date(londonTime(addDays(date, 1), 0).getTime() - 1);
}
