/** What the inbox module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { isoInstant } from '../../../platform/http/personal-data.js';

/**
 * Messages bodies sent to the person (those they deleted too: the body keeps its copy), the
 * names and sizes of their attachments (not the files), and the person's replies.
 */
export async function inboxPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const messages = await db
    .selectFrom('inbox_messages')
    .select([
      'id',
      'organisation_id',
      'subject',
      'body',
      'submission_reference',
      'sent_at',
      'read_at',
      'recipient_deleted_at',
    ])
    .where('recipient_user_id', '=', userId)
    .orderBy('sent_at')
    .execute();
  const ids = messages.map((m) => m.id);
  const [files, replies, bodies] = await Promise.all([
    ids.length
      ? db
          .selectFrom('inbox_attachments')
          .select(['message_id', 'filename', 'size_bytes'])
          .where('message_id', 'in', ids)
          .orderBy('position')
          .execute()
      : [],
    db
      .selectFrom('inbox_replies')
      .innerJoin('inbox_messages', 'inbox_messages.id', 'inbox_replies.message_id')
      .select(['inbox_messages.subject', 'inbox_replies.body', 'inbox_replies.sent_at'])
      .where('inbox_replies.author_user_id', '=', userId)
      .orderBy('inbox_replies.sent_at')
      .execute(),
    listOrganisationsByIds(
      db,
      messages.map((m) => m.organisation_id),
    ).then((rows) => new Map(rows.map((o) => [o.id, o.name]))),
  ]);
  return [
    {
      key: 'messages',
      title: 'inbox.personalData.messages',
      rows: messages.map((m) => ({
        from: bodies.get(m.organisation_id) ?? m.organisation_id,
        subject: m.subject,
        message: m.body,
        reference: m.submission_reference,
        attachments: files
          .filter((f) => f.message_id === m.id)
          .map((f) => `${f.filename} (${f.size_bytes} bytes)`)
          .join('; '),
        sentAt: isoInstant(m.sent_at),
        readAt: isoInstant(m.read_at),
        deletedAt: isoInstant(m.recipient_deleted_at),
      })),
    },
    {
      key: 'message-replies',
      title: 'inbox.personalData.replies',
      rows: replies.map((r) => ({
        subject: r.subject,
        message: r.body,
        sentAt: isoInstant(r.sent_at),
      })),
    },
  ];
}
