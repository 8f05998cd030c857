/** What the reminders module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { publishedServiceTitles } from '../../catalogue/index.js';
import { isoInstant } from '../../../platform/http/personal-data.js';

/** Every reminder the person asked for, stopped ones too, with its schedule and last sending. */
export async function remindersPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const reminders = await db
    .selectFrom('reminders')
    .select([
      'service_id',
      'kind',
      'channel',
      'event_date',
      'days_before',
      'day_of_month',
      'start_month',
      'instalments',
      'first_date',
      'every_weeks',
      'next_due_at',
      'last_sent_at',
      'created_at',
      'cancelled_at',
    ])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  const titles = await publishedServiceTitles(
    db,
    reminders.map((r) => r.service_id),
    'en',
  );
  return [
    {
      key: 'reminders',
      title: 'reminders.personalData.reminders',
      rows: reminders.map((r) => ({
        service: titles.get(r.service_id) ?? r.service_id,
        kind: r.kind,
        channel: r.channel,
        date: r.event_date ?? r.first_date ?? r.start_month,
        daysBefore: r.days_before,
        dayOfMonth: r.day_of_month,
        instalments: r.instalments,
        everyWeeks: r.every_weeks,
        nextDueAt: isoInstant(r.next_due_at),
        lastSentAt: isoInstant(r.last_sent_at),
        at: isoInstant(r.created_at),
        cancelledAt: isoInstant(r.cancelled_at),
      })),
    },
  ];
}
