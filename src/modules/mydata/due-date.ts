/**
 * When a subject access request must be answered: within one calendar month of the day it was
 * received, to the same date in the next month, or the month's last day when it has no such
 * date (received 31 January, due 28 February, or 29th in a leap year). A body may extend it by up
 * to two further months, counted the same way from the day it was received (ICO guidance on the
 * right of access, "time limits for responding").
 */

import { addMonths } from '../../platform/time/london.js';

/** How many further months a body may extend a request by. */
export const MAX_EXTENSION_MONTHS = 2;

/** The date a request received on `receivedOn` is due, after `extendedMonths` more months. */
export function dueDate(receivedOn: string, extendedMonths = 0): string {
  return addMonths(receivedOn, 1 + extendedMonths);
}
