import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import type { AttachmentSummary, InboxMessageRow, InboxReplyRow } from '../db/tables.js';
import { canReadAsRecipient, canReadAsStaff } from '../policies/inbox.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** A message in a list, with who sent it and how many files it carries. */
export interface MessageListItem {
  id: string;
  subject: string;
  sentAt: Date;
  read: boolean;
  organisationName: string;
  attachmentCount: number;
  replyCount: number;
  submissionReference: string | null;
  recipientDeleted: boolean;
}

/** A message opened: the message, its sender's name, its attachments and the replies. */
export interface OpenedMessage {
  message: InboxMessageRow;
  organisationName: string;
  attachments: AttachmentSummary[];
  replies: InboxReplyRow[];
}

function organisationName(row: { name: string; name_cy: string | null }, locale: Locale) {
  return locale === 'cy' && row.name_cy ? row.name_cy : row.name;
}

function listQuery(db: Db) {
  return db
    .selectFrom('inbox_messages as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select((eb) => [
      'm.id',
      'm.subject',
      'm.sent_at',
      'm.read_at',
      'm.submission_reference',
      'm.recipient_deleted_at',
      'o.name',
      'o.name_cy',
      eb
        .selectFrom('inbox_attachments as a')
        .whereRef('a.message_id', '=', 'm.id')
        .select((sub) => sub.fn.countAll<string>().as('n'))
        .as('attachment_count'),
      eb
        .selectFrom('inbox_replies as r')
        .whereRef('r.message_id', '=', 'm.id')
        .select((sub) => sub.fn.countAll<string>().as('n'))
        .as('reply_count'),
    ])
    .orderBy('m.sent_at', 'desc')
    .limit(200);
}

type ListRow = Awaited<ReturnType<ReturnType<typeof listQuery>['execute']>>[number];

function toItem(row: ListRow, locale: Locale): MessageListItem {
  return {
    id: row.id,
    subject: row.subject,
    sentAt: row.sent_at,
    read: !!row.read_at,
    organisationName: organisationName(row, locale),
    attachmentCount: Number(row.attachment_count ?? 0),
    replyCount: Number(row.reply_count ?? 0),
    submissionReference: row.submission_reference,
    recipientDeleted: !!row.recipient_deleted_at,
  };
}

/** The person's inbox, newest first, without the messages they deleted. */
export async function listForRecipient(
  db: Db,
  user: CurrentUser,
  locale: Locale,
): Promise<MessageListItem[]> {
  const rows = await listQuery(db)
    .where('m.recipient_user_id', '=', user.id)
    .where('m.recipient_deleted_at', 'is', null)
    .execute();
  return rows.map((row) => toItem(row, locale));
}

/**
 * The person's newest messages (without those they deleted), for a summary such as the personal
 * home page. Like `unreadCount`, it takes the account id: the caller has checked it is the
 * signed-in person's own.
 *
 * @example const latest = await recentMessages(db, user.id, 'cy', 3);
 */
export async function recentMessages(
  db: Db,
  userId: string,
  locale: Locale,
  limit = 3,
): Promise<MessageListItem[]> {
  const rows = await listQuery(db)
    .where('m.recipient_user_id', '=', userId)
    .where('m.recipient_deleted_at', 'is', null)
    .limit(Math.max(1, Math.min(Math.trunc(limit), 20)))
    .execute();
  return rows.map((row) => toItem(row, locale));
}

/** How many of the person's messages they have not opened yet. */
export async function unreadCount(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('inbox_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('recipient_user_id', '=', userId)
    .where('recipient_deleted_at', 'is', null)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The messages an organisation sent, newest first, for its caseworkers. Only what the body
 * wrote itself is listed (subject, reference, read or not, how many replies); the replies'
 * text and the person's name are shown on the message page, where each read is audited.
 */
export async function listForOrganisation(
  db: Db,
  organisationId: string,
  locale: Locale,
): Promise<MessageListItem[]> {
  const rows = await listQuery(db).where('m.organisation_id', '=', organisationId).execute();
  return rows.map((row) => toItem(row, locale));
}

async function open(db: Db, messageId: string, locale: Locale) {
  if (!isUuid(messageId)) return undefined;
  const row = await db
    .selectFrom('inbox_messages as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .selectAll('m')
    .select(['o.name', 'o.name_cy'])
    .where('m.id', '=', messageId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { name, name_cy, ...message } = row;
  const [attachments, replies] = await Promise.all([
    db
      .selectFrom('inbox_attachments')
      .select(['id', 'message_id', 'filename', 'content_type', 'size_bytes', 'sha256', 'position'])
      .where('message_id', '=', messageId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('inbox_replies')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('sent_at')
      .execute(),
  ]);
  return {
    message,
    organisationName: organisationName({ name, name_cy }, locale),
    attachments,
    replies,
  } satisfies OpenedMessage;
}

/** A message opened by the person it was sent to; anyone else gets "not found". */
export async function openAsRecipient(
  db: Db,
  user: CurrentUser,
  messageId: string,
  locale: Locale,
): Promise<OpenedMessage> {
  const opened = await open(db, messageId, locale);
  if (!opened || !canReadAsRecipient(user, opened.message))
    throw notFound({ messageId, userId: user.id, reason: 'not this person’s message' });
  return opened;
}

/**
 * A message and its replies opened by a caseworker of the sending body: the read is written to
 * the audit log with the person as its subject, so they can see who read what.
 */
export async function openAsStaff(
  db: Db,
  user: CurrentUser,
  messageId: string,
  locale: Locale,
  actor: Actor,
): Promise<OpenedMessage> {
  const opened = await open(db, messageId, locale);
  if (!opened || !canReadAsStaff(user, opened.message))
    throw notFound({ messageId, userId: user.id, reason: 'not this organisation’s message' });
  await recordAudit(db, actor, {
    action: 'inbox.message.viewed_by_staff',
    resourceType: 'inbox_message',
    resourceId: opened.message.id,
    subjectUserId: opened.message.recipient_user_id,
    details: { replies: opened.replies.map((r) => r.id) },
  });
  return opened;
}

async function attachment(db: Db, messageId: string, attachmentId: string) {
  if (!isUuid(messageId) || !isUuid(attachmentId)) return undefined;
  return db
    .selectFrom('inbox_attachments as a')
    .innerJoin('inbox_messages as m', 'm.id', 'a.message_id')
    .select([
      'a.id',
      'a.filename',
      'a.content_type',
      'a.size_bytes',
      'a.sha256',
      'a.content',
      'm.organisation_id',
      'm.recipient_user_id',
      'm.recipient_deleted_at',
      'm.replies_allowed',
    ])
    .where('a.id', '=', attachmentId)
    .where('a.message_id', '=', messageId)
    .executeTakeFirst();
}

/** An attachment for the person the message was sent to; anyone else gets "not found". */
export async function attachmentForRecipient(
  db: Db,
  user: CurrentUser,
  messageId: string,
  attachmentId: string,
) {
  const found = await attachment(db, messageId, attachmentId);
  if (!found || !canReadAsRecipient(user, found))
    throw notFound({ attachmentId, userId: user.id, reason: 'not this person’s attachment' });
  return found;
}

/** An attachment for a caseworker of the sending body; the download is audited. */
export async function attachmentForStaff(
  db: Db,
  user: CurrentUser,
  messageId: string,
  attachmentId: string,
  actor: Actor,
) {
  const found = await attachment(db, messageId, attachmentId);
  if (!found || !canReadAsStaff(user, found))
    throw notFound({ attachmentId, userId: user.id, reason: 'not this organisation’s message' });
  await recordAudit(db, actor, {
    action: 'inbox.attachment.downloaded_by_staff',
    resourceType: 'inbox_message',
    resourceId: messageId,
    subjectUserId: found.recipient_user_id,
    details: { attachment_id: found.id, sha256: found.sha256 },
  });
  return found;
}
