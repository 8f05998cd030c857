import type { CurrentUser } from '../../../platform/http/types.js';
import type { UserRow } from '../../identity/index.js';
import type { ReminderChannel } from '../db/tables.js';

/**
 * Who may set up reminders: a signed-in person acting for themselves. Staff accounts and an
 * agent acting for a client may not (a reminder goes to the account's own e-mail or phone).
 */
export function maySubscribe(user: CurrentUser | null): user is CurrentUser {
  return !!user && user.kind === 'citizen' && !user.actingFor;
}

/** Only the person a reminder belongs to may see or stop it; anyone else gets 404. */
export function mayManageReminder(
  user: CurrentUser | null,
  reminder: { userId: string } | undefined,
): boolean {
  return !!user && !!reminder && reminder.userId === user.id && !user.actingFor;
}

/**
 * How a person may get reminders: always e-mail; text only to a mobile number they confirmed
 * and that has not failed for good since.
 */
export function channelsFor(
  account: Pick<UserRow, 'phone' | 'phone_verified_at' | 'phone_failed_at'> | undefined,
): ReminderChannel[] {
  return hasTextablePhone(account) ? ['email', 'sms'] : ['email'];
}

function hasTextablePhone(
  account: Pick<UserRow, 'phone' | 'phone_verified_at' | 'phone_failed_at'> | undefined,
): boolean {
  return !!account?.phone && !!account.phone_verified_at && !account.phone_failed_at;
}
