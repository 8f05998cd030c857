/** What the attachments module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';

/** The files the person uploaded: name, type, size, when, and whether sent with an application. */
export async function attachmentsPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const files = await db
    .selectFrom('attachments')
    .select(['filename', 'content_type', 'size_bytes', 'created_at', 'submission_id', 'linked_at'])
    .where('owner_user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  return [
    {
      key: 'files',
      title: 'attachments.personalData.files',
      rows: files.map((f) => ({
        fileName: f.filename,
        type: f.content_type,
        sizeBytes: f.size_bytes,
        uploadedAt: f.created_at.toISOString(),
        sentWithApplication: f.submission_id !== null,
        sentAt: f.linked_at?.toISOString() ?? null,
      })),
    },
  ];
}
