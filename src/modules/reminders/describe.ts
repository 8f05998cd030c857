import {
  formatDate,
  loadMessages,
  translator,
  type Locale,
  type Messages,
  type Translate,
} from '../../platform/i18n/i18n.js';
import { weekdayOf, type Schedule } from './schedule.js';

let messages: Promise<Messages> | undefined;

/**
 * A translator outside a request (the outbox handler, other modules' pages calling
 * `remindersFor`); the messages are read once.
 */
export async function remindersTranslator(locale: Locale): Promise<Translate> {
  messages ??= loadMessages();
  return translator(await messages, locale);
}

/** "March 2026" / "Mawrth 2026" for a YYYY-MM month. */
export function formatMonth(month: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'cy' ? 'cy-GB' : 'en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${month}-01T12:00:00Z`));
}

/**
 * The human sentence for a schedule: "Every other Tuesday", "7 days before 10 March 2026",
 * "On the 1st of each month, 10 payments from April 2026" – in the reader's language.
 *
 * @example describeSchedule({ kind: 'weekly', firstDate: '2026-03-03', everyWeeks: 2 }, t, 'en') // "Every other Tuesday"
 */
export function describeSchedule(schedule: Schedule, t: Translate, locale: Locale): string {
  switch (schedule.kind) {
    case 'date': {
      const date = formatDate(schedule.date, locale);
      if (schedule.daysBefore === 0) return t('reminders.describe.date.onTheDay', { date });
      if (schedule.daysBefore === 1) return t('reminders.describe.date.dayBefore', { date });
      return t('reminders.describe.date.daysBefore', { date, days: schedule.daysBefore });
    }
    case 'monthly':
      return t(
        schedule.instalments === 1
          ? 'reminders.describe.monthly.one'
          : 'reminders.describe.monthly.many',
        {
          day: schedule.dayOfMonth,
          count: schedule.instalments,
          month: formatMonth(schedule.startMonth, locale),
        },
      );
    case 'weekly':
      return t(
        `reminders.describe.weekly.${schedule.everyWeeks === 1 ? 'every' : 'everyOther'}.${weekdayOf(schedule.firstDate)}`,
      );
  }
}
