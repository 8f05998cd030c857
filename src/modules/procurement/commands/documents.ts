/**
 * Documents on notices and on tenders. A buyer attaches files to its opportunity notice (anyone
 * downloads them from the notice, through the app); a supplier attaches files to its tender,
 * sealed like the rest of it: until the tender deadline no one at the buying body can open them
 * (refused here, in the service layer: `tenders_sealed`), and another supplier never can. The
 * attachments module takes, sniffs, size-checks and stores the files.
 */
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type Outcome } from '../../../platform/errors/errors.js';
import { membershipOf } from '../../agents/index.js';
import {
  attachmentsByIds,
  eraseBodyAttachment,
  keepAttachmentForBody,
  type Attachment,
} from '../../attachments/index.js';
import type { NoticeRow } from '../db/tables.js';
import {
  areTendersUnsealed,
  isTenderOpen,
  mayActForSupplier,
  mayEditNotice,
  mayEvaluate,
  mayManageProcurement,
} from '../policies/procurement.js';
import { tendersSealed } from '../queries/tenders.js';
import { auditActor, type ProcurementActor } from './actor.js';
import { checkChangeSummary, saveNoticeVersion } from './notices.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** What a notice's or a tender's documents may be: PDFs, images, Word, Excel, OpenDocument text. */
export const DOCUMENT_RULES = {
  maxBytes: 20 * 1024 * 1024,
  accept: ['application/pdf', 'image/*', '.docx', '.xlsx', '.odt'],
} as const;

/** The most documents one notice, or one supplier's tender, has. */
export const MAX_DOCUMENTS = 20;

/** A document as the pages list it. */
export interface ProcurementDocument {
  id: string;
  attachment: Attachment;
}

type Added = { ok: true; documentId: string } | { ok: false; reason: 'full' | 'unknown' | 'late' };

async function withFiles(
  db: Db,
  rows: { id: string; attachment_id: string }[],
): Promise<ProcurementDocument[]> {
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

/** A notice's documents, in the order they were added. Public, as the notice is. */
export async function noticeDocuments(db: Db, noticeId: string): Promise<ProcurementDocument[]> {
  const rows = await db
    .selectFrom('procurement_notice_documents')
    .select(['id', 'attachment_id'])
    .where('notice_id', '=', noticeId)
    .orderBy('added_at')
    .orderBy('id')
    .execute();
  return withFiles(db, rows);
}

/** The file of one of a notice's documents (for anyone), or 404. */
export async function noticeDocumentFile(
  db: Db,
  noticeId: string,
  documentId: string,
): Promise<string> {
  if (!isUuid(documentId)) throw notFound();
  const row = await db
    .selectFrom('procurement_notice_documents')
    .select('attachment_id')
    .where('notice_id', '=', noticeId)
    .where('id', '=', documentId)
    .executeTakeFirst();
  if (!row) throw notFound({ notice: noticeId, document: documentId });
  return row.attachment_id;
}

/**
 * A service owner of the lead buyer attaches a file they just uploaded to the notice, while it
 * may still be changed (before the tender deadline). The file is kept with the body; audited.
 */
export async function addNoticeDocument(
  trx: Db,
  actor: ProcurementActor,
  notice: NoticeRow,
  attachmentId: string,
  now: Date,
): Promise<Added> {
  if (!mayManageProcurement(actor.user, notice.organisation_id))
    throw notFound({ notice: notice.id });
  await trx
    .selectFrom('procurement_notices')
    .select('id')
    .where('id', '=', notice.id)
    .forUpdate()
    .executeTakeFirst();
  if (!mayEditNotice(notice, now)) return { ok: false, reason: 'late' };
  const { n } = await trx
    .selectFrom('procurement_notice_documents')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('notice_id', '=', notice.id)
    .executeTakeFirstOrThrow();
  if (Number(n) >= MAX_DOCUMENTS) return { ok: false, reason: 'full' };
  if (!(await keepAttachmentForBody(trx, attachmentId, notice.organisation_id, actor.user.id)))
    return { ok: false, reason: 'unknown' };
  const row = await trx
    .insertInto('procurement_notice_documents')
    .values({ notice_id: notice.id, attachment_id: attachmentId, added_by: actor.user.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, auditActor(actor, 'service-owner'), {
    action: 'procurement.notice_document_added',
    resourceType: 'procurement_notice',
    resourceId: notice.id,
    subjectUserId: null,
    details: { document_id: row.id, attachment_id: attachmentId },
  });
  await versionIfTendered(trx, actor, notice, row.id, now);
  return { ok: true, documentId: row.id };
}

/**
 * A document added after tenders arrived changes what suppliers tendered against: the notice
 * becomes its next version and they are told, as for any other change. Before any tender it is
 * part of the notice as first read, and no version is made.
 */
async function versionIfTendered(
  trx: Db,
  actor: ProcurementActor,
  notice: NoticeRow,
  documentId: string,
  now: Date,
): Promise<void> {
  const tendered = await trx
    .selectFrom('procurement_responses')
    .select('id')
    .where('notice_id', '=', notice.id)
    .limit(1)
    .executeTakeFirst();
  if (!tendered) return;
  const current = await trx
    .selectFrom('procurement_notices')
    .selectAll()
    .where('id', '=', notice.id)
    .executeTakeFirstOrThrow();
  const name = (await noticeDocument(trx, notice.id, documentId))?.attachment.name ?? '';
  await saveNoticeVersion(
    trx,
    actor,
    current,
    {
      summary: `Document added: ${name}`,
      set: {},
      what: 'documents',
      snapshotExtra: { addedDocument: { id: documentId, name } },
    },
    now,
  );
}

/** One of a notice's documents with its file, or undefined. */
export async function noticeDocument(
  db: Db,
  noticeId: string,
  documentId: string,
): Promise<ProcurementDocument | undefined> {
  if (!isUuid(documentId)) return undefined;
  const rows = await db
    .selectFrom('procurement_notice_documents')
    .select(['id', 'attachment_id'])
    .where('notice_id', '=', noticeId)
    .where('id', '=', documentId)
    .execute();
  return (await withFiles(db, rows))[0];
}

/**
 * A service owner of the lead buyer removes one of the notice's documents before the tender
 * deadline: the record and the file itself go (deleted from the store once the transaction
 * commits), audited with the file's name, and — like every change to a published notice — the
 * notice becomes its next version with the reason given, so suppliers who have sent a tender are
 * told. Another body's staff, a caseworker or a document of another notice: 404.
 */
export async function removeNoticeDocument(
  trx: Db,
  actor: ProcurementActor,
  input: { noticeId: string; documentId: string; changeSummary: string },
  now: Date,
): Promise<Outcome<{ notice: NoticeRow; suppliersTold: number }>> {
  if (!isUuid(input.noticeId) || !isUuid(input.documentId)) throw notFound();
  const notice = await trx
    .selectFrom('procurement_notices')
    .selectAll()
    .where('id', '=', input.noticeId)
    .forUpdate()
    .executeTakeFirst();
  if (!notice || !mayManageProcurement(actor.user, notice.organisation_id))
    throw notFound({ notice: input.noticeId });
  const document = await noticeDocument(trx, notice.id, input.documentId);
  if (!document) throw notFound({ document: input.documentId });
  if (!mayEditNotice(notice, now))
    return {
      ok: false,
      errors: [{ field: 'changeSummary', message: 'procurement.notice.closed' }],
    };
  const checked = checkChangeSummary(input.changeSummary);
  if ('error' in checked) return { ok: false, errors: [checked.error] };
  await trx.deleteFrom('procurement_notice_documents').where('id', '=', document.id).execute();
  await eraseBodyAttachment(trx, document.attachment.id, notice.organisation_id);
  await recordAudit(trx, auditActor(actor, 'service-owner'), {
    action: 'procurement.notice_document_removed',
    resourceType: 'procurement_notice',
    resourceId: notice.id,
    subjectUserId: null,
    details: {
      document_id: document.id,
      attachment_id: document.attachment.id,
      name: document.attachment.name,
    },
  });
  const saved = await saveNoticeVersion(
    trx,
    actor,
    notice,
    {
      summary: checked.summary,
      set: {},
      what: 'documents',
      snapshotExtra: { removedDocument: { id: document.id, name: document.attachment.name } },
    },
    now,
  );
  return { ok: true, ...saved };
}

/** 404 unless the person is a member of the supplier's business who may act for it. */
async function ownSupplier(db: Db, actor: ProcurementActor, supplierId: string): Promise<void> {
  if (!isUuid(supplierId)) throw notFound();
  const supplier = await db
    .selectFrom('procurement_suppliers')
    .select('business_id')
    .where('id', '=', supplierId)
    .executeTakeFirst();
  if (!supplier || !mayActForSupplier(await membershipOf(db, supplier.business_id, actor.user.id)))
    throw notFound({ supplier: supplierId });
}

/**
 * A supplier's own tender documents for a notice, for a member of its business (another
 * supplier: 404).
 */
export async function ownTenderDocuments(
  db: Db,
  actor: ProcurementActor,
  noticeId: string,
  supplierId: string,
): Promise<ProcurementDocument[]> {
  await ownSupplier(db, actor, supplierId);
  const rows = await db
    .selectFrom('procurement_tender_documents')
    .select(['id', 'attachment_id'])
    .where('notice_id', '=', noticeId)
    .where('supplier_id', '=', supplierId)
    .orderBy('added_at')
    .orderBy('id')
    .execute();
  return withFiles(db, rows);
}

/**
 * A member of the supplier attaches a file they just uploaded to its tender for the notice,
 * before the tender deadline (one second late is late, as for the tender). Locks the notice so
 * a change of deadline, or two uploads at once past the limit, cannot race it; audited.
 */
export async function addTenderDocument(
  trx: Db,
  actor: ProcurementActor,
  input: { noticeId: string; supplierId: string; attachmentId: string },
  now: Date,
): Promise<Added> {
  await ownSupplier(trx, actor, input.supplierId);
  if (!isUuid(input.noticeId)) throw notFound();
  const notice = await trx
    .selectFrom('procurement_notices')
    .selectAll()
    .where('id', '=', input.noticeId)
    .forUpdate()
    .executeTakeFirst();
  if (!notice) throw notFound({ notice: input.noticeId });
  if (!isTenderOpen(notice, now)) return { ok: false, reason: 'late' };
  const { n } = await trx
    .selectFrom('procurement_tender_documents')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('notice_id', '=', notice.id)
    .where('supplier_id', '=', input.supplierId)
    .executeTakeFirstOrThrow();
  if (Number(n) >= MAX_DOCUMENTS) return { ok: false, reason: 'full' };
  // Kept for the buying body it is addressed to; that grants its staff nothing (the attachments
  // module lets staff read only files sent with an application): reads go through this module.
  if (
    !(await keepAttachmentForBody(trx, input.attachmentId, notice.organisation_id, actor.user.id))
  )
    return { ok: false, reason: 'unknown' };
  const row = await trx
    .insertInto('procurement_tender_documents')
    .values({
      notice_id: notice.id,
      supplier_id: input.supplierId,
      attachment_id: input.attachmentId,
      added_by: actor.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, auditActor(actor, 'supplier'), {
    action: 'procurement.tender_document_added',
    resourceType: 'procurement_notice',
    resourceId: notice.id,
    subjectUserId: actor.user.id,
    details: { document_id: row.id, supplier_id: input.supplierId },
  });
  return { ok: true, documentId: row.id };
}

/**
 * A supplier member removes one of its tender's documents before the deadline: the record and
 * the file itself go (deleted from the store once the transaction commits). Sealed until the
 * deadline, it was read by no one at the buying body, and it is part of no tender any more.
 */
export async function removeTenderDocument(
  trx: Db,
  actor: ProcurementActor,
  input: { noticeId: string; supplierId: string; documentId: string },
  now: Date,
): Promise<{ ok: boolean }> {
  await ownSupplier(trx, actor, input.supplierId);
  if (!isUuid(input.noticeId) || !isUuid(input.documentId)) throw notFound();
  const notice = await trx
    .selectFrom('procurement_notices')
    .selectAll()
    .where('id', '=', input.noticeId)
    .forUpdate()
    .executeTakeFirst();
  if (!notice) throw notFound({ notice: input.noticeId });
  if (!isTenderOpen(notice, now)) return { ok: false };
  const removed = await trx
    .deleteFrom('procurement_tender_documents')
    .where('id', '=', input.documentId)
    .where('notice_id', '=', notice.id)
    .where('supplier_id', '=', input.supplierId)
    .returning(['id', 'attachment_id'])
    .executeTakeFirst();
  if (!removed) throw notFound({ document: input.documentId });
  await eraseBodyAttachment(trx, removed.attachment_id, notice.organisation_id);
  await recordAudit(trx, auditActor(actor, 'supplier'), {
    action: 'procurement.tender_document_removed',
    resourceType: 'procurement_notice',
    resourceId: notice.id,
    subjectUserId: actor.user.id,
    details: { document_id: input.documentId, supplier_id: input.supplierId },
  });
  return { ok: true };
}

/**
 * One of a supplier's own tender documents, for a member of its business: its file id. Another
 * supplier's, or a document of no tender: 404.
 */
export async function ownTenderDocumentFile(
  db: Db,
  actor: ProcurementActor,
  input: { noticeId: string; supplierId: string; documentId: string },
): Promise<string> {
  await ownSupplier(db, actor, input.supplierId);
  if (!isUuid(input.documentId) || !isUuid(input.noticeId)) throw notFound();
  const row = await db
    .selectFrom('procurement_tender_documents')
    .select('attachment_id')
    .where('id', '=', input.documentId)
    .where('notice_id', '=', input.noticeId)
    .where('supplier_id', '=', input.supplierId)
    .executeTakeFirst();
  if (!row) throw notFound({ document: input.documentId });
  return row.attachment_id;
}

/**
 * The documents of tenders for the notice's evaluation panel — refused before the tender
 * deadline whoever asks (`tenders_sealed`, 403), and to anyone not on the body's panel (404).
 * Only documents of suppliers that sent a tender are listed, by supplier id.
 */
export async function tenderDocumentsForPanel(
  db: Db,
  actor: ProcurementActor,
  notice: NoticeRow,
  now: Date,
): Promise<Map<string, ProcurementDocument[]>> {
  if (!mayEvaluate(actor.user, notice.organisation_id)) throw notFound({ notice: notice.id });
  if (!areTendersUnsealed(notice, now)) throw tendersSealed(notice);
  const rows = await db
    .selectFrom('procurement_tender_documents as d')
    .innerJoin('procurement_responses as r', (join) =>
      join.onRef('r.notice_id', '=', 'd.notice_id').onRef('r.supplier_id', '=', 'd.supplier_id'),
    )
    .select(['d.id', 'd.attachment_id', 'd.supplier_id'])
    .where('d.notice_id', '=', notice.id)
    .orderBy('d.added_at')
    .orderBy('d.id')
    .execute();
  const files = await withFiles(db, rows);
  const bySupplier = new Map<string, ProcurementDocument[]>();
  for (const doc of files) {
    const supplierId = rows.find((r) => r.id === doc.id)!.supplier_id;
    bySupplier.set(supplierId, [...(bySupplier.get(supplierId) ?? []), doc]);
  }
  return bySupplier;
}

/**
 * One tender document for the panel, under the same rules ({@link tenderDocumentsForPanel}):
 * the file id and what the audited read records.
 */
export async function tenderDocumentForPanel(
  db: Db,
  actor: ProcurementActor,
  notice: NoticeRow,
  documentId: string,
  now: Date,
): Promise<{ attachmentId: string; supplierId: string }> {
  if (!mayEvaluate(actor.user, notice.organisation_id)) throw notFound({ notice: notice.id });
  if (!areTendersUnsealed(notice, now)) throw tendersSealed(notice);
  if (!isUuid(documentId)) throw notFound();
  const row = await db
    .selectFrom('procurement_tender_documents as d')
    .innerJoin('procurement_responses as r', (join) =>
      join.onRef('r.notice_id', '=', 'd.notice_id').onRef('r.supplier_id', '=', 'd.supplier_id'),
    )
    .select(['d.attachment_id', 'd.supplier_id'])
    .where('d.notice_id', '=', notice.id)
    .where('d.id', '=', documentId)
    .executeTakeFirst();
  if (!row) throw notFound({ document: documentId });
  return { attachmentId: row.attachment_id, supplierId: row.supplier_id };
}
