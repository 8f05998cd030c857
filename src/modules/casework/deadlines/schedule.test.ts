import { describe, expect, it } from 'vitest';
import { digestTime, nextDigestDate, nextSweepSlot, sweepSlot } from './schedule.js';

describe('the sweep’s slots', () => {
  it('are five minutes long, the same on every node', () => {
    expect(sweepSlot(new Date('2026-06-01T10:07:59.999Z')).toISOString()).toBe(
      '2026-06-01T10:05:00.000Z',
    );
    expect(nextSweepSlot(new Date('2026-06-01T10:07:59.999Z')).toISOString()).toBe(
      '2026-06-01T10:10:00.000Z',
    );
    expect(sweepSlot(new Date('2026-06-01T10:10:00.000Z')).toISOString()).toBe(
      '2026-06-01T10:10:00.000Z',
    );
  });
});

describe('the digest’s day', () => {
  it('is today before 7am London time on a working day, else the next working day', () => {
    // Monday 1 June 2026, BST: 7am London is 06:00 UTC.
    expect(nextDigestDate(new Date('2026-06-01T05:59:00Z'))).toBe('2026-06-01');
    expect(nextDigestDate(new Date('2026-06-01T06:00:00Z'))).toBe('2026-06-02');
    // Friday after 7am: Monday.
    expect(nextDigestDate(new Date('2026-06-05T09:00:00Z'))).toBe('2026-06-08');
    // Thursday before Easter: Good Friday and Easter Monday are skipped.
    expect(nextDigestDate(new Date('2026-04-02T08:00:00Z'))).toBe('2026-04-07');
    // Christmas Eve 2026: Christmas Day and Boxing Day's substitute are skipped.
    expect(nextDigestDate(new Date('2026-12-24T08:00:00Z'))).toBe('2026-12-29');
  });

  it('goes out at 7am London time in winter and in summer', () => {
    expect(digestTime('2026-01-05').toISOString()).toBe('2026-01-05T07:00:00.000Z');
    expect(digestTime('2026-06-01').toISOString()).toBe('2026-06-01T06:00:00.000Z');
  });
});
