import type { Db } from '../../../platform/db/database.js';
import type { AttachmentRow } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** An uploaded file as other modules see it (the bytes are fetched separately, when allowed). */
export interface Attachment {
  id: string;
  /** The name the person gave it, cleaned, with an extension matching its type. */
  name: string;
  /** The type sniffed from the content. */
  type: string;
  size: number;
  /** Hex SHA-256 of the bytes, for receipts and for the receiving body to check. */
  sha256: string;
  ownerUserId: string | null;
  submissionId: string | null;
  organisationId: string | null;
  createdAt: Date;
}

export function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    name: row.filename,
    type: row.content_type,
    size: row.size_bytes,
    sha256: row.sha256,
    ownerUserId: row.owner_user_id,
    submissionId: row.submission_id,
    organisationId: row.organisation_id,
    createdAt: row.created_at,
  };
}

/** One attachment's row (with its storage key), or undefined for an unknown or malformed id. */
export async function findAttachmentRow(db: Db, id: string): Promise<AttachmentRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The attachments with these ids, in the order asked, leaving out ids that are unknown (never
 * uploaded, or deleted after 28 days unsent). The caller decides who may see them: a form checks
 * `ownerUserId` before it accepts an id into an answer.
 *
 * @example const files = await attachmentsByIds(db, answer.map((f) => f.id));
 */
export async function attachmentsByIds(db: Db, ids: readonly string[]): Promise<Attachment[]> {
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return [];
  const rows = await db.selectFrom('attachments').selectAll().where('id', 'in', wanted).execute();
  const byId = new Map(rows.map((row) => [row.id, toAttachment(row)]));
  return wanted.flatMap((id) => byId.get(id) ?? []);
}
