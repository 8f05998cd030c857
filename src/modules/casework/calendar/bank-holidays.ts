/**
 * England and Wales bank holidays, computed by the rules of the Banking and Financial Dealings
 * Act 1971 and the royal proclamations made under it, so no list has to be downloaded or kept
 * up to date year by year. Only the one-off changes a proclamation makes (a day moved, an extra
 * day for a jubilee or a state funeral) are written out, in {@link ANNOUNCED_CHANGES}.
 *
 * Scotland and Northern Ireland have other days; casework in Joinedup follows England and Wales.
 */
import { addDays, dayNumber, weekdayOf } from '../../../platform/time/london.js';

/** A bank holiday: its ISO date and its name as GOV.UK gives it. */
export interface BankHoliday {
  date: string;
  name: string;
}

/**
 * A one-off change made by proclamation: a usual bank holiday `moved` to another day, or an
 * `extra` day. To add one when it is announced, append an entry here (and its year's expected
 * list to the table in `bank-holidays.test.ts`); nothing else changes.
 *
 * @example { kind: 'extra', date: '2023-05-08', name: 'Bank holiday for the coronation of King Charles III' }
 */
export type HolidayChange =
  | { kind: 'moved'; from: string; to: string; name: string }
  | { kind: 'extra'; date: string; name: string };

/** Every one-off change since 2011, oldest first. */
export const ANNOUNCED_CHANGES: readonly HolidayChange[] = [
  { kind: 'extra', date: '2011-04-29', name: 'Royal wedding' },
  { kind: 'moved', from: '2012-05-28', to: '2012-06-04', name: 'Spring bank holiday' },
  { kind: 'extra', date: '2012-06-05', name: 'Queen’s Diamond Jubilee' },
  { kind: 'moved', from: '2020-05-04', to: '2020-05-08', name: 'Early May bank holiday (VE day)' },
  { kind: 'moved', from: '2022-05-30', to: '2022-06-02', name: 'Spring bank holiday' },
  { kind: 'extra', date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
  {
    kind: 'extra',
    date: '2022-09-19',
    name: 'Bank Holiday for the State Funeral of Queen Elizabeth II',
  },
  {
    kind: 'extra',
    date: '2023-05-08',
    name: 'Bank holiday for the coronation of King Charles III',
  },
];

/**
 * Easter Sunday in the Gregorian calendar (the anonymous algorithm, also known as Meeus/Jones/
 * Butcher): exact for every year from 1583.
 *
 * @example easterSunday(2026) // '2026-04-05'
 */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first Monday of a month. */
function firstMonday(year: number, month: number): string {
  const first = isoDate(year, month, 1);
  return addDays(first, (8 - weekdayOf(first)) % 7);
}

/** The last Monday of a month. */
function lastMonday(year: number, month: number): string {
  const last = addDays(month === 12 ? isoDate(year + 1, 1, 1) : isoDate(year, month + 1, 1), -1);
  return addDays(last, -((weekdayOf(last) + 6) % 7));
}

function isWeekend(date: string): boolean {
  const day = weekdayOf(date);
  return day === 0 || day === 6;
}

/** New Year's Day, or the Monday after when it falls at a weekend. */
function newYear(year: number): BankHoliday {
  const date = isoDate(year, 1, 1);
  if (!isWeekend(date)) return { date, name: 'New Year’s Day' };
  return { date: firstMonday(year, 1), name: 'New Year’s Day (substitute day)' };
}

/**
 * Christmas Day and Boxing Day, with a substitute weekday for each that falls at a weekend:
 * Christmas on a Saturday makes Monday 27 and Tuesday 28 the holidays; on a Sunday, Boxing Day
 * is Monday 26 and Christmas's substitute Tuesday 27; on a Friday, Boxing Day's is Monday 28.
 */
function christmas(year: number): BankHoliday[] {
  const day = (n: number) => isoDate(year, 12, n);
  const christmasDay = { date: day(25), name: 'Christmas Day' };
  const boxingDay = { date: day(26), name: 'Boxing Day' };
  switch (weekdayOf(day(25))) {
    case 5:
      return [christmasDay, { date: day(28), name: 'Boxing Day (substitute day)' }];
    case 6:
      return [
        { date: day(27), name: 'Christmas Day (substitute day)' },
        { date: day(28), name: 'Boxing Day (substitute day)' },
      ];
    case 0:
      return [boxingDay, { date: day(27), name: 'Christmas Day (substitute day)' }];
    default:
      return [christmasDay, boxingDay];
  }
}

/** The usual holidays of a year, before any one-off change. */
function usualHolidays(year: number): BankHoliday[] {
  const easter = easterSunday(year);
  return [
    newYear(year),
    { date: addDays(easter, -2), name: 'Good Friday' },
    { date: addDays(easter, 1), name: 'Easter Monday' },
    { date: firstMonday(year, 5), name: 'Early May bank holiday' },
    { date: lastMonday(year, 5), name: 'Spring bank holiday' },
    { date: lastMonday(year, 8), name: 'Summer bank holiday' },
    ...christmas(year),
  ];
}

const byYear = new Map<number, readonly BankHoliday[]>();

/**
 * The bank holidays in England and Wales in a year, in date order.
 *
 * @example bankHolidays(2026).map((h) => h.date)
 *   // ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28']
 */
export function bankHolidays(year: number): readonly BankHoliday[] {
  if (!Number.isInteger(year) || year < 1583 || year > 9999)
    throw new RangeError(`No bank holidays are known for the year ${year}`);
  const known = byYear.get(year);
  if (known) return known;
  const prefix = `${String(year).padStart(4, '0')}-`;
  let days = usualHolidays(year);
  for (const change of ANNOUNCED_CHANGES) {
    if (change.kind === 'moved' && change.from.startsWith(prefix))
      days = days.map((d) => (d.date === change.from ? { date: change.to, name: change.name } : d));
    if (change.kind === 'extra' && change.date.startsWith(prefix))
      days.push({ date: change.date, name: change.name });
  }
  const sorted = Object.freeze(
    days.sort((a, b) => dayNumber(a.date) - dayNumber(b.date)).map((d) => Object.freeze(d)),
  );
  byYear.set(year, sorted);
  return sorted;
}

const datesByYear = new Map<number, ReadonlySet<string>>();

/** True when an ISO date is a bank holiday in England and Wales. */
export function isBankHoliday(date: string): boolean {
  const year = Number(date.slice(0, 4));
  let dates = datesByYear.get(year);
  if (!dates) {
    dates = new Set(bankHolidays(year).map((d) => d.date));
    datesByYear.set(year, dates);
  }
  return dates.has(date);
}
