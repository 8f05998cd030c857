import type { ColumnType, Generated, Selectable } from 'kysely';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** One uploaded file (migration 0025); the bytes are in the file store under `storage_key`. */
export interface AttachmentTable {
  id: Generated<string>;
  storage_key: ColumnType<string, string, never>;
  owner_user_id: Nullable<string>;
  uploader_organisation_id: ColumnType<string | null, string | null | undefined, never>;
  filename: ColumnType<string, string, never>;
  content_type: ColumnType<string, string, never>;
  size_bytes: ColumnType<number, number, never>;
  sha256: ColumnType<string, string, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
  submission_id: Nullable<string>;
  organisation_id: Nullable<string>;
  linked_at: Nullable<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    attachments: AttachmentTable;
  }
}

export type AttachmentRow = Selectable<AttachmentTable>;
