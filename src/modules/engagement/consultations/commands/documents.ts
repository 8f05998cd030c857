/**
 * A consultation's documents: files its body's service owners attach (the attachments module
 * takes, sniffs and stores them), listed on the consultation's page and downloaded from it.
 */
import { recordAudit, type Actor } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import {
  attachmentsByIds,
  eraseBodyAttachment,
  keepAttachmentForBody,
  type Attachment,
} from '../../../attachments/index.js';
import type { ConsultationRow } from '../../db/consultation-tables.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

/** What a consultation's documents may be: PDFs and images, up to 20 MB each (and UPLOAD_MAX_BYTES). */
export const DOCUMENT_RULES = {
  maxBytes: 20 * 1024 * 1024,
  accept: ['application/pdf', 'image/*'],
} as const;

/** The most documents one consultation has. */
export const MAX_DOCUMENTS = 20;

/** A document as the pages show it. */
export interface ConsultationDocument {
  id: string;
  attachment: Attachment;
}

/** A consultation's documents, in the order they were added (a file gone since is left out). */
export async function documentsOf(db: Db, consultationId: string): Promise<ConsultationDocument[]> {
  const rows = await db
    .selectFrom('consultation_documents')
    .select(['id', 'attachment_id'])
    .where('consultation_id', '=', consultationId)
    .orderBy('added_at')
    .orderBy('id')
    .execute();
  const files = new Map(
    (
      await attachmentsByIds(
        db,
        rows.map((r) => r.attachment_id),
      )
    ).map((a) => [a.id, a]),
  );
  return rows.flatMap((r) => {
    const attachment = files.get(r.attachment_id);
    return attachment ? [{ id: r.id, attachment }] : [];
  });
}

/** One document of a consultation by its id, or undefined (also for an id of another one). */
export async function findDocument(db: Db, consultationId: string, documentId: string) {
  if (!isUuid(documentId)) return undefined;
  return db
    .selectFrom('consultation_documents')
    .select(['id', 'attachment_id'])
    .where('consultation_id', '=', consultationId)
    .where('id', '=', documentId)
    .executeTakeFirst();
}

export type AddDocumentOutcome =
  { ok: true; documentId: string } | { ok: false; reason: 'full' | 'unknown' };

/**
 * Attaches a file the service owner just uploaded to their body's consultation: kept with the
 * body (never expired as an unsent upload), recorded and audited. Refused when the consultation
 * already has {@link MAX_DOCUMENTS}, or the upload is not this person's unlinked one.
 */
export async function addDocument(
  trx: Db,
  actor: Actor & { userId: string },
  consultation: ConsultationRow,
  attachmentId: string,
): Promise<AddDocumentOutcome> {
  // Locks the consultation so two uploads at once cannot pass the limit together.
  await trx
    .selectFrom('consultations')
    .select('id')
    .where('id', '=', consultation.id)
    .forUpdate()
    .executeTakeFirst();
  const { n } = await trx
    .selectFrom('consultation_documents')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('consultation_id', '=', consultation.id)
    .executeTakeFirstOrThrow();
  if (Number(n) >= MAX_DOCUMENTS) return { ok: false, reason: 'full' };
  if (!(await keepAttachmentForBody(trx, attachmentId, consultation.organisation_id, actor.userId)))
    return { ok: false, reason: 'unknown' };
  const row = await trx
    .insertInto('consultation_documents')
    .values({
      consultation_id: consultation.id,
      attachment_id: attachmentId,
      added_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'consultation.document-added',
    resourceType: 'consultation',
    resourceId: consultation.id,
    subjectUserId: null,
    details: { documentId: row.id, attachmentId },
  });
  return { ok: true, documentId: row.id };
}

/**
 * Removes a document from the body's consultation: the record and the file itself (deleted
 * from the store once the transaction commits), audited with the file's name. Documents are not
 * part of a consultation's versions, so removing one makes no new version and tells no one.
 * Returns false when the document is not (or no longer) this consultation's.
 */
export async function removeDocument(
  trx: Db,
  actor: Actor & { userId: string },
  consultation: ConsultationRow,
  documentId: string,
): Promise<boolean> {
  const document = await findDocument(trx, consultation.id, documentId);
  if (!document) return false;
  const [file] = await attachmentsByIds(trx, [document.attachment_id]);
  await trx.deleteFrom('consultation_documents').where('id', '=', document.id).execute();
  await eraseBodyAttachment(trx, document.attachment_id, consultation.organisation_id);
  await recordAudit(trx, actor, {
    action: 'consultation.document-removed',
    resourceType: 'consultation',
    resourceId: consultation.id,
    subjectUserId: null,
    details: {
      documentId: document.id,
      attachmentId: document.attachment_id,
      name: file?.name ?? null,
    },
  });
  return true;
}
