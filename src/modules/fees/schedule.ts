import { addMonths } from '../../platform/time/london.js';

/** One instalment of a plan: its number (from 1), amount in pence and due day (YYYY-MM-DD). */
export interface Instalment {
  number: number;
  amount: number;
  dueDate: string;
}

/**
 * A council tax-style schedule: the total split into equal monthly instalments on the same day
 * of each month as the first, the odd pence on the first (as council tax bills do). A day the
 * month lacks (the 31st) falls on its last day.
 *
 * @example instalmentSchedule(100_00, 3, '2026-01-31') // 33.34 on 31 Jan, 33.33 on 28 Feb, 33.33 on 31 Mar
 */
export function instalmentSchedule(total: number, count: number, firstDue: string): Instalment[] {
  const each = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    amount: i === 0 ? total - each * (count - 1) : each,
    dueDate: addMonths(firstDue, i),
  }));
}
