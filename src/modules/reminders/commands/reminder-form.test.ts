import { describe, expect, it } from 'vitest';
import { readReminderForm, reminderFormValues } from './reminder-form.js';

// 10 June 2026, 09:00 BST: after that day's 8am.
const now = new Date('2026-06-10T08:00:00Z');
const read = (fields: Record<string, string>, channels: ('email' | 'sms')[] = ['email']) =>
  readReminderForm(reminderFormValues({ channel: 'email', ...fields }), channels, now);
const fields = (outcome: ReturnType<typeof read>) =>
  outcome.ok
    ? []
    : outcome.errors.map((e) => `${e.field}:${e.message.replace('reminders.new.error.', '')}`);

describe('readReminderForm', () => {
  it('reads a date reminder', () => {
    expect(
      read({
        kind: 'date',
        'date-day': '3',
        'date-month': '11',
        'date-year': '2026',
        daysBefore: '7',
      }),
    ).toEqual({
      ok: true,
      schedule: { kind: 'date', date: '2026-11-03', daysBefore: 7 },
      channel: 'email',
    });
  });

  it('reads a monthly reminder and a fortnightly one', () => {
    const monthly = read({
      kind: 'monthly',
      dayOfMonth: '1',
      'startMonth-month': '7',
      'startMonth-year': '2026',
      instalments: '10',
    });
    expect(monthly.ok && monthly.schedule).toEqual({
      kind: 'monthly',
      dayOfMonth: 1,
      startMonth: '2026-07',
      instalments: 10,
    });
    const weekly = read({
      kind: 'weekly',
      'firstDate-day': '16',
      'firstDate-month': '6',
      'firstDate-year': '2026',
      everyWeeks: '2',
    });
    expect(weekly.ok && weekly.schedule).toEqual({
      kind: 'weekly',
      firstDate: '2026-06-16',
      everyWeeks: 2,
    });
  });

  it('asks for the kind, and the channel when none of the offered ones is chosen', () => {
    expect(fields(read({ kind: '', channel: '' }))).toEqual(['kind:kind', 'channel:channel']);
  });

  it('refuses text messages to someone who has no confirmed mobile number', () => {
    const fortnightly = {
      kind: 'weekly',
      'firstDate-day': '16',
      'firstDate-month': '6',
      'firstDate-year': '2026',
      everyWeeks: '2',
      channel: 'sms',
    };
    expect(fields(read(fortnightly))).toEqual(['channel:channel']);
    expect(read(fortnightly, ['email', 'sms']).ok).toBe(true);
  });

  it('checks only the fields of the chosen kind', () => {
    expect(
      read({
        kind: 'weekly',
        'firstDate-day': '16',
        'firstDate-month': '6',
        'firstDate-year': '2026',
        everyWeeks: '1',
        'date-day': '31',
        'date-month': '2',
        dayOfMonth: 'lots',
      }).ok,
    ).toBe(true);
  });

  it('refuses impossible, incomplete, missing and past dates', () => {
    const date = (day: string, month: string, year: string) =>
      fields(
        read({
          kind: 'date',
          'date-day': day,
          'date-month': month,
          'date-year': year,
          daysBefore: '0',
        }),
      );
    expect(date('31', '2', '2027')).toEqual(['date-day:date.invalid']);
    expect(date('3', '', '2027')).toEqual(['date-day:date.incomplete']);
    expect(date('', '', '')).toEqual(['date-day:date.required']);
    expect(date('9', '6', '2026')).toEqual(['date-day:date.past']);
  });

  it('refuses a reminder that would already have gone, with the field to change', () => {
    // Today, on the day, but 8am has passed; a week before a date five days away.
    expect(
      fields(
        read({
          kind: 'date',
          'date-day': '10',
          'date-month': '6',
          'date-year': '2026',
          daysBefore: '0',
        }),
      ),
    ).toEqual(['daysBefore:date.tooLate']);
    expect(
      fields(
        read({
          kind: 'date',
          'date-day': '15',
          'date-month': '6',
          'date-year': '2026',
          daysBefore: '7',
        }),
      ),
    ).toEqual(['daysBefore:date.tooLate']);
    expect(
      fields(
        read({
          kind: 'monthly',
          dayOfMonth: '1',
          'startMonth-month': '6',
          'startMonth-year': '2026',
          instalments: '1',
        }),
      ),
    ).toEqual(['instalments:monthly.tooLate']);
  });

  it('checks the monthly fields: day 1 to 28, a real month not before this one, 1 to 24 payments', () => {
    expect(
      fields(
        read({
          kind: 'monthly',
          dayOfMonth: '29',
          'startMonth-month': '13',
          'startMonth-year': '2026',
          instalments: '25',
        }),
      ),
    ).toEqual([
      'dayOfMonth:dayOfMonth',
      'startMonth-month:startMonth.invalid',
      'instalments:instalments',
    ]);
    expect(
      fields(
        read({
          kind: 'monthly',
          dayOfMonth: '0',
          'startMonth-month': '5',
          'startMonth-year': '2026',
          instalments: '',
        }),
      ),
    ).toEqual([
      'dayOfMonth:dayOfMonth',
      'startMonth-month:startMonth.past',
      'instalments:instalments',
    ]);
    expect(
      fields(
        read({ kind: 'monthly', dayOfMonth: '5', 'startMonth-year': '2026', instalments: '2' }),
      ),
    ).toEqual(['startMonth-month:startMonth.incomplete']);
  });

  it('asks how often a collection is, and for the date of the next one', () => {
    expect(fields(read({ kind: 'weekly', everyWeeks: '3' }))).toEqual([
      'firstDate-day:firstDate.required',
      'everyWeeks:everyWeeks',
    ]);
  });
});
