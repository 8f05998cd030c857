import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  DAYS_BEFORE,
  londonInstant,
  londonOffsetMinutes,
  londonWallClock,
  MAX_INSTALMENTS,
  nextDueEvent,
  nextOccurrence,
  weekdayOf,
  type Schedule,
} from './schedule.js';

const at = (iso: string) => new Date(iso);

describe('londonInstant', () => {
  it('is the same UTC time as London in winter (GMT)', () => {
    expect(londonInstant('2026-01-15', 8).toISOString()).toBe('2026-01-15T08:00:00.000Z');
  });

  it('is an hour earlier in UTC in summer (BST)', () => {
    expect(londonInstant('2026-07-15', 8).toISOString()).toBe('2026-07-15T07:00:00.000Z');
  });

  it('uses BST on the last Sunday of March, after the clocks went forward at 1am', () => {
    // 29 March 2026 is the last Sunday of March.
    expect(londonInstant('2026-03-29', 8).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(londonInstant('2026-03-28', 18).toISOString()).toBe('2026-03-28T18:00:00.000Z');
  });

  it('uses GMT on the last Sunday of October, after the clocks went back at 2am', () => {
    // 25 October 2026 is the last Sunday of October.
    expect(londonInstant('2026-10-25', 8).toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(londonInstant('2026-10-24', 18).toISOString()).toBe('2026-10-24T17:00:00.000Z');
  });

  it('knows the offset either side of a change', () => {
    expect(londonOffsetMinutes(at('2026-03-29T00:59:00Z'))).toBe(0);
    expect(londonOffsetMinutes(at('2026-03-29T01:00:00Z'))).toBe(60);
    expect(londonOffsetMinutes(at('2026-10-25T00:59:00Z'))).toBe(60);
    expect(londonOffsetMinutes(at('2026-10-25T01:00:00Z'))).toBe(0);
  });
});

describe('nextOccurrence of a single date', () => {
  const renewal: Schedule = { kind: 'date', date: '2026-11-10', daysBefore: 7 };

  it('is 8am London time the chosen number of days before', () => {
    expect(nextOccurrence(renewal, at('2026-06-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-11-03T08:00:00.000Z',
    );
  });

  it('is 8am BST on the day when the day is in summer', () => {
    const schedule: Schedule = { kind: 'date', date: '2026-06-20', daysBefore: 0 };
    expect(nextOccurrence(schedule, at('2026-06-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-06-20T07:00:00.000Z',
    );
  });

  it('crosses a clock change: 28 days before a date in April is in March GMT', () => {
    const schedule: Schedule = { kind: 'date', date: '2026-04-20', daysBefore: 28 };
    expect(nextOccurrence(schedule, at('2026-01-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-03-23T08:00:00.000Z',
    );
  });

  it('is null once the reminder time has passed, including at that very instant', () => {
    expect(nextOccurrence(renewal, at('2026-11-03T08:00:00Z'))).toBeNull();
    expect(nextOccurrence(renewal, at('2026-11-03T07:59:59Z'))).not.toBeNull();
  });
});

describe('nextOccurrence of a monthly series', () => {
  const councilTax: Schedule = {
    kind: 'monthly',
    dayOfMonth: 1,
    startMonth: '2026-04',
    instalments: 10,
  };

  it('is 8am on the first instalment day when asked before the series starts', () => {
    expect(nextOccurrence(councilTax, at('2026-02-10T12:00:00Z'))?.toISOString()).toBe(
      '2026-04-01T07:00:00.000Z',
    );
  });

  it('moves to the next month once an instalment reminder was sent', () => {
    expect(nextDueEvent(councilTax, at('2026-04-01T07:00:00Z'))).toEqual({
      sendAt: at('2026-05-01T07:00:00Z'),
      eventDate: '2026-05-01',
    });
  });

  it('crosses the year end', () => {
    expect(nextDueEvent(councilTax, at('2026-12-01T08:00:00Z'))?.eventDate).toBe('2027-01-01');
  });

  it('has its last instalment in January after ten months from April, then nothing', () => {
    expect(nextDueEvent(councilTax, at('2026-12-31T00:00:00Z'))?.eventDate).toBe('2027-01-01');
    expect(nextOccurrence(councilTax, at('2027-01-01T08:00:00Z'))).toBeNull();
  });

  it('keeps day 28 in February and in 29-, 30- and 31-day months', () => {
    const late: Schedule = {
      kind: 'monthly',
      dayOfMonth: 28,
      startMonth: '2028-01',
      instalments: 4,
    };
    const dates: string[] = [];
    for (let after = at('2027-12-01T00:00:00Z'); ;) {
      const next = nextDueEvent(late, after);
      if (!next) break;
      dates.push(next.eventDate);
      after = next.sendAt;
    }
    expect(dates).toEqual(['2028-01-28', '2028-02-28', '2028-03-28', '2028-04-28']);
  });

  it('keeps 8am London time as the clocks change in March and October', () => {
    const spring: Schedule = {
      kind: 'monthly',
      dayOfMonth: 15,
      startMonth: '2026-02',
      instalments: 3,
    };
    const autumn: Schedule = {
      kind: 'monthly',
      dayOfMonth: 15,
      startMonth: '2026-10',
      instalments: 2,
    };
    const series = (schedule: Schedule) => {
      const found: string[] = [];
      for (let next = nextOccurrence(schedule, at('2026-01-01T00:00:00Z')); next;) {
        found.push(next.toISOString());
        next = nextOccurrence(schedule, next);
      }
      return found;
    };
    expect(series(spring)).toEqual([
      '2026-02-15T08:00:00.000Z',
      '2026-03-15T08:00:00.000Z',
      '2026-04-15T07:00:00.000Z',
    ]);
    expect(series(autumn)).toEqual(['2026-10-15T07:00:00.000Z', '2026-11-15T08:00:00.000Z']);
  });
});

describe('nextOccurrence of a weekly collection', () => {
  // 31 March 2026 is a Tuesday.
  const weekly: Schedule = { kind: 'weekly', firstDate: '2026-03-31', everyWeeks: 1 };
  const fortnightly: Schedule = { kind: 'weekly', firstDate: '2026-03-31', everyWeeks: 2 };

  it('is 6pm London time the evening before the first collection', () => {
    expect(nextDueEvent(weekly, at('2026-03-01T00:00:00Z'))).toEqual({
      sendAt: at('2026-03-30T17:00:00Z'),
      eventDate: '2026-03-31',
    });
  });

  it('is 6pm GMT on the Saturday before a Sunday collection on the day the clocks go back', () => {
    const sunday: Schedule = { kind: 'weekly', firstDate: '2026-10-18', everyWeeks: 1 };
    expect(nextDueEvent(sunday, at('2026-10-19T00:00:00Z'))).toEqual({
      sendAt: at('2026-10-24T17:00:00Z'),
      eventDate: '2026-10-25',
    });
    expect(nextDueEvent(sunday, at('2026-10-24T17:00:00Z'))?.sendAt).toEqual(
      at('2026-10-31T18:00:00Z'),
    );
  });

  it('is 6pm on the Saturday before the last Sunday of March, still in GMT', () => {
    const sunday: Schedule = { kind: 'weekly', firstDate: '2026-03-22', everyWeeks: 1 };
    expect(nextOccurrence(sunday, at('2026-03-22T00:00:00Z'))).toEqual(at('2026-03-28T18:00:00Z'));
    expect(nextOccurrence(sunday, at('2026-03-28T18:00:00Z'))).toEqual(at('2026-04-04T17:00:00Z'));
  });

  it('skips the weeks between fortnightly collections', () => {
    expect(nextDueEvent(fortnightly, at('2026-03-30T17:00:00Z'))?.eventDate).toBe('2026-04-14');
    expect(nextDueEvent(weekly, at('2026-03-30T17:00:00Z'))?.eventDate).toBe('2026-04-07');
  });

  it('finds the right fortnight long after the first collection', () => {
    // 2027-03-30 is 52 weeks after 2026-03-31: a collection week of the fortnightly round.
    expect(nextDueEvent(fortnightly, at('2027-03-28T12:00:00Z'))?.eventDate).toBe('2027-03-30');
    expect(nextDueEvent(fortnightly, at('2027-03-29T17:00:00Z'))?.eventDate).toBe('2027-04-13');
  });
});

/** Arbitrary instants between 2020 and 2040. */
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) })
  .map((ms) => new Date(ms));
const isoDate = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));
const schedules: fc.Arbitrary<Schedule> = fc.oneof(
  fc.record({
    kind: fc.constant('date' as const),
    date: isoDate,
    daysBefore: fc.constantFrom(...DAYS_BEFORE),
  }),
  fc.record({
    kind: fc.constant('monthly' as const),
    dayOfMonth: fc.integer({ min: 1, max: 28 }),
    startMonth: isoDate.map((d) => d.slice(0, 7)),
    instalments: fc.integer({ min: 1, max: MAX_INSTALMENTS }),
  }),
  fc.record({
    kind: fc.constant('weekly' as const),
    firstDate: isoDate,
    everyWeeks: fc.constantFrom(1 as const, 2 as const),
  }),
);

describe('nextOccurrence, for any schedule and instant', () => {
  it('is strictly after the instant asked about', () => {
    fc.assert(
      fc.property(schedules, instant, (schedule, after) => {
        const next = nextOccurrence(schedule, after);
        return next === null || next.getTime() > after.getTime();
      }),
    );
  });

  it('lands at 8am London time, or 6pm the evening before a collection', () => {
    fc.assert(
      fc.property(schedules, instant, (schedule, after) => {
        const next = nextDueEvent(schedule, after);
        if (!next) return true;
        const clock = londonWallClock(next.sendAt);
        if (schedule.kind === 'weekly')
          return (
            clock.hour === 18 && clock.minute === 0 && clock.date === addDays(next.eventDate, -1)
          );
        const daysBefore = schedule.kind === 'date' ? schedule.daysBefore : 0;
        return (
          clock.hour === 8 &&
          clock.minute === 0 &&
          clock.date === addDays(next.eventDate, -daysBefore)
        );
      }),
    );
  });

  it('is about the right day: the date, the day of the month, the collection weekday', () => {
    fc.assert(
      fc.property(schedules, instant, (schedule, after) => {
        const next = nextDueEvent(schedule, after);
        if (!next) return true;
        switch (schedule.kind) {
          case 'date':
            return next.eventDate === schedule.date;
          case 'monthly':
            return (
              Number(next.eventDate.slice(8)) === schedule.dayOfMonth &&
              next.eventDate.slice(0, 7) >= schedule.startMonth
            );
          case 'weekly': {
            const days = (Date.parse(next.eventDate) - Date.parse(schedule.firstDate)) / 86_400_000;
            return (
              weekdayOf(next.eventDate) === weekdayOf(schedule.firstDate) &&
              days >= 0 &&
              days % (7 * schedule.everyWeeks) === 0
            );
          }
        }
      }),
    );
  });

  it('never skips one: the occurrence before the next was not after the instant', () => {
    fc.assert(
      fc.property(schedules, instant, (schedule, after) => {
        const next = nextDueEvent(schedule, after);
        let previous: string | undefined;
        if (schedule.kind === 'weekly' && next) {
          const candidate = addDays(next.eventDate, -7 * schedule.everyWeeks);
          if (candidate >= schedule.firstDate) previous = addDays(candidate, -1);
        }
        if (
          schedule.kind === 'monthly' &&
          next &&
          next.eventDate.slice(0, 7) > schedule.startMonth
        ) {
          const [year, month] = next.eventDate.split('-').map(Number) as [number, number];
          const before = new Date(Date.UTC(year, month - 2, schedule.dayOfMonth));
          previous = before.toISOString().slice(0, 10);
        }
        if (previous === undefined) return true;
        const hour = schedule.kind === 'weekly' ? 18 : 8;
        return londonInstant(previous, hour).getTime() <= after.getTime();
      }),
    );
  });

  it('a monthly series has exactly its number of instalments', () => {
    fc.assert(
      fc.property(
        schedules.filter((s) => s.kind === 'monthly'),
        (schedule) => {
          let count = 0;
          for (let after = new Date(Date.UTC(2015, 0, 1)); ; count++) {
            const next = nextOccurrence(schedule, after);
            if (!next) break;
            after = next;
          }
          return schedule.kind === 'monthly' && count === schedule.instalments;
        },
      ),
      { numRuns: 50 },
    );
  });
});
