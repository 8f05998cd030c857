import type { CurrentUser } from '../../../platform/http/types.js';
import { hasRole, isStaffOf } from '../../identity/index.js';
import type { InboxMessageRow } from '../db/tables.js';

type MessageFacts = Pick<
  InboxMessageRow,
  'organisation_id' | 'recipient_user_id' | 'recipient_deleted_at' | 'replies_allowed'
>;

/** The person a message was sent to may read it until they delete it. */
export function canReadAsRecipient(user: CurrentUser | null, message: MessageFacts): boolean {
  return (
    !!user &&
    user.kind === 'citizen' &&
    user.id === message.recipient_user_id &&
    !message.recipient_deleted_at
  );
}

/** The person may reply only where the sending body allowed replies to this message. */
export function canReply(user: CurrentUser | null, message: MessageFacts): boolean {
  return canReadAsRecipient(user, message) && message.replies_allowed;
}

/** Caseworkers of the sending organisation see its messages and the replies (each read audited). */
export function canReadAsStaff(user: CurrentUser | null, message: MessageFacts): boolean {
  return isStaffOf(user, message.organisation_id, 'caseworker');
}

/** Caseworkers send messages for their own organisation. */
export function canSendForOrganisation(user: CurrentUser | null): user is CurrentUser & {
  organisationId: string;
} {
  return !!user && !!user.organisationId && hasRole(user, 'caseworker');
}
