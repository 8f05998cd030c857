import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import { parseDateParts, ukToday } from '../../../platform/validation/validators.js';
import { REMINDER_CHANNELS, type ReminderChannel } from '../db/tables.js';
import {
  DAYS_BEFORE,
  MAX_INSTALMENTS,
  nextOccurrence,
  REMINDER_KINDS,
  type DaysBefore,
  type ReminderKind,
  type Schedule,
} from '../schedule.js';

/** What the "Get reminders" form asked for, once it is valid. */
export interface ReminderChoice {
  schedule: Schedule;
  channel: ReminderChannel;
}

/** The form's fields as typed, to fill the form again after an error. */
export type ReminderFormValues = Record<(typeof FORM_FIELDS)[number], string>;

export const FORM_FIELDS = [
  'kind',
  'date-day',
  'date-month',
  'date-year',
  'daysBefore',
  'dayOfMonth',
  'startMonth-month',
  'startMonth-year',
  'instalments',
  'firstDate-day',
  'firstDate-month',
  'firstDate-year',
  'everyWeeks',
  'channel',
] as const;

/** The typed values of every field of the form (missing ones are ''). */
export function reminderFormValues(body: unknown): ReminderFormValues {
  return Object.fromEntries(
    FORM_FIELDS.map((name) => [name, formText(body, name).slice(0, 20)]),
  ) as ReminderFormValues;
}

const P = 'reminders.new.error';

/** A GOV.UK date input's three boxes: an ISO date, or the error (its href is the first box). */
function readDate(
  values: ReminderFormValues,
  name: 'date' | 'firstDate',
  today: string,
  errors: FieldError[],
): string | undefined {
  const parsed = parseDateParts(
    values[`${name}-day`],
    values[`${name}-month`],
    values[`${name}-year`],
  );
  const field = `${name}-day`;
  if ('problem' in parsed) {
    errors.push({ field, message: `${P}.${name}.${parsed.problem}` });
    return undefined;
  }
  if (parsed.date < today) {
    errors.push({ field, message: `${P}.${name}.past` });
    return undefined;
  }
  return parsed.date;
}

/** The month and year boxes of the first payment: YYYY-MM, not before this month. */
function readMonth(values: ReminderFormValues, today: string, errors: FieldError[]) {
  const month = values['startMonth-month'];
  const year = values['startMonth-year'];
  const field = 'startMonth-month';
  if (!month && !year) {
    errors.push({ field, message: `${P}.startMonth.required` });
    return undefined;
  }
  if (!month || !year) {
    errors.push({ field, message: `${P}.startMonth.incomplete` });
    return undefined;
  }
  const parsed = parseDateParts('1', month, year);
  if ('problem' in parsed) {
    errors.push({ field, message: `${P}.startMonth.invalid` });
    return undefined;
  }
  if (parsed.date.slice(0, 7) < today.slice(0, 7)) {
    errors.push({ field, message: `${P}.startMonth.past` });
    return undefined;
  }
  return parsed.date.slice(0, 7);
}

function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/**
 * Reads and checks the "Get reminders" form. Only the fields of the chosen kind are checked
 * (without JavaScript every field shows, so the others may hold anything). Dates before today,
 * impossible dates, and a schedule whose reminders would all be in the past are refused.
 *
 * @example const outcome = readReminderForm(reminderFormValues(request.body), ['email'], new Date());
 */
export function readReminderForm(
  values: ReminderFormValues,
  channels: readonly ReminderChannel[],
  now: Date,
): Outcome<ReminderChoice> {
  const errors: FieldError[] = [];
  const today = ukToday(now);
  const kind = (REMINDER_KINDS as readonly string[]).includes(values.kind)
    ? (values.kind as ReminderKind)
    : undefined;
  let schedule: Schedule | undefined;
  if (!kind) errors.push({ field: 'kind', message: `${P}.kind` });
  if (kind === 'date') {
    const date = readDate(values, 'date', today, errors);
    const daysBefore = DAYS_BEFORE.find((days) => String(days) === values.daysBefore);
    if (daysBefore === undefined) errors.push({ field: 'daysBefore', message: `${P}.daysBefore` });
    if (date && daysBefore !== undefined)
      schedule = { kind, date, daysBefore: daysBefore as DaysBefore };
  }
  if (kind === 'monthly') {
    const dayOfMonth = wholeNumber(values.dayOfMonth, 1, 28);
    if (dayOfMonth === undefined) errors.push({ field: 'dayOfMonth', message: `${P}.dayOfMonth` });
    const startMonth = readMonth(values, today, errors);
    const instalments = wholeNumber(values.instalments, 1, MAX_INSTALMENTS);
    if (instalments === undefined)
      errors.push({ field: 'instalments', message: `${P}.instalments` });
    if (dayOfMonth !== undefined && startMonth && instalments !== undefined)
      schedule = { kind, dayOfMonth, startMonth, instalments };
  }
  if (kind === 'weekly') {
    const firstDate = readDate(values, 'firstDate', today, errors);
    const everyWeeks = values.everyWeeks === '1' ? 1 : values.everyWeeks === '2' ? 2 : undefined;
    if (everyWeeks === undefined) errors.push({ field: 'everyWeeks', message: `${P}.everyWeeks` });
    if (firstDate && everyWeeks) schedule = { kind, firstDate, everyWeeks };
  }
  const channel = REMINDER_CHANNELS.find((c) => c === values.channel && channels.includes(c));
  if (!channel) errors.push({ field: 'channel', message: `${P}.channel` });

  if (schedule && !nextOccurrence(schedule, now)) {
    // Every reminder would already have gone (today's 8am has passed, or too many days before);
    // a weekly collection always has a next one.
    errors.push(
      schedule.kind === 'date'
        ? { field: 'daysBefore', message: `${P}.date.tooLate` }
        : { field: 'instalments', message: `${P}.monthly.tooLate` },
    );
  }
  if (errors.length > 0 || !schedule || !channel) return { ok: false, errors };
  return { ok: true, schedule, channel };
}
