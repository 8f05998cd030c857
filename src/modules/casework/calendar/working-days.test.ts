import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { londonDate } from '../../../platform/time/london.js';
import {
  addWorkingDays,
  dueAfterPause,
  isWorkingDay,
  slaRisk,
  workingDaysBetween,
} from './working-days.js';

const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe('isWorkingDay', () => {
  it('is Monday to Friday, less bank holidays', () => {
    expect(isWorkingDay('2026-06-05')).toBe(true); // Friday
    expect(isWorkingDay('2026-06-06')).toBe(false); // Saturday
    expect(isWorkingDay('2026-06-07')).toBe(false); // Sunday
    expect(isWorkingDay('2026-04-03')).toBe(false); // Good Friday
    expect(isWorkingDay('2026-12-28')).toBe(false); // Boxing Day (substitute day)
    expect(isWorkingDay('2022-09-19')).toBe(false); // the State Funeral
  });

  it('refuses what is not a date', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('5 June 2026')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('skips a weekend: Friday + 1 is the end of Monday', () => {
    expect(iso(addWorkingDays(at('2026-06-05T13:00:00Z'), 1))).toBe('2026-06-08T22:59:59.999Z');
    expect(iso(addWorkingDays(at('2026-06-05T13:00:00Z'), 5))).toBe('2026-06-12T22:59:59.999Z');
  });

  it('does not count the day the work arrived, even late at night', () => {
    expect(iso(addWorkingDays(at('2026-06-01T08:00:00Z'), 1))).toBe('2026-06-02T22:59:59.999Z');
    // 23:30 UTC on Monday is 00:30 BST on Tuesday: it arrived on Tuesday.
    expect(iso(addWorkingDays(at('2026-06-01T23:30:00Z'), 1))).toBe('2026-06-03T22:59:59.999Z');
  });

  it('skips Easter: Thursday + 1 is the Tuesday after Easter Monday', () => {
    expect(iso(addWorkingDays(at('2026-04-02T10:00:00Z'), 1))).toBe('2026-04-07T22:59:59.999Z');
  });

  it('skips Christmas, Boxing Day’s substitute and New Year', () => {
    expect(iso(addWorkingDays(at('2026-12-23T10:00:00Z'), 2))).toBe('2026-12-29T23:59:59.999Z');
    expect(iso(addWorkingDays(at('2026-12-31T10:00:00Z'), 1))).toBe('2027-01-04T23:59:59.999Z');
  });

  it('ends the day in London time on both sides of a change of the clocks', () => {
    // Clocks go forward on Sunday 29 March 2026: Friday's case is due at the end of Monday in BST.
    expect(iso(addWorkingDays(at('2026-03-27T10:00:00Z'), 1))).toBe('2026-03-30T22:59:59.999Z');
    // Clocks go back on Sunday 25 October 2026: Friday's case is due at the end of Monday in GMT.
    expect(iso(addWorkingDays(at('2026-10-23T10:00:00Z'), 1))).toBe('2026-10-26T23:59:59.999Z');
  });

  it('with 0 days is the end of today, or of the next working day at a weekend', () => {
    expect(iso(addWorkingDays(at('2026-06-03T09:00:00Z'), 0))).toBe('2026-06-03T22:59:59.999Z');
    expect(iso(addWorkingDays(at('2026-06-06T09:00:00Z'), 0))).toBe('2026-06-08T22:59:59.999Z');
  });

  it('refuses a negative, fractional or impossible input', () => {
    expect(() => addWorkingDays(at('2026-06-03T09:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(at('2026-06-03T09:00:00Z'), 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after the first date up to and including the second', () => {
    expect(workingDaysBetween(at('2026-06-05T09:00:00Z'), at('2026-06-08T09:00:00Z'))).toBe(1);
    expect(workingDaysBetween(at('2026-12-24T09:00:00Z'), at('2026-12-29T09:00:00Z'))).toBe(1);
    expect(workingDaysBetween(at('2026-06-03T08:00:00Z'), at('2026-06-03T20:00:00Z'))).toBe(0);
  });

  it('is negative when the second date is earlier', () => {
    expect(workingDaysBetween(at('2026-06-08T09:00:00Z'), at('2026-06-05T09:00:00Z'))).toBe(-1);
  });
});

describe('dueAfterPause', () => {
  const due = at('2026-04-10T22:59:59.999Z'); // end of Friday 10 April

  it('moves the due date on by the working days the clock stood still, skipping Easter', () => {
    // Paused on the Thursday before Easter, resumed on the Tuesday after: only Tuesday counts.
    const moved = dueAfterPause(due, at('2026-04-02T10:00:00Z'), at('2026-04-07T08:00:00Z'));
    expect(iso(moved)).toBe('2026-04-13T22:59:59.999Z');
  });

  it('moves nothing for a pause within a day', () => {
    expect(dueAfterPause(due, at('2026-04-08T09:00:00Z'), at('2026-04-08T16:00:00Z'))).toBe(due);
  });

  it('counts a pause over a weekend as one day', () => {
    const moved = dueAfterPause(due, at('2026-04-24T15:00:00Z'), at('2026-04-27T09:00:00Z'));
    expect(iso(moved)).toBe('2026-04-13T22:59:59.999Z');
  });

  it('refuses a resumption before the pause', () => {
    expect(() =>
      dueAfterPause(due, at('2026-04-08T09:00:00Z'), at('2026-04-07T09:00:00Z')),
    ).toThrow(RangeError);
  });
});

describe('slaRisk', () => {
  const thursday = at('2026-06-04T09:00:00Z');

  it('is none without a time limit', () => {
    expect(slaRisk(null, thursday)).toBe('none');
  });

  it('is due soon within two working days, across a weekend', () => {
    expect(slaRisk(at('2026-06-04T22:59:59.999Z'), thursday)).toBe('due-soon');
    expect(slaRisk(at('2026-06-08T22:59:59.999Z'), thursday)).toBe('due-soon');
    expect(slaRisk(at('2026-06-09T22:59:59.999Z'), thursday)).toBe('on-track');
  });

  it('is overdue only once the due instant has passed', () => {
    const due = at('2026-06-04T22:59:59.999Z');
    expect(slaRisk(due, due)).toBe('due-soon');
    expect(slaRisk(due, new Date(due.getTime() + 1))).toBe('overdue');
  });
});

describe('working-day properties', () => {
  const instant = fc.date({
    min: new Date('2015-01-01T00:00:00Z'),
    max: new Date('2035-12-31T23:59:59Z'),
    noInvalidDate: true,
  });
  const days = fc.integer({ min: 0, max: 80 });

  it('adding n working days lands at the end of a working day', () => {
    fc.assert(
      fc.property(instant, days, (from, n) => {
        const due = addWorkingDays(from, n);
        expect(isWorkingDay(londonDate(due))).toBe(true);
        expect(londonDate(new Date(due.getTime() + 1))).not.toBe(londonDate(due));
        expect(due.getTime()).toBeGreaterThan(from.getTime());
      }),
    );
  });

  it('counts back the days it added', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 80 }), (from, n) => {
        expect(workingDaysBetween(from, addWorkingDays(from, n))).toBe(n);
      }),
    );
  });

  it('is monotonic in the start and in the number of days', () => {
    fc.assert(
      fc.property(instant, instant, days, days, (a, b, m, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const [fewer, more] = m <= n ? [m, n] : [n, m];
        expect(addWorkingDays(early, m).getTime()).toBeLessThanOrEqual(
          addWorkingDays(late, m).getTime(),
        );
        expect(addWorkingDays(a, fewer).getTime()).toBeLessThanOrEqual(
          addWorkingDays(a, more).getTime(),
        );
        if (fewer >= 1 && fewer < more)
          expect(addWorkingDays(a, fewer).getTime()).toBeLessThan(
            addWorkingDays(a, more).getTime(),
          );
      }),
    );
  });

  it('moves a due date on by exactly the working days paused', () => {
    fc.assert(
      fc.property(instant, days, fc.integer({ min: 0, max: 40 * 86_400_000 }), (start, n, gap) => {
        const due = addWorkingDays(start, n);
        const paused = start;
        const resumed = new Date(start.getTime() + gap);
        const moved = dueAfterPause(due, paused, resumed);
        expect(workingDaysBetween(due, moved)).toBe(workingDaysBetween(paused, resumed));
        expect(isWorkingDay(londonDate(moved))).toBe(true);
      }),
    );
  });
});
