import { describe, expect, it } from 'vitest';
import { findSlot, londonTime, openDays, slotsOn, type SlotRules } from './slots.js';

const rules = (overrides: Partial<SlotRules> = {}): SlotRules => ({
  slotMinutes: 60,
  bufferMinutes: 0,
  daysAhead: 28,
  openings: new Map([[3, { opens: 9 * 60, closes: 12 * 60 }]]), // Wednesdays 09:00–12:00
  blackouts: new Set(),
  ...overrides,
});
// Monday 30 November 2026, 08:00 GMT.
const now = new Date('2026-11-30T08:00:00Z');

describe('slots', () => {
  it('fills the opening hours with whole slots, leaving the buffer after each', () => {
    expect(slotsOn(rules(), '2026-12-02', now).map((s) => s.time)).toEqual([
      '09:00',
      '10:00',
      '11:00',
    ]);
    expect(slotsOn(rules({ bufferMinutes: 15 }), '2026-12-02', now).map((s) => s.time)).toEqual([
      '09:00',
      '10:15',
    ]);
  });

  it('uses London time: 09:00 is 08:00 UTC in summer and 09:00 UTC in winter', () => {
    expect(londonTime('2026-07-01', 9 * 60).toISOString()).toBe('2026-07-01T08:00:00.000Z');
    expect(londonTime('2026-12-02', 9 * 60).toISOString()).toBe('2026-12-02T09:00:00.000Z');
    const summer = slotsOn(rules(), '2026-07-01', new Date('2026-06-30T08:00:00Z'));
    expect(summer[0]!.start.toISOString()).toBe('2026-07-01T08:00:00.000Z');
    expect(summer[0]!.end.toISOString()).toBe('2026-07-01T09:00:00.000Z');
  });

  it('offers nothing on a closed weekday, a blackout day, outside the window, or already begun', () => {
    expect(slotsOn(rules(), '2026-12-01', now)).toEqual([]);
    expect(slotsOn(rules({ blackouts: new Set(['2026-12-02']) }), '2026-12-02', now)).toEqual([]);
    expect(slotsOn(rules({ daysAhead: 2 }), '2026-12-02', now)).toEqual([]);
    expect(slotsOn(rules(), '2026-11-25', now)).toEqual([]);
    expect(slotsOn(rules(), 'not-a-day', now)).toEqual([]);
    const during = new Date('2026-12-02T10:30:00Z');
    expect(slotsOn(rules(), '2026-12-02', during).map((s) => s.time)).toEqual(['11:00']);
  });

  it('finds only a slot the rules offer, and lists the open days', () => {
    expect(findSlot(rules(), '2026-12-02', '10:00', now)?.time).toBe('10:00');
    expect(findSlot(rules(), '2026-12-02', '10:30', now)).toBeNull();
    expect(openDays(rules(), now)).toEqual([
      '2026-12-02',
      '2026-12-09',
      '2026-12-16',
      '2026-12-23',
    ]);
  });
});
