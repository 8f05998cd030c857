import { describe, expect, it } from 'vitest';
import { endOfLondonDay, isIsoDate, londonDate, londonTime } from './london.js';

describe('London time', () => {
  it('finds a wall-clock time in GMT and in BST', () => {
    expect(londonTime('2026-01-15', 7).toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(londonTime('2026-07-15', 7).toISOString()).toBe('2026-07-15T06:00:00.000Z');
    // The days the clocks change: 7am comes after the change on both.
    expect(londonTime('2026-03-29', 7).toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(londonTime('2026-10-25', 7).toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('ends a day at 23:59:59.999 London time', () => {
    expect(endOfLondonDay('2026-03-28').toISOString()).toBe('2026-03-28T23:59:59.999Z');
    expect(endOfLondonDay('2026-03-29').toISOString()).toBe('2026-03-29T22:59:59.999Z');
    expect(endOfLondonDay('2026-10-25').toISOString()).toBe('2026-10-25T23:59:59.999Z');
  });

  it('gives the London date of an instant', () => {
    expect(londonDate(new Date('2026-06-01T23:30:00Z'))).toBe('2026-06-02');
    expect(londonDate(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-01');
  });

  it('knows a real date', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-2-9')).toBe(false);
  });
});
