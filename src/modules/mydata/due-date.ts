/**
 * When a subject access request must be answered: within one calendar month of the day it was
 * received, to the same date in the next month, or the month's last day when it has no such
 * date (received 31 January, due 28 February, or 29th in a leap year). A body may extend it by up
 * to two further months, counted the same way from the day it was received (ICO guidance on the
 * right of access, "time limits for responding").
 */

/** How many further months a body may extend a request by. */
export const MAX_EXTENSION_MONTHS = 2;

/**
 * The date `months` calendar months after an ISO date, clamped to the last day of that month.
 *
 * @example addCalendarMonths('2027-01-31', 1) // '2027-02-28'
 * @example addCalendarMonths('2028-01-31', 1) // '2028-02-29'
 */
export function addCalendarMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The date a request received on `receivedOn` is due, after `extendedMonths` more months. */
export function dueDate(receivedOn: string, extendedMonths = 0): string {
  return addCalendarMonths(receivedOn, 1 + extendedMonths);
}
