import type { Config } from '../../../platform/config/config.js';
import type { Db } from '../../../platform/db/database.js';
import { formatDate } from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue, type OutboxHandler } from '../../../platform/outbox/outbox.js';
import { SMS_TOPIC } from '../../../platform/sms/sms.js';
import { findPublishedServiceById } from '../../catalogue/index.js';
import { findUserById } from '../../identity/index.js';
import { remindersTranslator } from '../describe.js';
import { channelsFor } from '../policies/reminders.js';
import { findReminder, type Reminder } from '../queries/reminders.js';
import { isUuid } from '../../../platform/validation/uuid.js';
import { addDays, londonInstant, nextDueEvent, type Occurrence } from '../schedule.js';
import { scheduleDue } from './reminders.js';

/** The link that stops a reminder in one click, carried by every message. */
export function unsubscribeUrl(config: Pick<Config, 'baseUrl'>, token: string): string {
  return `${config.baseUrl}/reminders/unsubscribe/${token}`;
}

/** What a due reminder became: sent, dropped (stopped, gone, already handled) or skipped (too late). */
export type DueOutcome = 'sent' | 'dropped' | 'skipped';

/**
 * Handles one `reminder.due` message, in one transaction: if the reminder still exists, is on
 * and this is the time it was scheduled for, queue the e-mail or text (unless its day is already
 * over, e.g. after the worker was down), record when, and schedule the next one. A repeat of the
 * message finds the reminder moved on and does nothing, and every message it queues has an
 * idempotency key of its own.
 */
export async function handleReminderDue(
  trx: Db,
  config: Pick<Config, 'baseUrl'>,
  payload: { reminderId: string; dueAt: string; token: string },
  now = new Date(),
): Promise<DueOutcome> {
  if (!isUuid(payload.reminderId)) return 'dropped';
  const locked = await trx
    .selectFrom('reminders')
    .select('id')
    .where('id', '=', payload.reminderId)
    .forUpdate()
    .executeTakeFirst();
  const reminder = locked ? await findReminder(trx, locked.id) : undefined;
  if (!reminder || reminder.cancelledAt) return 'dropped';
  if (reminder.nextDueAt?.toISOString() !== payload.dueAt) return 'dropped';
  const dueAt = new Date(payload.dueAt);
  const occurrence = nextDueEvent(reminder.schedule, new Date(dueAt.getTime() - 1));
  const dayOver =
    !occurrence || now.getTime() >= londonInstant(addDays(occurrence.eventDate, 1), 0).getTime();
  let outcome: DueOutcome = 'skipped';
  if (occurrence && !dayOver && (await queueMessage(trx, config, reminder, occurrence, payload))) {
    await trx
      .updateTable('reminders')
      .set({ last_sent_at: now })
      .where('id', '=', reminder.id)
      .execute();
    outcome = 'sent';
  }
  // The next one after this one, or after now when the worker was late: missed ones are not sent.
  const after = new Date(Math.max(dueAt.getTime(), now.getTime()));
  const next = nextDueEvent(reminder.schedule, after);
  await scheduleDue(trx, { id: reminder.id, token: payload.token }, next?.sendAt ?? null);
  return outcome;
}

/** Queues the e-mail or text; false when there is no one to send it to or nothing it is about. */
async function queueMessage(
  trx: Db,
  config: Pick<Config, 'baseUrl'>,
  reminder: Reminder,
  occurrence: Occurrence,
  payload: { dueAt: string; token: string },
): Promise<boolean> {
  const account = await findUserById(trx, reminder.userId);
  const service = await findPublishedServiceById(trx, reminder.serviceId, reminder.locale);
  if (!account || account.deleted_at || !service) return false;
  const t = await remindersTranslator(reminder.locale);
  const s = reminder.schedule;
  const values = {
    service: service.title,
    date: formatDate(occurrence.eventDate, reminder.locale, { weekday: true }),
    days: s.kind === 'date' ? s.daysBefore : 0,
  };
  const sentence =
    s.kind === 'date'
      ? t(
          `reminders.message.date.${s.daysBefore === 0 ? 'today' : s.daysBefore === 1 ? 'tomorrow' : 'ahead'}`,
          values,
        )
      : t(`reminders.message.${s.kind}`, values);
  const stop = unsubscribeUrl(config, payload.token);
  const serviceUrl = `${config.baseUrl}/services/${service.slug}`;
  const idempotencyKey = `reminder-message:${reminder.id}:${payload.dueAt}`;
  // Text only while the number is still confirmed; otherwise the reminder comes by e-mail.
  if (reminder.channel === 'sms' && channelsFor(account).includes('sms')) {
    await enqueue(trx, {
      topic: SMS_TOPIC,
      payload: { to: account.phone, text: t('reminders.message.sms', { sentence, stop }) },
      idempotencyKey,
    });
    return true;
  }
  await enqueue(trx, {
    topic: MAIL_TOPIC,
    payload: {
      to: account.email,
      subject: t('reminders.message.subject', { service: service.title }),
      text: t('reminders.message.email', { sentence, serviceUrl, stop }),
      // RFC 8058: mail programs offer "unsubscribe" and POST to the link without opening it.
      headers: {
        'List-Unsubscribe': `<${stop}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    },
    idempotencyKey,
  });
  return true;
}

/** The `reminder.due` outbox handler: {@link handleReminderDue} in its own transaction. */
export function reminderDueHandler(config: Pick<Config, 'baseUrl'>): OutboxHandler {
  return async (payload, context) => {
    const outcome = await context.db
      .transaction()
      .execute((trx) =>
        handleReminderDue(
          trx,
          config,
          payload as { reminderId: string; dueAt: string; token: string },
        ),
      );
    context.logger.info({ reminderId: payload.reminderId, outcome }, 'reminder due handled');
  };
}
