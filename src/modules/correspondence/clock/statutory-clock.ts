/**
 * The clocks of correspondence, in working days of England and Wales (casework's calendar, bank
 * holidays built in). Pure functions: the commands store what these compute, and the tests check
 * them as properties.
 *
 * FOI (Freedom of Information Act 2000): a public authority answers "promptly and in any event
 * not later than the twentieth working day following the date of receipt" (s.10(1)). Where it
 * reasonably asks for clarification (s.1(3)) it need not answer until that arrives, and the
 * "date of receipt" becomes the day the clarification arrives (s.10(6)): the clock stops, then
 * runs a fresh 20 working days. Where it needs longer to weigh the public interest (s.10(3)) it
 * may extend by a reasonable time, which the ICO's guidance caps at 20 more working days.
 */
import { londonDate } from '../../../platform/time/london.js';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from '../../casework/index.js';

/** s.10(1): twenty working days after the day of receipt. */
export const FOI_WORKING_DAYS = 20;

/** The ICO's limit on a public interest extension (40 working days in all). */
export const FOI_MAX_EXTENSION_DAYS = 20;

/**
 * When an FOI request received (or clarified) at `receivedAt` must be answered: the end of the
 * 20th working day after that day, plus any public interest extension.
 *
 * @example foiDue(new Date('2026-12-21T10:00:00Z')) // end of 2027-01-21: Christmas, Boxing Day’s substitute and New Year’s Day skipped
 */
export function foiDue(receivedAt: Date, extensionDays = 0): Date {
  if (
    !Number.isInteger(extensionDays) ||
    extensionDays < 0 ||
    extensionDays > FOI_MAX_EXTENSION_DAYS
  )
    throw new RangeError(`An extension is 0 to ${FOI_MAX_EXTENSION_DAYS} working days`);
  return addWorkingDays(receivedAt, FOI_WORKING_DAYS + extensionDays);
}

/**
 * The due date once the clarification asked for under s.1(3) arrives at `clarifiedAt`: a fresh
 * 20 working days from then (s.10(6)), never earlier than the first due date.
 */
export function foiDueAfterClarification(clarifiedAt: Date): Date {
  return foiDue(clarifiedAt);
}

/**
 * Whether a public interest extension may still be recorded at `now`: the s.17(2) notice
 * saying the authority needs longer must go within the first 20 working days, and an extension
 * is made once.
 */
export function mayExtend(
  item: { due_at: Date | null; extension_days: number | null },
  now: Date,
): boolean {
  return (
    item.due_at !== null && item.extension_days === null && now.getTime() <= item.due_at.getTime()
  );
}

/** A complaint stage's time limit: `days` working days after the day the stage started. */
export function stageDue(startedAt: Date, days: number): Date {
  return addWorkingDays(startedAt, days);
}

/**
 * Working days a piece of correspondence is past its due date at `now` (0 when not overdue),
 * for the overdue list.
 */
export function workingDaysOverdue(dueAt: Date | null, now: Date): number {
  if (!dueAt || now.getTime() <= dueAt.getTime()) return 0;
  return Math.max(1, workingDaysBetween(dueAt, now));
}

/**
 * The ICO's target for an internal review of an FOI answer: 20 working days from receiving the
 * request for review (Code of Practice under s.45, para. 5.4; 40 in exceptional cases).
 */
export const REVIEW_WORKING_DAYS = 20;

/** How long after the answer a requester may ask for an internal review (Code of Practice, para. 5.4). */
export const REVIEW_ASKING_WORKING_DAYS = 40;

/** When an internal review asked for at `askedAt` should be decided. */
export function reviewDue(askedAt: Date): Date {
  return addWorkingDays(askedAt, REVIEW_WORKING_DAYS);
}

/** Whether an internal review may still be asked for at `now`: within 40 working days of the answer. */
export function mayStillAskForReview(respondedAt: Date, now: Date): boolean {
  return now.getTime() <= addWorkingDays(respondedAt, REVIEW_ASKING_WORKING_DAYS).getTime();
}

/**
 * The due date once the fee in a s.9 fees notice is paid: the date the notice stopped, moved on
 * by the working days from the day the notice was given to the day the fee arrived, both
 * counted (s.10(2): those days are disregarded).
 *
 * @example dueAfterFee(due, notice, paid) // due + working days in [notice day, paid day]
 */
export function dueAfterFee(dueBefore: Date, noticeAt: Date, paidAt: Date): Date {
  const days = workingDaysBetween(noticeAt, paidAt) + (isWorkingDay(londonDate(noticeAt)) ? 1 : 0);
  return days > 0 ? addWorkingDays(dueBefore, days) : dueBefore;
}
