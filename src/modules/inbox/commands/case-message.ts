import type { Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { InboxMessageRow } from '../db/tables.js';
import { findRecipient, storeMessage } from './send.js';

/** A message about an application that another module (casework) sends to its applicant. */
export interface CaseMessage {
  organisationId: string;
  recipientUserId: string;
  submission: { id: string; reference: string } | null;
  subject: string;
  body: string;
  /** The member of staff whose action it reports, if any. */
  sentByUserId?: string | null;
}

/**
 * Puts a message in the applicant's account inbox (and queues the "you have a new message"
 * e-mail), in the caller's transaction. The caller (casework) has checked the message is the
 * applicant's to receive. Returns undefined when the account cannot receive messages (deleted,
 * or not a citizen's), so the caller can tell them another way.
 */
export async function sendCaseMessage(
  trx: Db,
  message: CaseMessage,
  actor: Actor,
  baseUrl: string,
): Promise<InboxMessageRow | undefined> {
  const recipient = await findRecipient(trx, { userId: message.recipientUserId });
  if (!recipient) return undefined;
  return storeMessage(
    trx,
    {
      organisationId: message.organisationId,
      recipientUserId: recipient.id,
      recipientEmail: recipient.email,
      subject: message.subject,
      body: message.body,
      repliesAllowed: true,
      attachments: [],
      submission: message.submission,
      sentByUserId: message.sentByUserId ?? null,
    },
    actor,
    baseUrl,
  );
}
