import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { CancelledVia, ReminderChannel, ReminderRow } from '../db/tables.js';
import type { Schedule } from '../schedule.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** A reminder as the module works with it: who, about which service, its schedule and state. */
export interface Reminder {
  id: string;
  userId: string;
  serviceId: string;
  schedule: Schedule;
  channel: ReminderChannel;
  locale: 'en' | 'cy';
  nextDueAt: Date | null;
  lastSentAt: Date | null;
  createdAt: Date;
  cancelledAt: Date | null;
  cancelledVia: CancelledVia | null;
}

/** Every column, with the calendar dates cast to text (YYYY-MM-DD) so no driver shifts them. */
function selectReminders(db: Db) {
  return db
    .selectFrom('reminders')
    .select([
      'id',
      'user_id',
      'service_id',
      'kind',
      'channel',
      'locale',
      sql<string | null>`event_date::text`.as('event_date'),
      'days_before',
      'day_of_month',
      sql<string | null>`start_month::text`.as('start_month'),
      'instalments',
      sql<string | null>`first_date::text`.as('first_date'),
      'every_weeks',
      'unsubscribe_token_hash',
      'next_due_at',
      'last_sent_at',
      'created_at',
      'cancelled_at',
      'cancelled_via',
    ]);
}

/** The schedule a row describes (the table's checks guarantee the kind's columns are set). */
export function scheduleOf(
  row: Pick<
    ReminderRow,
    | 'kind'
    | 'event_date'
    | 'days_before'
    | 'day_of_month'
    | 'start_month'
    | 'instalments'
    | 'first_date'
    | 'every_weeks'
  >,
): Schedule {
  switch (row.kind) {
    case 'date':
      return { kind: 'date', date: row.event_date!, daysBefore: row.days_before! };
    case 'monthly':
      return {
        kind: 'monthly',
        dayOfMonth: row.day_of_month!,
        startMonth: row.start_month!.slice(0, 7),
        instalments: row.instalments!,
      };
    case 'weekly':
      return { kind: 'weekly', firstDate: row.first_date!, everyWeeks: row.every_weeks! };
  }
}

function toReminder(row: ReminderRow): Reminder {
  return {
    id: row.id,
    userId: row.user_id,
    serviceId: row.service_id,
    schedule: scheduleOf(row),
    channel: row.channel,
    locale: row.locale,
    nextDueAt: row.next_due_at,
    lastSentAt: row.last_sent_at,
    createdAt: row.created_at,
    cancelledAt: row.cancelled_at,
    cancelledVia: row.cancelled_via,
  };
}

/** A person's reminders that are still on, oldest first. */
export async function activeRemindersOf(db: Db, userId: string): Promise<Reminder[]> {
  const rows = await selectReminders(db)
    .where('user_id', '=', userId)
    .where('cancelled_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toReminder);
}

/** One reminder by id, whoever it belongs to (policies decide who may see it), or undefined. */
export async function findReminder(db: Db, id: string): Promise<Reminder | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await selectReminders(db).where('id', '=', id).executeTakeFirst();
  return row ? toReminder(row) : undefined;
}

/** The reminder an unsubscribe token (by its hash) belongs to, or undefined. */
export async function findReminderByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<Reminder | undefined> {
  const row = await selectReminders(db)
    .where('unsubscribe_token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row ? toReminder(row) : undefined;
}
