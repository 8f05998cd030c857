import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatOpeningHours,
  MAX_HOURS_LENGTH,
  openAt,
  parseOpeningHours,
  type OpeningPeriod,
} from './hours.js';

const periodsOf = (text: string) => {
  const reading = parseOpeningHours(text);
  if (!reading.ok) throw new Error(`refused: ${reading.problem} in ${reading.entry}`);
  return reading.periods;
};

/** A week of valid hours: on each day, sorted cut points paired into periods that do not overlap. */
const week = fc
  .array(fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 }), {
    minLength: 7,
    maxLength: 7,
  })
  .map((days) =>
    days.flatMap((cuts, weekday) => {
      const sorted = [...cuts].sort((a, b) => a - b);
      const periods: OpeningPeriod[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2)
        periods.push({ weekday, opens: sorted[i]!, closes: sorted[i + 1]! });
      return periods;
    }),
  );

describe('reading opening hours', () => {
  it('reads days, ranges of days and several times a day, in English', () => {
    expect(periodsOf('Mon-Fri 09:00-17:00\nSat 9:00-12:30')).toEqual([
      ...[1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: 540, closes: 1020 })),
      { weekday: 6, opens: 540, closes: 750 },
    ]);
    expect(periodsOf('Tue, Thu 10:00 - 12:00, 13:00 - 15:00')).toEqual([
      { weekday: 2, opens: 600, closes: 720 },
      { weekday: 2, opens: 780, closes: 900 },
      { weekday: 4, opens: 600, closes: 720 },
      { weekday: 4, opens: 780, closes: 900 },
    ]);
  });

  it('reads Welsh day names, "dydd" or not, and "bob dydd"', () => {
    expect(periodsOf('Dydd Llun-Dydd Gwener 09:00-17:00')).toEqual(
      periodsOf('Mon-Fri 09:00-17:00'),
    );
    expect(periodsOf('Sad 9:00-12:00; Sul 10:00-11:00')).toEqual(
      periodsOf('Sat 9:00-12:00\nSun 10:00-11:00'),
    );
    expect(periodsOf('bob dydd 08:00-20:00')).toHaveLength(7);
  });

  it('reads a line open until midnight, and no text as no hours', () => {
    expect(periodsOf('Sun 18:00-24:00')).toEqual([{ weekday: 0, opens: 1080, closes: 1440 }]);
    expect(periodsOf('  \n ')).toEqual([]);
  });

  it.each([
    ['Mon-Fri 17:00-09:00', 'order'],
    ['Mon 09:00-09:00', 'order'],
    ['Mon 25:00-26:00', 'time'],
    ['Mon 09:60-10:00', 'time'],
    ['Mon 24:00-24:30', 'time'],
    ['Funday 09:00-17:00', 'day'],
    ['Fri-Mon 09:00-17:00', 'day'],
    ['Mon-Fri', 'format'],
    ['Mon 9am to 5pm', 'format'],
    ['Mon-Fri 09:00-17:00\nWed 12:00-13:00', 'overlap'],
    ['Mon 09:00-13:00, 12:00-17:00', 'overlap'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(parseOpeningHours(text)).toMatchObject({ ok: false, problem });
  });

  it('refuses text over the limit without reading it', () => {
    expect(parseOpeningHours(`Mon 09:00-17:00\n`.repeat(40))).toMatchObject({
      ok: false,
      problem: 'too-long',
    });
    expect(MAX_HOURS_LENGTH).toBeLessThan(16 * 40);
  });

  it('names the entry at fault', () => {
    expect(parseOpeningHours('Mon 09:00-17:00\nTue 18:00-08:00')).toEqual({
      ok: false,
      problem: 'order',
      entry: 'Tue 18:00-08:00',
    });
  });
});

describe('opening hours, whatever is typed (properties)', () => {
  it('written out and read again, hours are the same, in English and in Welsh', () => {
    fc.assert(
      fc.property(week, fc.constantFrom('en' as const, 'cy' as const), (periods, locale) => {
        const text = formatOpeningHours(periods, locale);
        expect(periodsOf(text)).toEqual(periods);
      }),
    );
  });

  it('whatever is accepted closes after it opens, within the day, without overlaps', () => {
    const token = fc.constantFrom(
      'Mon',
      'Tue',
      'Sat',
      'Sul',
      'Llun',
      'daily',
      '-',
      ',',
      ' ',
      '\n',
      ';',
      '09:00',
      '9:30',
      '12:00',
      '17:00',
      '24:00',
      '00:00',
      '7',
      ':',
      'x',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        const reading = parseOpeningHours(tokens.join(''));
        if (!reading.ok) return;
        for (const p of reading.periods) {
          expect(p.weekday).toBeGreaterThanOrEqual(0);
          expect(p.weekday).toBeLessThanOrEqual(6);
          expect(p.opens).toBeGreaterThanOrEqual(0);
          expect(p.closes).toBeGreaterThan(p.opens);
          expect(p.closes).toBeLessThanOrEqual(1440);
        }
        for (let i = 1; i < reading.periods.length; i++) {
          const [a, b] = [reading.periods[i - 1]!, reading.periods[i]!];
          if (a.weekday === b.weekday) expect(b.opens).toBeGreaterThanOrEqual(a.closes);
        }
      }),
    );
  });

  it('a closing time at or before the opening time is always refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), (a, b) => {
        const [opens, closes] = a >= b ? [a, b] : [b, a];
        const hhmm = (m: number) =>
          `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        expect(parseOpeningHours(`Wed ${hhmm(opens)}-${hhmm(closes)}`)).toMatchObject({
          ok: false,
          problem: 'order',
        });
      }),
    );
  });
});

describe('open now, on a London clock', () => {
  const weekdays = periodsOf('Mon-Fri 09:00-17:00');

  it('is open at 09:30 BST on a summer Wednesday (08:30 UTC) and says when it closes', () => {
    expect(openAt(weekdays, new Date('2026-07-01T08:30:00Z'))).toEqual({
      known: true,
      open: true,
      closesAt: '17:00',
    });
  });

  it('is closed at 08:30 BST although it is 09:30 in winter time terms', () => {
    expect(openAt(weekdays, new Date('2026-07-01T07:30:00Z'))).toEqual({
      known: true,
      open: false,
      opensOn: '2026-07-01',
      opensAt: '09:00',
    });
  });

  it('in winter London is on UTC: open at 16:59, closed at 17:00', () => {
    expect(openAt(weekdays, new Date('2026-12-02T16:59:00Z'))).toMatchObject({ open: true });
    expect(openAt(weekdays, new Date('2026-12-02T17:00:00Z'))).toMatchObject({ open: false });
  });

  it('on a Saturday it next opens on Monday', () => {
    expect(openAt(weekdays, new Date('2026-11-28T12:00:00Z'))).toEqual({
      known: true,
      open: false,
      opensOn: '2026-11-30',
      opensAt: '09:00',
    });
  });

  it('late on Sunday night in BST is already Monday in London', () => {
    // 23:30 UTC on Sunday 5 July is 00:30 BST on Monday 6 July: open until midnight on Monday.
    const mondayNight = periodsOf('Mon 00:00-01:00');
    expect(openAt(mondayNight, new Date('2026-07-05T23:30:00Z'))).toMatchObject({ open: true });
  });

  it('without hours, whether it is open is not known', () => {
    expect(openAt([], new Date('2026-07-01T08:30:00Z'))).toEqual({ known: false });
  });
});
