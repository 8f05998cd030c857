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
  const [year, month, day] = firstDue.split('-').map(Number) as [number, number, number];
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    amount: i === 0 ? total - each * (count - 1) : each,
    dueDate: monthDay(year, month - 1 + i, day),
  }));
}

function monthDay(year: number, monthIndex: number, day: number): string {
  const last = new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, monthIndex, Math.min(day, last))).toISOString().slice(0, 10);
}
