import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { findPublishedServiceById } from '../../catalogue/index.js';
import type { ReminderChannel } from '../db/tables.js';
import { describeSchedule, remindersTranslator } from '../describe.js';
import { activeRemindersOf } from './reminders.js';
/** One of a person's reminders, as a summary on their personal pages. */
export interface ReminderSummary {
  id: string;
  serviceSlug: string;
  serviceTitle: string;
  /** The schedule as a sentence in the reader's language: "Every other Tuesday". */
  description: string;
  channel: ReminderChannel;
  /** When the next reminder is sent; null once a series is over. */
  nextDue: Date | null;
}

/**
 * The reminders a person has on, oldest first, for their personal home page. Reminders about
 * a service that is no longer published are left out.
 *
 * @example const reminders = await remindersFor(db, request.user.id, request.locale);
 */
export async function remindersFor(
  db: Db,
  userId: string,
  locale: Locale,
): Promise<ReminderSummary[]> {
  const t = await remindersTranslator(locale);
  const summaries: ReminderSummary[] = [];
  for (const reminder of await activeRemindersOf(db, userId)) {
    const service = await findPublishedServiceById(db, reminder.serviceId, locale);
    if (!service) continue;
    summaries.push({
      id: reminder.id,
      serviceSlug: service.slug,
      serviceTitle: service.title,
      description: describeSchedule(reminder.schedule, t, locale),
      channel: reminder.channel,
      nextDue: reminder.nextDueAt,
    });
  }
  return summaries;
}
