import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type { ReminderChannel } from '../db/tables.js';
import { findReminderByTokenHash } from '../queries/reminders.js';
import { nextOccurrence, type Schedule } from '../schedule.js';

/** The outbox topic of a reminder coming due; payload { reminderId, dueAt, token }. */
export const REMINDER_DUE_TOPIC = 'reminder.due';

/** SHA-256 (hex) of an unsubscribe token: the table keeps only this. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Puts the reminder due at `dueAt` in the outbox, to be handled then (not before): one message
 * per reminder and instant, so a retry that schedules it again changes nothing. The raw
 * unsubscribe token travels in the payload because every message must carry the link; the
 * reminders table keeps only its hash.
 */
export async function scheduleDue(
  trx: Db,
  reminder: { id: string; token: string },
  dueAt: Date | null,
): Promise<void> {
  await trx
    .updateTable('reminders')
    .set({ next_due_at: dueAt })
    .where('id', '=', reminder.id)
    .execute();
  if (!dueAt) return;
  await enqueue(trx, {
    topic: REMINDER_DUE_TOPIC,
    payload: { reminderId: reminder.id, dueAt: dueAt.toISOString(), token: reminder.token },
    idempotencyKey: `reminder:${reminder.id}:${dueAt.toISOString()}`,
    availableAt: dueAt,
  });
}

/** What a new reminder is: whose, about which service, when, how and in which language. */
export interface NewReminder {
  userId: string;
  serviceId: string;
  schedule: Schedule;
  channel: ReminderChannel;
  locale: 'en' | 'cy';
}

/**
 * Sets up a reminder and schedules its first message through the outbox, in the caller's
 * transaction, with an audit entry. The caller has checked the form (readReminderForm) and the
 * policy (maySubscribe, channelsFor). Returns null when the schedule has no reminder left.
 *
 * @example const made = await db.transaction().execute((trx) => subscribe(trx, actor, choice));
 */
export async function subscribe(
  trx: Db,
  actor: Actor,
  input: NewReminder,
  now = new Date(),
): Promise<{ id: string; nextDueAt: Date } | null> {
  const dueAt = nextOccurrence(input.schedule, now);
  if (!dueAt) return null;
  const token = randomBytes(32).toString('base64url');
  const s = input.schedule;
  const { id } = await trx
    .insertInto('reminders')
    .values({
      user_id: input.userId,
      service_id: input.serviceId,
      kind: s.kind,
      channel: input.channel,
      locale: input.locale,
      event_date: s.kind === 'date' ? s.date : null,
      days_before: s.kind === 'date' ? s.daysBefore : null,
      day_of_month: s.kind === 'monthly' ? s.dayOfMonth : null,
      start_month: s.kind === 'monthly' ? `${s.startMonth}-01` : null,
      instalments: s.kind === 'monthly' ? s.instalments : null,
      first_date: s.kind === 'weekly' ? s.firstDate : null,
      every_weeks: s.kind === 'weekly' ? s.everyWeeks : null,
      unsubscribe_token_hash: hashToken(token),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await scheduleDue(trx, { id, token }, dueAt);
  await recordAudit(trx, actor, {
    action: 'reminder.created',
    resourceType: 'reminder',
    resourceId: id,
    subjectUserId: input.userId,
    details: { serviceId: input.serviceId, kind: s.kind, channel: input.channel },
  });
  return { id, nextDueAt: dueAt };
}

/**
 * Stops a reminder the person owns (the caller checked mayManageReminder), with an audit entry.
 * Its message waiting in the outbox stays there and is dropped when it comes due. Returns false
 * when it was already stopped.
 */
export async function cancelReminder(
  trx: Db,
  actor: Actor,
  reminder: { id: string; userId: string },
): Promise<boolean> {
  const result = await trx
    .updateTable('reminders')
    .set({ cancelled_at: new Date(), cancelled_via: 'account', next_due_at: null })
    .where('id', '=', reminder.id)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await recordAudit(trx, actor, {
    action: 'reminder.cancelled',
    resourceType: 'reminder',
    resourceId: reminder.id,
    subjectUserId: reminder.userId,
  });
  return true;
}

/**
 * One-click unsubscribe: the token from a message is the authority (no session). `stopped`
 * when it stopped the reminder now, `already` when it had been stopped, `unknown` for a token
 * that matches no reminder (never issued, or its account deleted).
 */
export async function unsubscribe(
  trx: Db,
  token: string,
  requestId?: string,
): Promise<{ result: 'stopped' | 'already' | 'unknown'; serviceId?: string }> {
  if (!isTokenShaped(token)) return { result: 'unknown' };
  const reminder = await findReminderByTokenHash(trx, hashToken(token));
  if (!reminder) return { result: 'unknown' };
  if (reminder.cancelledAt) return { result: 'already', serviceId: reminder.serviceId };
  const result = await trx
    .updateTable('reminders')
    .set({ cancelled_at: new Date(), cancelled_via: 'unsubscribe', next_due_at: null })
    .where('id', '=', reminder.id)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0)
    return { result: 'already', serviceId: reminder.serviceId };
  await recordAudit(
    trx,
    { userId: null, organisationId: null, role: 'unsubscribe-link', requestId },
    {
      action: 'reminder.unsubscribed',
      resourceType: 'reminder',
      resourceId: reminder.id,
      subjectUserId: reminder.userId,
    },
  );
  return { result: 'stopped', serviceId: reminder.serviceId };
}

/** True for a string that could be one of our tokens (32 random bytes, base64url). */
export function isTokenShaped(token: string): boolean {
  return /^[\w-]{43}$/.test(token);
}

/** A deleted account's reminders go, in the account event's transaction. */
export async function eraseForAccount(trx: Db, userId: string): Promise<void> {
  await trx.deleteFrom('reminders').where('user_id', '=', userId).execute();
}
