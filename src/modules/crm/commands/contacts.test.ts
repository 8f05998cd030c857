import { describe, expect, it } from 'vitest';
import { readContact, type ContactInput } from './contacts.js';

const GOOD: ContactInput = {
  channel: 'phone',
  reason: 'payment',
  outcome: 'resolved',
  minutes: '5',
  applicationReference: '',
  notes: '',
  callback: 'no',
  callbackDay: '',
  callbackMonth: '',
  callbackYear: '',
  callbackTime: '',
  callbackPhone: '',
};
const NOW = new Date('2026-07-01T09:00:00Z');

describe('reading the contact form', () => {
  it('accepts a contact without a call-back', () => {
    expect(readContact(GOOD, NOW).ok).toBe(true);
  });

  it('refuses a reason or outcome not on the list, and minutes out of range', () => {
    const outcome = readContact({ ...GOOD, reason: 'chat', outcome: 'x', minutes: '601' }, NOW);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.errors.map((e) => e.field)).toEqual(['reason', 'outcome', 'minutes']);
  });

  it('schedules a call-back in London time, and refuses one in the past', () => {
    const callback = {
      ...GOOD,
      callback: 'yes',
      callbackDay: '2',
      callbackMonth: '7',
      callbackYear: '2026',
      callbackTime: '14:30',
      callbackPhone: '01453 766321',
    };
    const outcome = readContact(callback, NOW);
    expect(outcome.ok && outcome.contact.callback?.dueAt.toISOString()).toBe(
      '2026-07-02T13:30:00.000Z',
    );
    const past = readContact({ ...callback, callbackDay: '30', callbackMonth: '6' }, NOW);
    expect(past.ok).toBe(false);
  });
});
