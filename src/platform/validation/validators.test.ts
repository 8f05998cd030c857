import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  daysBetween,
  isWeekday,
  normalisePostcode,
  parseDateParts,
  ukToday,
} from './validators.js';

describe('normalisePostcode', () => {
  it('puts real postcodes in standard form however they are typed', () => {
    expect(normalisePostcode('gl54ub')).toBe('GL5 4UB');
    expect(normalisePostcode(' sw1a  1aa ')).toBe('SW1A 1AA');
    expect(normalisePostcode('CF10 1EP')).toBe('CF10 1EP');
    expect(normalisePostcode('M1 1AE')).toBe('M1 1AE');
    expect(normalisePostcode('gir0aa')).toBe('GIR 0AA');
  });

  it('refuses what cannot be a postcode', () => {
    for (const bad of ['', 'GL5', '12345', 'GL5 4U', 'QL5 4UB', 'GL5 4CB', '<script>']) {
      expect(normalisePostcode(bad)).toBeUndefined();
    }
  });

  it('is stable: a normalised postcode normalises to itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        const once = normalisePostcode(text);
        if (once !== undefined) expect(normalisePostcode(once)).toBe(once);
      }),
    );
  });
});

describe('parseDateParts', () => {
  it('reads a real date', () => {
    expect(parseDateParts('3', '12', '2026')).toEqual({ date: '2026-12-03' });
    expect(parseDateParts('29', '2', '2028')).toEqual({ date: '2028-02-29' });
  });

  it('says what is wrong', () => {
    expect(parseDateParts('', '', '')).toEqual({ problem: 'required' });
    expect(parseDateParts('3', '', '2026')).toEqual({ problem: 'incomplete' });
    expect(parseDateParts('31', '2', '2026')).toEqual({ problem: 'invalid' });
    expect(parseDateParts('1', '1', '26')).toEqual({ problem: 'invalid' });
    expect(parseDateParts('a', '1', '2026')).toEqual({ problem: 'invalid' });
    expect(parseDateParts('29', '2', '2000')).toEqual({ date: '2000-02-29' });
    expect(parseDateParts('29', '2', '1900')).toEqual({ problem: 'invalid' });
    expect(parseDateParts('31', '04', '2026')).toEqual({ problem: 'invalid' });
    expect(parseDateParts('30', '04', '2026')).toEqual({ date: '2026-04-30' });
    expect(parseDateParts('1', '1', '0099')).toEqual({ problem: 'invalid' });
    expect(parseDateParts('01', '01', '0100')).toEqual({ date: '0100-01-01' });
  });

  it('round-trips every real date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, day] = iso.split('-');
          expect(parseDateParts(String(Number(day)), String(Number(m)), y!)).toEqual({ date: iso });
        },
      ),
    );
  });

  it('accepts and refuses exactly the dates the calendar has, as Date counts them', () => {
    // Digits as people type them: with or without leading zeros, impossible days and months,
    // 29 February in leap and other years, years from 0000 to 9999.
    const digits = (max: number, width: number) =>
      fc
        .tuple(fc.integer({ min: 0, max }), fc.boolean())
        .map(([n, pad]) => (pad ? String(n).padStart(width, '0') : String(n)));
    const year = fc
      .oneof(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }).map((c) => c * 100),
      )
      .map((n) => String(n).padStart(4, '0'));
    fc.assert(
      fc.property(digits(33, 2), digits(14, 2), year, (day, month, y) => {
        const [d, m, n] = [Number(day), Number(month), Number(y)];
        const date = new Date(Date.UTC(n, m - 1, d));
        const real =
          date.getUTCFullYear() === n && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
        expect(parseDateParts(day, month, y)).toEqual(
          real ? { date: date.toISOString().slice(0, 10) } : { problem: 'invalid' },
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on any input', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        parseDateParts(a, b, c);
      }),
    );
  });
});

describe('date helpers', () => {
  it('count days and know weekends', () => {
    expect(daysBetween('2026-11-24', '2026-12-01')).toBe(7);
    expect(isWeekday('2026-11-28')).toBe(false);
    expect(isWeekday('2026-11-30')).toBe(true);
    expect(ukToday(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });

  it('knows today from one minute to the next, across midnight and in either order', () => {
    expect(ukToday(new Date('2026-01-31T23:59:59Z'))).toBe('2026-01-31');
    expect(ukToday(new Date('2026-02-01T00:00:00Z'))).toBe('2026-02-01');
    expect(ukToday(new Date('2026-01-31T23:59:00Z'))).toBe('2026-01-31');
    expect(ukToday(new Date('2026-06-30T22:59:59Z'))).toBe('2026-06-30');
    expect(ukToday(new Date('2026-06-30T23:00:00Z'))).toBe('2026-07-01');
  });
});
