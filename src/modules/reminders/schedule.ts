/**
 * When a reminder is sent: pure calendar arithmetic in Europe/London wall-clock time, so a
 * reminder set for 8am arrives at 8am whether the clocks say GMT or BST that day.
 */

/** Kinds of reminder: one date, a monthly payment series, a weekly or fortnightly collection. */
export const REMINDER_KINDS = ['date', 'monthly', 'weekly'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** How many days before a one-off date the reminder may come. */
export const DAYS_BEFORE = [0, 1, 7, 14, 28] as const;
export type DaysBefore = (typeof DAYS_BEFORE)[number];

/** The longest monthly series a person may set up (two years of instalments). */
export const MAX_INSTALMENTS = 24;

/** Hour (London time) reminders of a date or an instalment go out, on the day they are due. */
export const MORNING_HOUR = 8;
/** Hour (London time) a bin reminder goes out, the evening before collection. */
export const EVENING_HOUR = 18;

/**
 * What a reminder is about. Dates are ISO calendar dates (YYYY-MM-DD), months YYYY-MM; they
 * mean days in the UK, not instants.
 */
export type Schedule =
  | { kind: 'date'; date: string; daysBefore: DaysBefore }
  | { kind: 'monthly'; dayOfMonth: number; startMonth: string; instalments: number }
  | { kind: 'weekly'; firstDate: string; everyWeeks: 1 | 2 };

/** One reminder to send: when, and the day it is about (the renewal, instalment or collection). */
export interface Occurrence {
  sendAt: Date;
  eventDate: string;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

function londonFields(
  instant: Date,
): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of LONDON.formatToParts(instant)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return fields;
}

/** Minutes London is ahead of UTC at that instant: 0 in winter (GMT), 60 in summer (BST). */
export function londonOffsetMinutes(instant: Date): number {
  const f = londonFields(instant);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a London wall clock shows `hour:minute` on `date`.
 *
 * @example londonInstant('2026-07-01', 8) // 2026-07-01T07:00:00Z (BST)
 */
export function londonInstant(date: string, hour: number, minute = 0): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const guess = naive - londonOffsetMinutes(new Date(naive)) * 60_000;
  return new Date(naive - londonOffsetMinutes(new Date(guess)) * 60_000);
}

/** The London calendar date (YYYY-MM-DD) and time of an instant. */
export function londonWallClock(instant: Date): { date: string; hour: number; minute: number } {
  const f = londonFields(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${f.year}-${pad(f.month)}-${pad(f.day)}`, hour: f.hour, minute: f.minute };
}

/** The calendar date `days` after (or before, when negative) an ISO date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Day of the week of an ISO date: 0 Sunday … 6 Saturday. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The `index`th month after `startMonth` (YYYY-MM), with its day: an ISO date. */
function instalmentDate(startMonth: string, index: number, dayOfMonth: number): string {
  const [year, month] = startMonth.split('-').map(Number) as [number, number];
  const months = year * 12 + (month - 1) + index;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(months / 12)}-${pad((months % 12) + 1)}-${pad(dayOfMonth)}`;
}

/**
 * The first reminder of a schedule strictly after `after`, with the day it is about; null once
 * a one-off date or a monthly series is over. Weekly collections never end.
 *
 * @example nextDueEvent({ kind: 'weekly', firstDate: '2026-03-31', everyWeeks: 1 }, now)
 *   // { sendAt: 6pm London on 30 March 2026, eventDate: '2026-03-31' } when now is before that
 */
export function nextDueEvent(schedule: Schedule, after: Date): Occurrence | null {
  const later = (sendAt: Date) => sendAt.getTime() > after.getTime();
  switch (schedule.kind) {
    case 'date': {
      const sendAt = londonInstant(addDays(schedule.date, -schedule.daysBefore), MORNING_HOUR);
      return later(sendAt) ? { sendAt, eventDate: schedule.date } : null;
    }
    case 'monthly': {
      const today = londonWallClock(after).date;
      const [ty, tm] = today.split('-').map(Number) as [number, number];
      const [sy, sm] = schedule.startMonth.split('-').map(Number) as [number, number];
      for (let i = Math.max(0, (ty - sy) * 12 + (tm - sm)); i < schedule.instalments; i++) {
        const eventDate = instalmentDate(schedule.startMonth, i, schedule.dayOfMonth);
        const sendAt = londonInstant(eventDate, MORNING_HOUR);
        if (later(sendAt)) return { sendAt, eventDate };
      }
      return null;
    }
    case 'weekly': {
      const step = 7 * schedule.everyWeeks;
      const elapsed = daysFrom(schedule.firstDate, londonWallClock(after).date);
      for (let k = Math.max(0, Math.floor(elapsed / step)); ; k++) {
        const eventDate = addDays(schedule.firstDate, k * step);
        const sendAt = londonInstant(addDays(eventDate, -1), EVENING_HOUR);
        if (later(sendAt)) return { sendAt, eventDate };
      }
    }
  }
}

/**
 * The instant the next reminder of a schedule is due, strictly after `after`; null when there
 * is none.
 *
 * @example nextOccurrence({ kind: 'date', date: '2026-10-25', daysBefore: 0 }, now) // 08:00 GMT that day
 */
export function nextOccurrence(schedule: Schedule, after: Date): Date | null {
  return nextDueEvent(schedule, after)?.sendAt ?? null;
}
