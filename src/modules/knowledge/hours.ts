import { addDays, londonClock, londonDate, weekdayOf } from '../../platform/time/london.js';

/**
 * Opening hours: a week of periods, each on one weekday (0 Sunday … 6 Saturday) from `opens` to
 * `closes`, in minutes after midnight on a London clock. A period ends on the day it starts
 * (a line open overnight is two periods); 24:00 may close a day. Stored as this JSON, never as
 * the text staff type, so "open now?" is computed, not read.
 */
export interface OpeningPeriod {
  weekday: number;
  opens: number;
  closes: number;
}

/** Why typed opening hours were refused; each has an English and a Welsh message. */
export type HoursProblem = 'too-long' | 'format' | 'day' | 'time' | 'order' | 'overlap';

export type HoursReading =
  { ok: true; periods: OpeningPeriod[] } | { ok: false; problem: HoursProblem; entry: string };

/** The longest opening hours text read: a week written out in full fits many times over. */
export const MAX_HOURS_LENGTH = 500;

// English and Welsh names of the days, short and long, as staff type them; index = weekday.
const DAY_NAMES: readonly (readonly string[])[] = [
  ['sun', 'sunday', 'sul'],
  ['mon', 'monday', 'llun'],
  ['tue', 'tues', 'tuesday', 'maw', 'mawrth'],
  ['wed', 'wednesday', 'mer', 'mercher'],
  ['thu', 'thur', 'thurs', 'thursday', 'iau'],
  ['fri', 'friday', 'gwe', 'gwener'],
  ['sat', 'saturday', 'sad', 'sadwrn'],
];

/** Short day names for showing hours, Monday first as a UK week is read. */
const SHORT_DAYS = {
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  cy: ['Sul', 'Llun', 'Maw', 'Mer', 'Iau', 'Gwe', 'Sad'],
} as const;

/** Monday … Sunday: the order a week is written in. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

function dayOf(name: string): number | undefined {
  const index = DAY_NAMES.findIndex((names) => names.includes(name));
  return index >= 0 ? index : undefined;
}

/** "Mon-Fri" → [1…5]; "Sat,Sun" → [6, 0]; "daily" → the week. Undefined for an unknown day. */
function readDays(text: string): number[] | undefined {
  // "bob dydd" (every day) has lost its "dydd" in `normalised`.
  if (text === 'daily' || text === 'bob') return [...WEEK_ORDER];
  const days: number[] = [];
  for (const part of text.split(',')) {
    const [from, to, ...rest] = part.split(/[-–]/);
    if (rest.length > 0 || from === undefined) return undefined;
    const first = dayOf(from);
    if (first === undefined) return undefined;
    if (to === undefined) {
      days.push(first);
      continue;
    }
    const last = dayOf(to);
    if (last === undefined) return undefined;
    // Monday-first positions, so "Sat-Sun" is two days and "Fri-Mon" is refused.
    const start = WEEK_ORDER.indexOf(first);
    const end = WEEK_ORDER.indexOf(last);
    if (end < start) return undefined;
    days.push(...WEEK_ORDER.slice(start, end + 1));
  }
  return days;
}

/** "9:00" or "09:00" → 540; "24:00" → 1440 (closing only, checked by the caller). */
function readTime(text: string): number | undefined {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(text);
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (minute > 59 || hour > 24 || (hour === 24 && minute > 0)) return undefined;
  return hour * 60 + minute;
}

/**
 * Reads opening hours as staff type them: one entry a line (or separated by ";"), each the days
 * then one or more times, in English or Welsh. Empty text is no hours given (an e-mail
 * address, say). Refuses unknown days, impossible times, a closing time not after the opening
 * time, and periods that overlap on a day, naming the entry at fault.
 *
 * @example parseOpeningHours('Mon-Fri 09:00-17:00\nSat 9:00-12:30')
 * @example parseOpeningHours('Llun-Gwe 09:00-12:30, 13:30-17:00')
 */
export function parseOpeningHours(text: string): HoursReading {
  if (text.length > MAX_HOURS_LENGTH) return { ok: false, problem: 'too-long', entry: '' };
  const periods: OpeningPeriod[] = [];
  const entries = text
    .split(/[;\n\r]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const problem = readEntry(normalised(entry), periods);
    if (problem) return { ok: false, problem, entry };
  }
  periods.sort((a, b) => a.weekday - b.weekday || a.opens - b.opens);
  for (let i = 1; i < periods.length; i++) {
    const before = periods[i - 1]!;
    const period = periods[i]!;
    if (period.weekday === before.weekday && period.opens < before.closes)
      return { ok: false, problem: 'overlap', entry: entryOf(entries, period.weekday) };
  }
  return { ok: true, periods };
}

/** The first entry naming a weekday's hours, to point at in an overlap message. */
function entryOf(entries: string[], weekday: number): string {
  return (
    entries.find((e) => readDays(normalised(e).split(' ')[0] ?? '')?.includes(weekday)) ??
    entries[0] ??
    ''
  );
}

/**
 * An entry in lower case with single spaces, without the spaces around commas and dashes, so the
 * days are its first word and the times the rest; Welsh "dydd Llun" is just "llun".
 */
function normalised(entry: string): string {
  return entry
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\bdydd /g, '')
    .replace(/\s*([,–-])\s*/g, '$1')
    .trim();
}

/** Adds one entry's periods; returns what is wrong with it, if anything. */
function readEntry(entry: string, periods: OpeningPeriod[]): HoursProblem | undefined {
  const [dayText, ...rest] = entry.split(' ');
  if (!dayText || rest.length === 0) return 'format';
  const days = readDays(dayText);
  if (!days) return 'day';
  const ranges = rest.join(',').split(',').filter(Boolean);
  if (ranges.length === 0) return 'format';
  for (const range of ranges) {
    const [from, to, ...more] = range.split(/[-–]/);
    if (more.length > 0 || from === undefined || to === undefined) return 'format';
    const opens = readTime(from);
    const closes = readTime(to);
    if (opens === undefined || closes === undefined || opens === 1440) return 'time';
    if (closes <= opens) return 'order';
    for (const weekday of days) periods.push({ weekday, opens, closes });
  }
  return undefined;
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Opening hours as text in the form `parseOpeningHours` reads, consecutive days with the same
 * times joined ("Mon-Fri 09:00-17:00"), one entry a line; '' for none.
 */
export function formatOpeningHours(periods: readonly OpeningPeriod[], locale: 'en' | 'cy'): string {
  const times = (weekday: number) =>
    periods
      .filter((p) => p.weekday === weekday)
      .sort((a, b) => a.opens - b.opens)
      .map((p) => `${clock(p.opens)}-${clock(p.closes)}`)
      .join(', ');
  const lines: string[] = [];
  for (let i = 0; i < WEEK_ORDER.length;) {
    const first = WEEK_ORDER[i]!;
    const text = times(first);
    let j = i + 1;
    while (j < WEEK_ORDER.length && times(WEEK_ORDER[j]!) === text) j++;
    if (text) {
      const last = WEEK_ORDER[j - 1]!;
      const names = SHORT_DAYS[locale];
      lines.push(`${names[first]}${last === first ? '' : `-${names[last]}`} ${text}`);
    }
    i = j;
  }
  return lines.join('\n');
}

/** Where a contact point stands at an instant: open (until when) or closed (opening when). */
export type OpenState =
  | { known: false }
  | { known: true; open: true; closesAt: string }
  | { known: true; open: false; opensOn: string | null; opensAt: string | null };

/**
 * Whether hours are open at an instant, on a London clock (so BST is right), and the next change:
 * the closing time today, or the date and time it next opens within a week. Unknown without hours.
 *
 * @example openAt(periods, new Date('2026-07-01T08:30:00Z')) // 09:30 BST on a Wednesday
 */
export function openAt(periods: readonly OpeningPeriod[], instant: Date): OpenState {
  if (periods.length === 0) return { known: false };
  const today = londonDate(instant);
  const [hour, minute] = londonClock(instant).split(':').map(Number) as [number, number];
  const now = hour * 60 + minute;
  const weekday = weekdayOf(today);
  const current = periods.find((p) => p.weekday === weekday && p.opens <= now && now < p.closes);
  if (current) return { known: true, open: true, closesAt: clock(current.closes) };
  for (let ahead = 0; ahead <= 7; ahead++) {
    const date = addDays(today, ahead);
    const next = periods
      .filter((p) => p.weekday === weekdayOf(date) && (ahead > 0 || p.opens > now))
      .sort((a, b) => a.opens - b.opens)[0];
    if (next) return { known: true, open: false, opensOn: date, opensAt: clock(next.opens) };
  }
  return { known: true, open: false, opensOn: null, opensAt: null };
}
