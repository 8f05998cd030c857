import { describe, expect, it } from 'vitest';
import { londonTime, slotsOn, type SlotRules } from '../slots.js';
import { pencesOf, readResourceForm, slugOf } from './resources.js';

const valid = {
  name: 'Hall',
  kind: 'venue',
  slotMinutes: '60',
  capacity: '1',
  price: '25',
  bufferMinutes: '0',
  cancelHours: '48',
  opens1: '9:00',
  closes1: '17:30',
};

describe('the resource form', () => {
  it('reads pounds and pence into pence', () => {
    expect(pencesOf('25')).toBe(2500);
    expect(pencesOf('£12.5')).toBe(1250);
    expect(pencesOf('1,250.05')).toBe(125005);
    expect(pencesOf('12.345')).toBeNull();
    expect(pencesOf('-1')).toBeNull();
  });

  it('reads opening times, a weekday left empty being closed', () => {
    const outcome = readResourceForm(valid);
    expect(outcome.ok && [...outcome.settings.openings]).toEqual([
      [1, { opens: 540, closes: 1050 }],
    ]);
  });

  it('names every field that is wrong', () => {
    const outcome = readResourceForm({ ...valid, kind: 'castle', capacity: '0', opens2: '10:00' });
    expect(!outcome.ok && outcome.errors.map((e) => e.field)).toEqual([
      'kind',
      'capacity',
      'opens2',
    ]);
  });

  it('makes an address from the name', () => {
    expect(slugOf('Neuadd Fawr (Côr) – upstairs')).toBe('neuadd-fawr-cor-upstairs');
  });
});

describe('slots after the rules change', () => {
  it('does not offer a new slot overlapping a booking made under the old rules', () => {
    const rules: SlotRules = {
      slotMinutes: 90,
      bufferMinutes: 0,
      daysAhead: 28,
      openings: new Map([[3, { opens: 9 * 60 + 30, closes: 17 * 60 }]]),
      blackouts: new Set(),
      booked: [
        {
          start: londonTime('2026-12-02', 600).getTime(),
          end: londonTime('2026-12-02', 660).getTime(),
        },
      ],
    };
    const times = slotsOn(rules, '2026-12-02', new Date('2026-11-30T08:00:00Z')).map((s) => s.time);
    expect(times).toEqual(['11:00', '12:30', '14:00', '15:30']);
  });
});
