import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths } from '../../platform/time/london.js';
import { dueDate } from './due-date.js';

describe('a subject access request’s due date', () => {
  it('is the same date next month', () => {
    expect(dueDate('2027-03-03')).toBe('2027-04-03');
    expect(dueDate('2026-12-15')).toBe('2027-01-15');
  });

  it('is the last day of next month when next month has no such date', () => {
    expect(dueDate('2027-01-31')).toBe('2027-02-28');
    expect(dueDate('2028-01-31')).toBe('2028-02-29');
    expect(dueDate('2028-01-30')).toBe('2028-02-29');
    expect(dueDate('2027-03-31')).toBe('2027-04-30');
    expect(dueDate('2027-08-31')).toBe('2027-09-30');
  });

  it('moves out by the months of an extension, counted from the day received', () => {
    expect(dueDate('2027-01-31', 1)).toBe('2027-03-31');
    expect(dueDate('2027-11-30', 2)).toBe('2028-02-29');
    expect(dueDate('2027-12-31', 2)).toBe('2028-03-31');
  });

  it('always falls in the right month, never before the day received', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 3 }),
        (date, months) => {
          const from = date.toISOString().slice(0, 10);
          const to = addMonths(from, months);
          const [y, m, d] = from.split('-').map(Number) as [number, number, number];
          const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
          expect(ty * 12 + tm - (y * 12 + m)).toBe(months);
          expect(td).toBeLessThanOrEqual(d);
          // A smaller day only when the month is shorter: the day after is in the next month.
          if (td < d) expect(new Date(Date.parse(to) + 86_400_000).getUTCDate()).toBe(1);
          expect(to >= from).toBe(true);
        },
      ),
    );
  });
});
