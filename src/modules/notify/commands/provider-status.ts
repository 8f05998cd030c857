import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import type { NotificationStatus } from '../db/tables.js';
import { setStatus } from './deliver.js';

/** What a provider may report about a message it took: Notify's final statuses. */
export const PROVIDER_STATUSES = ['delivered', 'permanent-failure', 'temporary-failure'] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];

export type ProviderChannel = 'sms' | 'email';

export type ProviderStatusOutcome =
  | { ok: true; id: string; status: NotificationStatus; changed: boolean }
  | { ok: false; reason: 'not-found' };

/**
 * Records a provider's report on one of our notifications (`reference` is the notification id we
 * gave it): a delivery receipt for a text message, a bounce for an e-mail. The status is final,
 * so the body's delivery-status callback is queued (Notify reports temporary-failure too); a
 * permanent failure also reports the address so an account that uses it is marked. A repeated
 * report changes nothing. A bounce may follow `delivered` (the SMTP server accepted the e-mail,
 * then the mailbox refused it), so a later report replaces an earlier one.
 *
 * @example await recordProviderStatus(db, 'email', { reference: notificationId, status: 'permanent-failure' });
 */
export async function recordProviderStatus(
  db: Kysely<Database>,
  channel: ProviderChannel,
  report: { reference: string; status: ProviderStatus; reason?: string | null },
): Promise<ProviderStatusOutcome> {
  const notification = await db
    .selectFrom('notify_notifications')
    .selectAll()
    .where('id', '=', report.reference.toLowerCase())
    .where('type', '=', channel)
    .executeTakeFirst();
  if (!notification) return { ok: false, reason: 'not-found' };
  if (notification.status === report.status)
    return { ok: true, id: notification.id, status: notification.status, changed: false };
  await setStatus(db, notification, report.status, {
    failureReason:
      report.status === 'delivered'
        ? null
        : (report.reason ?? `The provider reported ${report.status}`),
    sent: true,
    completed: true,
    report: true,
  });
  return { ok: true, id: notification.id, status: report.status, changed: true };
}
