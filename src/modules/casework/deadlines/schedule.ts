/**
 * When the deadline jobs run. The sweep runs in fixed five-minute slots and the digest at 7am
 * London time on working days; each run is one outbox message whose idempotency key names its
 * slot or day, so however many nodes schedule the same run, the outbox holds it once.
 */
import { isWorkingDay } from '../calendar/index.js';
import { addDays, londonDate, londonTime } from '../../../platform/time/london.js';

/** Minutes between two escalation sweeps. */
export const SWEEP_MINUTES = 5;
const SWEEP_MS = SWEEP_MINUTES * 60_000;

/** Hour (London time) the digest of overdue work goes to team leaders, on working days. */
export const DIGEST_HOUR = 7;

/** The start of the sweep slot `now` falls in. */
export function sweepSlot(now: Date): Date {
  return new Date(Math.floor(now.getTime() / SWEEP_MS) * SWEEP_MS);
}

/** The start of the next sweep slot after the one `now` falls in. */
export function nextSweepSlot(now: Date): Date {
  return new Date(sweepSlot(now).getTime() + SWEEP_MS);
}

/**
 * The working day of the next digest not yet due at `now`: today when it is a working day
 * before 7am, otherwise the next working day.
 *
 * @example nextDigestDate(new Date('2026-04-02T08:00:00Z')) // '2026-04-07' (Easter in between)
 */
export function nextDigestDate(now: Date): string {
  let date = londonDate(now);
  if (now.getTime() >= londonTime(date, DIGEST_HOUR).getTime()) date = addDays(date, 1);
  while (!isWorkingDay(date)) date = addDays(date, 1);
  return date;
}

/** The instant a day's digest is due: 7am London time, GMT or BST. */
export function digestTime(date: string): Date {
  return londonTime(date, DIGEST_HOUR);
}
