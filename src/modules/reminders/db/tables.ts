import type { ColumnType, Generated, Selectable } from 'kysely';
import type { DaysBefore, ReminderKind } from '../schedule.js';

/** How a reminder reaches the person: e-mail, or a text to their confirmed mobile number. */
export const REMINDER_CHANNELS = ['email', 'sms'] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];

/** Who stopped a reminder: the person on the Reminders page, or the link in a message. */
export type CancelledVia = 'account' | 'unsubscribe';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
/**
 * A `date` column. Selected through `reminderColumns` (queries/reminders.ts), which casts it to
 * text, because the drivers would otherwise turn a calendar date into a local-midnight instant.
 */
type CalendarDate = ColumnType<string | null, string | null | undefined, never>;

/** One person's reminder about one service (migration 0021). */
export interface ReminderTable {
  id: Generated<string>;
  user_id: string;
  service_id: string;
  kind: ColumnType<ReminderKind, ReminderKind, never>;
  channel: ColumnType<ReminderChannel, ReminderChannel, never>;
  /** The language the messages are written in: the one the person used to set it up. */
  locale: ColumnType<'en' | 'cy', 'en' | 'cy', never>;
  /** `date`: the day itself, and how many days before it to remind. */
  event_date: CalendarDate;
  days_before: ColumnType<DaysBefore | null, DaysBefore | null | undefined, never>;
  /** `monthly`: the day of each month (1–28), the first month (its 1st) and how many months. */
  day_of_month: ColumnType<number | null, number | null | undefined, never>;
  start_month: CalendarDate;
  instalments: ColumnType<number | null, number | null | undefined, never>;
  /** `weekly`: the first collection day and whether collections are every week or every other. */
  first_date: CalendarDate;
  every_weeks: ColumnType<1 | 2 | null, 1 | 2 | null | undefined, never>;
  /** SHA-256 (hex) of the one-click unsubscribe token carried by every message. */
  unsubscribe_token_hash: string;
  /** The reminder scheduled in the outbox; null once a series is over. */
  next_due_at: Nullable<Date>;
  last_sent_at: Nullable<Date>;
  created_at: Generated<Date>;
  cancelled_at: Nullable<Date>;
  cancelled_via: Nullable<CancelledVia>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    reminders: ReminderTable;
  }
}

export type ReminderRow = Selectable<ReminderTable>;
