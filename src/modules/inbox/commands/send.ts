import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { loadMessages, translator, type Messages } from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { findCitizenByEmail, findUserById } from '../../identity/index.js';
import type { CheckedAttachment } from '../attachments.js';
import type { InboxMessageRow } from '../db/tables.js';

export const MAX_SUBJECT = 200;
export const MAX_BODY = 20_000;

/** A message ready to store: its recipient already found and allowed, its files already checked. */
export interface NewMessage {
  organisationId: string;
  recipientUserId: string;
  recipientEmail: string;
  subject: string;
  body: string;
  repliesAllowed: boolean;
  attachments: CheckedAttachment[];
  submission?: { id: string; reference: string } | null;
  sentByUserId?: string | null;
  sentByApiKeyId?: string | null;
}

/** Problems with a message's subject and text, as i18n keys on the fields `subject` and `body`. */
export function checkMessageText(input: { subject: string; body: string }): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.subject) errors.push({ field: 'subject', message: 'inbox.send.subject.required' });
  else if (input.subject.length > MAX_SUBJECT)
    errors.push({ field: 'subject', message: 'inbox.send.subject.tooLong' });
  if (!input.body) errors.push({ field: 'body', message: 'inbox.send.body.required' });
  else if (input.body.length > MAX_BODY)
    errors.push({ field: 'body', message: 'inbox.send.body.tooLong' });
  return errors;
}

let messages: Promise<Messages> | undefined;

/**
 * The e-mail that tells a person a message is waiting. It says only that, in English and
 * Welsh, with a link to sign in: no name, no subject, no sender, nothing a person reading
 * over their shoulder or an e-mail provider could learn from.
 */
export async function newMessageMail(baseUrl: string): Promise<{ subject: string; text: string }> {
  const all = await (messages ??= loadMessages());
  const [en, cy] = [translator(all, 'en'), translator(all, 'cy')];
  const link = `${baseUrl}/inbox`;
  return {
    subject: `${en('inbox.mail.subject')} / ${cy('inbox.mail.subject')}`,
    text: [en('inbox.mail.text', { link }), cy('inbox.mail.text', { link })].join('\n\n———\n\n'),
  };
}

/**
 * Stores a message and its attachments, queues the "you have a new message" e-mail and writes
 * the audit entry, all in the caller's transaction. The caller checks who may send to whom.
 */
export async function storeMessage(
  trx: Db,
  input: NewMessage,
  actor: Actor,
  baseUrl: string,
): Promise<InboxMessageRow> {
  const message = await trx
    .insertInto('inbox_messages')
    .values({
      organisation_id: input.organisationId,
      recipient_user_id: input.recipientUserId,
      sent_by_user_id: input.sentByUserId ?? null,
      sent_by_api_key_id: input.sentByApiKeyId ?? null,
      submission_id: input.submission?.id ?? null,
      submission_reference: input.submission?.reference ?? null,
      subject: input.subject,
      body: input.body,
      replies_allowed: input.repliesAllowed,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const [position, file] of input.attachments.entries()) {
    await trx
      .insertInto('inbox_attachments')
      .values({
        message_id: message.id,
        filename: file.filename,
        content_type: file.contentType,
        size_bytes: file.sizeBytes,
        sha256: file.sha256,
        content: file.content,
        position,
      })
      .execute();
  }
  const mail = await newMessageMail(baseUrl);
  await enqueue(trx, {
    topic: MAIL_TOPIC,
    payload: { to: input.recipientEmail, subject: mail.subject, text: mail.text },
    idempotencyKey: `inbox.new-message:${message.id}`,
  });
  await recordAudit(trx, actor, {
    action: 'inbox.message.sent',
    resourceType: 'inbox_message',
    resourceId: message.id,
    subjectUserId: input.recipientUserId,
    details: {
      submission_reference: input.submission?.reference ?? null,
      attachments: input.attachments.map((a) => ({ sha256: a.sha256, size: a.sizeBytes })),
      replies_allowed: input.repliesAllowed,
      ...(input.sentByApiKeyId ? { api_key_id: input.sentByApiKeyId } : {}),
    },
  });
  return message;
}

/** A person who can receive messages: a citizen account that has not been deleted. */
export async function findRecipient(
  db: Db,
  by: { userId: string } | { email: string },
): Promise<{ id: string; email: string } | undefined> {
  const user =
    'userId' in by
      ? await findUserById(db, by.userId)
      : await findCitizenByEmail(db, by.email.trim());
  if (!user || ('kind' in user && user.kind !== 'citizen') || user.deleted_at) return undefined;
  return { id: user.id, email: user.email };
}
