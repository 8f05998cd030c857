import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWorkingDay, workingDaysBetween } from '../../casework/index.js';
import { londonDate } from '../../../platform/time/london.js';
import {
  FOI_MAX_EXTENSION_DAYS,
  FOI_WORKING_DAYS,
  foiDue,
  foiDueAfterClarification,
  mayExtend,
  stageDue,
  workingDaysOverdue,
} from './statutory-clock.js';

/** Any instant from 2020 to 2035. */
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) })
  .map((ms) => new Date(ms));
const extension = fc.integer({ min: 0, max: FOI_MAX_EXTENSION_DAYS });

describe('the FOI clock (s.10(1): 20 working days after the day of receipt)', () => {
  it('a request received on the Friday before Easter 2026 is due on Tuesday 21 April, Good Friday and Easter Monday not counted', () => {
    expect(londonDate(foiDue(new Date('2026-03-20T10:00:00Z')))).toBe('2026-04-21');
  });

  it('a request received a few days before Christmas skips Christmas, Boxing Day’s substitute and New Year’s Day', () => {
    expect(londonDate(foiDue(new Date('2026-12-21T10:00:00Z')))).toBe('2027-01-21');
  });

  it('a request received on a Saturday is counted from the Monday: day 1 is the first working day after', () => {
    // Saturday 7 November 2026; Monday the 9th is day 1, so day 20 is Friday 4 December.
    expect(londonDate(foiDue(new Date('2026-11-07T12:00:00Z')))).toBe('2026-12-04');
  });

  it('a request arriving at 00:30 BST counts from its London date, not its UTC one', () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London.
    expect(foiDue(new Date('2026-06-30T23:30:00Z'))).toEqual(
      foiDue(new Date('2026-07-01T10:00:00Z')),
    );
  });

  it('is always the end of a working day, exactly 20 working days (plus the extension) after receipt', () => {
    fc.assert(
      fc.property(instant, extension, (received, days) => {
        const due = foiDue(received, days);
        expect(isWorkingDay(londonDate(due))).toBe(true);
        expect(workingDaysBetween(received, due)).toBe(FOI_WORKING_DAYS + days);
        // The end of the London day: a millisecond later is the next day.
        expect(londonDate(new Date(due.getTime() + 1))).not.toBe(londonDate(due));
      }),
    );
  });

  it('never counts a weekend or bank holiday: every working day between is one', () => {
    fc.assert(
      fc.property(instant, (received) => {
        const due = foiDue(received);
        // Unrounded: from a receipt just after midnight to the end of the due day.
        const calendarDays = (due.getTime() - received.getTime()) / 86_400_000;
        // 20 working days span four weekends: more than 25 days. The widest span has four bank
        // holidays in it (a receipt on Wednesday 5 April 2023: Good Friday, Easter Monday, the
        // early May holiday and the coronation's), just under 35 days; an hour-by-hour sweep of
        // 2020–2035 finds nothing wider.
        expect(calendarDays).toBeGreaterThan(25);
        expect(calendarDays).toBeLessThan(35);
      }),
    );
  });

  it('a later receipt is never due earlier (monotonic)', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(foiDue(late).getTime()).toBeGreaterThanOrEqual(foiDue(early).getTime());
      }),
    );
  });

  it('refuses an extension outside 0 to 20 working days', () => {
    expect(() => foiDue(new Date(), 21)).toThrow(RangeError);
    expect(() => foiDue(new Date(), -1)).toThrow(RangeError);
    expect(() => foiDue(new Date(), 1.5)).toThrow(RangeError);
  });
});

describe('clarification (s.1(3)) stops the clock, which restarts on the answer (s.10(6))', () => {
  it('the new due date is 20 working days after the clarification arrives, never before the first', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 200 * 86_400_000 }), (received, wait) => {
        const clarified = new Date(received.getTime() + wait);
        const due = foiDueAfterClarification(clarified);
        expect(workingDaysBetween(clarified, due)).toBe(FOI_WORKING_DAYS);
        expect(due.getTime()).toBeGreaterThanOrEqual(foiDue(received).getTime());
      }),
    );
  });

  it('a clarification answered the same day leaves the due date where it was', () => {
    const received = new Date('2026-11-09T09:00:00Z');
    expect(foiDueAfterClarification(new Date('2026-11-09T16:00:00Z'))).toEqual(foiDue(received));
  });
});

describe('the public interest extension (s.10(3))', () => {
  const due = new Date('2026-12-04T23:59:59.999Z');

  it('may be recorded once, up to the original due date', () => {
    expect(mayExtend({ due_at: due, extension_days: null }, new Date('2026-12-04T18:00:00Z'))).toBe(
      true,
    );
    expect(mayExtend({ due_at: due, extension_days: null }, new Date('2026-12-05T09:00:00Z'))).toBe(
      false,
    );
    expect(mayExtend({ due_at: due, extension_days: 10 }, new Date('2026-12-01T09:00:00Z'))).toBe(
      false,
    );
    expect(
      mayExtend({ due_at: null, extension_days: null }, new Date('2026-12-01T09:00:00Z')),
    ).toBe(false);
  });

  it('moves the due date on by exactly its working days', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: FOI_MAX_EXTENSION_DAYS }),
        (received, days) => {
          expect(workingDaysBetween(foiDue(received), foiDue(received, days))).toBe(days);
        },
      ),
    );
  });
});

describe('complaint stages and the overdue count', () => {
  it('a stage is due its body’s number of working days after it started', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 }), (started, days) => {
        expect(workingDaysBetween(started, stageDue(started, days))).toBe(days);
      }),
    );
  });

  it('counts working days overdue, 0 before the end of the due day', () => {
    const dueAt = new Date('2026-12-24T23:59:59.999Z');
    expect(workingDaysOverdue(dueAt, new Date('2026-12-24T20:00:00Z'))).toBe(0);
    expect(workingDaysOverdue(null, new Date())).toBe(0);
    // Christmas Day and Boxing Day's substitute are not working days: the 29th is day 1 overdue.
    expect(workingDaysOverdue(dueAt, new Date('2026-12-29T10:00:00Z'))).toBe(1);
    expect(workingDaysOverdue(dueAt, new Date('2026-12-26T10:00:00Z'))).toBe(1);
  });
});
