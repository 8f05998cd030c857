import type { ColumnType, Generated, Selectable } from 'kysely';

/** The attachment types a body may send: PDF documents and PNG or JPEG images. */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface InboxMessageTable {
  id: Generated<string>;
  organisation_id: string;
  recipient_user_id: string;
  sent_by_user_id: Nullable<string>;
  sent_by_api_key_id: Nullable<string>;
  submission_id: Nullable<string>;
  submission_reference: Nullable<string>;
  subject: string;
  body: string;
  replies_allowed: ColumnType<boolean, boolean | undefined, boolean>;
  sent_at: Generated<Date>;
  read_at: Nullable<Date>;
  recipient_deleted_at: Nullable<Date>;
}

export interface InboxAttachmentTable {
  id: Generated<string>;
  message_id: string;
  filename: string;
  content_type: AttachmentType;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  position: ColumnType<number, number | undefined, number>;
}

export interface InboxReplyTable {
  id: Generated<string>;
  message_id: string;
  author_user_id: string;
  body: string;
  sent_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    inbox_messages: InboxMessageTable;
    inbox_attachments: InboxAttachmentTable;
    inbox_replies: InboxReplyTable;
  }
}

export type InboxMessageRow = Selectable<InboxMessageTable>;
export type InboxAttachmentRow = Selectable<InboxAttachmentTable>;
export type InboxReplyRow = Selectable<InboxReplyTable>;
/** An attachment as lists show it: everything but the content. */
export type AttachmentSummary = Omit<InboxAttachmentRow, 'content'>;
