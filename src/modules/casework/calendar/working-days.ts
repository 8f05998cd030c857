/**
 * Working days and time limits (SLAs) in England and Wales. A working day is Monday to Friday
 * and not a bank holiday, on the London calendar. A time limit of n working days starts the day
 * after the case arrives (as for Freedom of Information requests) and runs to the end of the
 * nth working day, 23:59:59.999 London time, GMT or BST.
 */
import { isBankHoliday } from './bank-holidays.js';
import {
  dateOfDay,
  dayNumber,
  endOfLondonDay,
  isIsoDate,
  londonDate,
  weekdayOf,
} from '../../../platform/time/london.js';

/** A case is "due soon" when its time limit ends within this many working days. */
export const DUE_SOON_WORKING_DAYS = 2;

/** How a case stands against its time limit, for flags in queues and on the case page. */
export type SlaRisk = 'none' | 'on-track' | 'due-soon' | 'overdue';

/**
 * True on Monday to Friday when that day is not a bank holiday in England and Wales.
 *
 * @example isWorkingDay('2026-12-28') // false: Boxing Day's substitute
 */
export function isWorkingDay(date: string): boolean {
  if (!isIsoDate(date)) throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
  const weekday = weekdayOf(date);
  return weekday !== 0 && weekday !== 6 && !isBankHoliday(date);
}

function requireInstant(value: Date, name: string): void {
  if (Number.isNaN(value.getTime())) throw new RangeError(`${name} is not a valid date`);
}

/**
 * The end of the `days`th working day after the London date of `from` (the day `from` falls
 * on does not count). With 0 days: the end of that day if it is a working day, else of the next
 * working day — work that arrives on a Saturday is due on Monday.
 *
 * @example addWorkingDays(new Date('2026-04-02T10:00:00Z'), 1)
 *   // 2026-04-07T22:59:59.999Z: Thursday before Easter + 1 = Tuesday after, end of day (BST)
 */
export function addWorkingDays(from: Date, days: number): Date {
  requireInstant(from, 'from');
  if (!Number.isInteger(days) || days < 0)
    throw new RangeError(`A number of working days must be a whole number ≥ 0, not ${days}`);
  let day = dayNumber(londonDate(from));
  if (days === 0) {
    while (!isWorkingDay(dateOfDay(day))) day++;
    return endOfLondonDay(dateOfDay(day));
  }
  for (let left = days; left > 0;) {
    day++;
    if (isWorkingDay(dateOfDay(day))) left--;
  }
  return endOfLondonDay(dateOfDay(day));
}

/**
 * How many working days come after the London date of `from`, up to and including that of `to`;
 * negative when `to` is earlier. So `workingDaysBetween(d, addWorkingDays(d, n)) === n` for
 * n ≥ 1, and a case due yesterday and looked at today is 1 working day overdue (if today is one).
 *
 * @example workingDaysBetween(new Date('2026-12-24T09:00:00Z'), new Date('2026-12-29T09:00:00Z')) // 1
 */
export function workingDaysBetween(from: Date, to: Date): number {
  requireInstant(from, 'from');
  requireInstant(to, 'to');
  const start = dayNumber(londonDate(from));
  const end = dayNumber(londonDate(to));
  if (end < start) return -workingDaysBetween(to, from);
  let count = 0;
  for (let day = start + 1; day <= end; day++) if (isWorkingDay(dateOfDay(day))) count++;
  return count;
}

/**
 * A due date moved on by the working days the clock stood still: those after the day it was
 * paused, up to and including the day it resumed. Paused and resumed on the same day, nothing
 * moves; paused on Thursday before Easter and resumed on the Tuesday after, one working day.
 *
 * @example dueAfterPause(due, pausedAt, resumedAt) // due + workingDaysBetween(pausedAt, resumedAt)
 */
export function dueAfterPause(due: Date, pausedAt: Date, resumedAt: Date): Date {
  requireInstant(due, 'due');
  if (resumedAt.getTime() < pausedAt.getTime())
    throw new RangeError('A clock cannot resume before it was paused');
  const paused = workingDaysBetween(pausedAt, resumedAt);
  return paused === 0 ? due : addWorkingDays(due, paused);
}

/**
 * How a case stands against its time limit at `now`: `none` without one, `overdue` once the
 * due instant has passed, `due-soon` when it ends within {@link DUE_SOON_WORKING_DAYS} working
 * days, `on-track` otherwise.
 *
 * @example slaRisk(addWorkingDays(now, 2), now) // 'due-soon'
 */
export function slaRisk(due: Date | null, now: Date): SlaRisk {
  if (!due) return 'none';
  requireInstant(due, 'due');
  if (now.getTime() > due.getTime()) return 'overdue';
  if (due.getTime() <= addWorkingDays(now, DUE_SOON_WORKING_DAYS).getTime()) return 'due-soon';
  return 'on-track';
}
