import { describe, expect, it } from 'vitest';
import { monthsBefore } from './policies.js';

describe('monthsBefore', () => {
  it('goes back whole calendar months, keeping the time of day', () => {
    expect(monthsBefore(new Date('2032-03-15T02:00:00.000Z'), 72).toISOString()).toBe(
      '2026-03-15T02:00:00.000Z',
    );
    expect(monthsBefore(new Date('2032-03-15T02:00:00.000Z'), 3).toISOString()).toBe(
      '2031-12-15T02:00:00.000Z',
    );
  });

  it('clamps the day to the end of a shorter month', () => {
    expect(monthsBefore(new Date('2026-08-31T02:00:00.000Z'), 6).toISOString()).toBe(
      '2026-02-28T02:00:00.000Z',
    );
    expect(monthsBefore(new Date('2028-05-31T02:00:00.000Z'), 3).toISOString()).toBe(
      '2028-02-29T02:00:00.000Z',
    );
  });
});
