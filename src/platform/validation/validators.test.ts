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
