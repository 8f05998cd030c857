/** Checks on what people type that every module shares: postcodes and dates. */
/**
 * A UK postcode in its standard form ("GL5 4UB"), or undefined. Accepts any case and spacing,
 * as people type them.
 */
export function normalisePostcode(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/\s+/g, '');
  if (compact === 'GIR0AA') return 'GIR 0AA';
  const match = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$/.exec(compact);
  if (!match) return undefined;
  const outward = match[1]!;
  // The outward code's first letters: Q, V and X never come first; I, J and Z never second.
  if (/^[QVX]/.test(outward) || /^[A-Z][IJZ]/.test(outward)) return undefined;
  return `${outward} ${match[2]}`;
}

export type DateProblem = 'required' | 'incomplete' | 'invalid';

/**
 * Reads the three boxes of the GOV.UK date input. Returns the ISO date (YYYY-MM-DD) or
 * what is wrong: nothing given, a part missing, or not a real date (31 February).
 */
export function parseDateParts(
  day: string,
  month: string,
  year: string,
): { date: string } | { problem: DateProblem } {
  const parts = [day.trim(), month.trim(), year.trim()];
  if (parts.every((p) => p === '')) return { problem: 'required' };
  if (parts.some((p) => p === '')) return { problem: 'incomplete' };
  if (!parts.every((p) => /^\d+$/.test(p)) || parts[2]!.length !== 4) return { problem: 'invalid' };
  const [d, m, y] = parts.map(Number) as [number, number, number];
  // Worked out by arithmetic rather than through a Date: every date answer of every form is read
  // here. Years before 100 are refused, as they always were (Date reads 0–99 as 1900–1999).
  if (y < 100 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return { problem: 'invalid' };
  return { date: `${String(y).padStart(4, '0')}-${twoDigits(m)}-${twoDigits(d)}` };
}

/** Days in a month of the (proleptic) Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

// Made once: building an Intl.DateTimeFormat costs far more than formatting with one.
const UK_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });

/** The last day worked out, for the minute it was worked out in (a day changes on a minute). */
let lastToday = { minute: Number.NaN, date: '' };

/** Today's date in the UK, as YYYY-MM-DD. */
export function ukToday(now = new Date()): string {
  // Asked for on every form validated: formatting with Intl is the cost, the minute is not.
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastToday.minute) lastToday = { minute, date: UK_DATE.format(now) };
  return lastToday.date;
}

/** Whole days from one ISO date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function isWeekday(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}
