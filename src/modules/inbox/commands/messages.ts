import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { AppError, notFound, type FieldError } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import {
  findSubmissionForOrganisation,
  parseReference,
  viewAsStaff,
} from '../../submissions/index.js';
import { checkAttachments, type AttachmentError, type UploadedFile } from '../attachments.js';
import type { InboxMessageRow } from '../db/tables.js';
import { canReadAsRecipient, canReply, canSendForOrganisation } from '../policies/inbox.js';
import { checkMessageText, findRecipient, storeMessage } from './send.js';

/** A command's result whose errors may carry values for their messages (a file name …). */
export type InboxOutcome<T> = ({ ok: true } & T) | { ok: false; errors: AttachmentError[] };

export const MAX_REPLY = 5000;

/** What a caseworker typed on "Send a message". */
export interface StaffMessageInput {
  reference: string;
  subject: string;
  body: string;
  repliesAllowed: boolean;
  files: UploadedFile[];
}

/**
 * A caseworker sends a message to the applicant of one of their organisation's applications.
 * The application is opened through the submissions module's `viewAsStaff`, which checks the
 * policy and writes the view to the audit log; another body's reference reads as "not found".
 */
export async function sendAsStaff(
  trx: Db,
  user: CurrentUser,
  input: StaffMessageInput,
  actor: Actor,
  baseUrl: string,
): Promise<InboxOutcome<{ message: InboxMessageRow }>> {
  if (!canSendForOrganisation(user))
    throw notFound({ reason: 'not a caseworker', userId: user.id });
  const errors: AttachmentError[] = [];
  const reference = parseReference(input.reference);
  if (!input.reference)
    errors.push({ field: 'reference', message: 'inbox.send.reference.required' });
  else if (!reference) errors.push({ field: 'reference', message: 'inbox.send.reference.invalid' });
  errors.push(...checkMessageText(input));
  const files = checkAttachments(input.files);
  if (!files.ok) errors.push(...files.errors);
  if (errors.length || !files.ok || !reference) return { ok: false, errors };

  let submission;
  try {
    ({ submission } = await viewAsStaff(trx, user, reference, actor));
  } catch (error) {
    if (error instanceof AppError && error.status === 404)
      return {
        ok: false,
        errors: [{ field: 'reference', message: 'inbox.send.reference.notFound' }],
      };
    throw error;
  }
  // A submission a channel sent for someone without an account has no one to write to.
  const recipient = submission.applicant_user_id
    ? await findRecipient(trx, { userId: submission.applicant_user_id })
    : undefined;
  if (!recipient)
    return {
      ok: false,
      errors: [{ field: 'reference', message: 'inbox.send.reference.noAccount' }],
    };
  const message = await storeMessage(
    trx,
    {
      organisationId: user.organisationId,
      recipientUserId: recipient.id,
      recipientEmail: recipient.email,
      subject: input.subject,
      body: input.body,
      repliesAllowed: input.repliesAllowed,
      attachments: files.attachments,
      submission: { id: submission.id, reference: submission.reference },
      sentByUserId: user.id,
    },
    actor,
    baseUrl,
  );
  return { ok: true, message };
}

/** What a body's system sends to `POST /api/v1/inbox/messages`. */
export interface ApiMessageInput {
  emailAddress?: string | undefined;
  submissionReference?: string | undefined;
  subject: string;
  body: string;
  repliesAllowed: boolean;
  files: UploadedFile[];
}

/**
 * A body's own system sends a message with a Notify API key of that body: to the applicant of
 * one of its applications (by reference), or to the account with an e-mail address.
 */
export async function sendByApi(
  trx: Db,
  caller: { organisationId: string; keyId: string },
  input: ApiMessageInput,
  baseUrl: string,
): Promise<InboxOutcome<{ message: InboxMessageRow }>> {
  const errors: AttachmentError[] = [];
  if (!input.emailAddress === !input.submissionReference)
    errors.push({ field: 'email_address', message: 'inbox.api.recipient.one' });
  errors.push(...checkMessageText(input));
  const files = checkAttachments(input.files);
  if (!files.ok) errors.push(...files.errors);
  if (errors.length || !files.ok) return { ok: false, errors };

  let submission: { id: string; reference: string; applicant_user_id: string } | undefined;
  if (input.submissionReference) {
    const reference = parseReference(input.submissionReference);
    submission = reference
      ? await findSubmissionForOrganisation(trx, reference, caller.organisationId)
      : undefined;
    if (!submission)
      return {
        ok: false,
        errors: [{ field: 'submission_reference', message: 'inbox.api.reference.notFound' }],
      };
  }
  const recipient = await findRecipient(
    trx,
    submission ? { userId: submission.applicant_user_id } : { email: input.emailAddress! },
  );
  if (!recipient) {
    const field = submission ? 'submission_reference' : 'email_address';
    return { ok: false, errors: [{ field, message: 'inbox.api.recipient.noAccount' }] };
  }
  const message = await storeMessage(
    trx,
    {
      organisationId: caller.organisationId,
      recipientUserId: recipient.id,
      recipientEmail: recipient.email,
      subject: input.subject,
      body: input.body,
      repliesAllowed: input.repliesAllowed,
      attachments: files.attachments,
      submission: submission ? { id: submission.id, reference: submission.reference } : null,
      sentByApiKeyId: caller.keyId,
    },
    { userId: null, organisationId: caller.organisationId, role: 'api' },
    baseUrl,
  );
  return { ok: true, message };
}

async function messageFor(db: Db, user: CurrentUser, messageId: string) {
  const message = await db
    .selectFrom('inbox_messages')
    .selectAll()
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!message || !canReadAsRecipient(user, message))
    throw notFound({ messageId, userId: user.id, reason: 'not this person’s message' });
  return message;
}

/** Marks a message read the first time its recipient opens it. */
export async function markRead(db: Db, user: CurrentUser, messageId: string, actor: Actor) {
  const message = await messageFor(db, user, messageId);
  if (message.read_at) return;
  const updated = await db
    .updateTable('inbox_messages')
    .set({ read_at: new Date() })
    .where('id', '=', message.id)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  await recordAudit(db, actor, {
    action: 'inbox.message.read',
    resourceType: 'inbox_message',
    resourceId: message.id,
    subjectUserId: user.id,
  });
}

/** The person replies to a message whose body allows replies. */
export async function reply(
  db: Db,
  user: CurrentUser,
  messageId: string,
  body: string,
  actor: Actor,
): Promise<InboxOutcome<object>> {
  const message = await messageFor(db, user, messageId);
  if (!canReply(user, message))
    throw new AppError('reply_not_allowed', 403, 'inbox.reply.notAllowed', { messageId });
  const errors: FieldError[] = [];
  if (!body) errors.push({ field: 'reply', message: 'inbox.reply.required' });
  else if (body.length > MAX_REPLY) errors.push({ field: 'reply', message: 'inbox.reply.tooLong' });
  if (errors.length) return { ok: false, errors };
  const created = await db
    .insertInto('inbox_replies')
    .values({ message_id: message.id, author_user_id: user.id, body })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: 'inbox.reply.sent',
    resourceType: 'inbox_message',
    resourceId: message.id,
    subjectUserId: user.id,
    details: { reply_id: created.id, organisation_id: message.organisation_id },
  });
  return { ok: true };
}

/** The person deletes a message: it goes from their inbox; the body that sent it keeps its copy. */
export async function deleteForRecipient(
  db: Db,
  user: CurrentUser,
  messageId: string,
  actor: Actor,
): Promise<void> {
  const message = await messageFor(db, user, messageId);
  await db
    .updateTable('inbox_messages')
    .set({ recipient_deleted_at: new Date() })
    .where('id', '=', message.id)
    .execute();
  await recordAudit(db, actor, {
    action: 'inbox.message.deleted',
    resourceType: 'inbox_message',
    resourceId: message.id,
    subjectUserId: user.id,
  });
}

/**
 * A deleted account's messages go: their text, attachments and the person's replies (the
 * audit log keeps that they were sent, never what they said).
 */
export async function eraseForAccount(trx: Db, userId: string): Promise<void> {
  await trx.deleteFrom('inbox_replies').where('author_user_id', '=', userId).execute();
  await trx.deleteFrom('inbox_messages').where('recipient_user_id', '=', userId).execute();
}
