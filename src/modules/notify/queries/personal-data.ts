/** What the notify module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { findUserById } from '../../identity/index.js';

/** A message that speaks of a code ("code", Welsh "cod"): its numbers may be one-time codes. */
const MENTIONS_CODE = /\bcod(e)?\b/i;

/**
 * A message's text as the person may read it back: any run of 4 to 10 digits in a message that
 * mentions a code is hidden, so a one-time code a body sent through the Notify API is not shown
 * again. (Joinedup's own messages, which carry sign-in and activation codes, are never kept.)
 *
 * @example withoutCodes('Your code is 481516') // 'Your code is ••••'
 */
export function withoutCodes(text: string): string {
  return MENTIONS_CODE.test(text) ? text.replace(/\b\d{4,10}\b/g, '••••') : text;
}

/**
 * E-mails, texts and letters sent to the person's account e-mail address or confirmed mobile
 * number through Joinedup: by whom, when, the subject and message (without one-time codes) and
 * what became of it.
 */
export async function notifyPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const user = await findUserById(db, userId);
  if (!user) return [];
  const recipients = [user.email.toLowerCase(), ...(user.phone ? [user.phone] : [])];
  const sent = await db
    .selectFrom('notify_notifications')
    .innerJoin('notify_services', 'notify_services.id', 'notify_notifications.service_id')
    .select([
      'notify_services.name as service',
      'notify_notifications.type',
      'notify_notifications.recipient',
      'notify_notifications.api_key_id',
      'notify_notifications.subject',
      'notify_notifications.body',
      'notify_notifications.status',
      'notify_notifications.created_at',
      'notify_notifications.completed_at',
    ])
    .where((eb) => eb(eb.fn('lower', ['notify_notifications.recipient']), 'in', recipients))
    .orderBy('notify_notifications.created_at')
    .execute();
  return [
    {
      key: 'sent-to-you',
      title: 'notify.personalData.sent',
      rows: sent.map((n) => ({
        from: n.service,
        type: n.type,
        to: n.recipient,
        subject: n.subject ? withoutCodes(n.subject) : null,
        message: n.api_key_id && n.body ? withoutCodes(n.body) : null,
        status: n.status,
        at: n.created_at.toISOString(),
        completedAt: n.completed_at?.toISOString() ?? null,
      })),
    },
  ];
}
