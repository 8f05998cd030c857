import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import {
  acceptedTypesText,
  acceptUploads,
  humanSize,
  receiveUpload,
  sendPublishedAttachment,
  sendSharedAttachment,
  uploadProblemText,
} from '../../../attachments/index.js';
import { requireSignIn } from '../../../identity/index.js';
import { auditActor } from '../../commands/actor.js';
import {
  addNoticeDocument,
  addTenderDocument,
  DOCUMENT_RULES,
  MAX_DOCUMENTS,
  noticeDocument,
  noticeDocumentFile,
  noticeDocuments,
  removeNoticeDocument,
  ownTenderDocumentFile,
  ownTenderDocuments,
  removeTenderDocument,
  tenderDocumentForPanel,
  type ProcurementDocument,
} from '../../commands/documents.js';
import type { NoticeRow } from '../../db/tables.js';
import {
  isTenderOpen,
  mayEditNotice,
  mayEvaluate,
  mayManageProcurement,
} from '../../policies/procurement.js';
import { findNotice } from '../../queries/notices.js';
import { suppliersOfPerson } from '../../queries/suppliers.js';
import { actorOf } from '../shared.js';

const VIEWS = 'modules/procurement/pages/documents';

/** The documents as a page lists them: name, type in words, size. */
export function documentsView(request: FastifyRequest, documents: ProcurementDocument[]) {
  return documents.map((d) => ({
    id: d.id,
    name: d.attachment.name,
    typeName: acceptedTypesText(request.t, [d.attachment.type]) || d.attachment.type,
    size: humanSize(d.attachment.size),
  }));
}

/**
 * Documents on notices and tenders: anyone downloads a notice's documents from
 * `/procurement/<id>/documents/<document>`; the lead buyer's service owners add them at
 * `/staff/procurement/<id>/documents`; a supplier's members add, list, download and remove its
 * tender's at `/procurement/<id>/tender/documents`; the evaluation panel downloads them after
 * the deadline (audited) at `/staff/procurement/<id>/tender-documents/<document>`. Every rule is
 * checked in commands/documents.ts; these routes only draw pages.
 */
export async function procurementDocumentRoutes(
  app: FastifyInstance,
  context: AppContext,
): Promise<void> {
  const { db } = context;
  const rules = () => ({
    maxBytes: Math.min(DOCUMENT_RULES.maxBytes, context.config.UPLOAD_MAX_BYTES),
    accept: DOCUMENT_RULES.accept,
  });

  async function noticeOf(request: FastifyRequest): Promise<NoticeRow> {
    const { id } = request.params as { id: string };
    const notice = await findNotice(db, id);
    if (!notice) throw notFound({ notice: id });
    return notice;
  }

  /** The supplier registrations the person acts for; the one chosen (`?supplier=`) or the first. */
  async function chosenSupplier(request: FastifyRequest, user: CurrentUser, given?: string) {
    const suppliers = (await suppliersOfPerson(db, user.id))
      .filter((s) => s.supplier)
      .map((s) => ({ id: s.supplier!.id, name: s.businessName }));
    const supplierId = given || suppliers[0]?.id;
    if (!supplierId || !suppliers.some((s) => s.id === supplierId)) throw notFound();
    return { supplierId, suppliers };
  }

  const common = (request: FastifyRequest) => ({
    typesText: acceptedTypesText(request.t, rules().accept),
    maxSize: humanSize(rules().maxBytes),
    max: MAX_DOCUMENTS,
  });
  const errorOf = (text?: string) =>
    text ? { errorList: [{ text, href: '#file' }], fieldErrors: { file: { text } } } : {};

  // A notice's documents: public, as the notice is; served through the app, never a bucket.
  app.get('/procurement/:id/documents/:documentId', async (request, reply) => {
    const notice = await noticeOf(request);
    const { documentId } = request.params as { documentId: string };
    return sendPublishedAttachment(
      request,
      reply,
      await noticeDocumentFile(db, notice.id, documentId),
    );
  });

  async function staffPage(
    request: FastifyRequest,
    reply: FastifyReply,
    notice: NoticeRow,
    error?: string,
  ) {
    return reply.view(`${VIEWS}/notice-documents.njk`, {
      notice,
      documents: documentsView(request, await noticeDocuments(db, notice.id)),
      mayAdd: mayEditNotice(notice, new Date()),
      removed: (request.query as { removed?: string }).removed === '1',
      ...common(request),
      ...errorOf(error),
      backLink: `/staff/procurement/${notice.id}`,
    });
  }

  async function ownedNotice(request: FastifyRequest, user: CurrentUser) {
    const notice = await noticeOf(request);
    if (!mayManageProcurement(user, notice.organisation_id)) throw notFound({ notice: notice.id });
    return notice;
  }

  app.get('/staff/procurement/:id/documents', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return staffPage(request, reply, await ownedNotice(request, user));
  });

  /** The confirmation page before removing a notice's document, with the reason suppliers read. */
  async function removePage(
    request: FastifyRequest,
    reply: FastifyReply,
    notice: NoticeRow,
    documentId: string,
    changeSummary?: string,
    errors?: {
      errorList: { text: string; href: string }[];
      fieldErrors: Record<string, { text: string }>;
    },
  ) {
    const document = await noticeDocument(db, notice.id, documentId);
    if (!document) throw notFound({ document: documentId });
    const [view] = documentsView(request, [document]);
    return reply.view(`${VIEWS}/remove-document.njk`, {
      notice,
      document: view,
      mayRemove: mayEditNotice(notice, new Date()),
      changeSummary:
        changeSummary ??
        request.t('procurement.documents.removedSummary', { name: document.attachment.name }),
      ...errors,
      backLink: `/staff/procurement/${notice.id}/documents`,
    });
  }

  app.get('/staff/procurement/:id/documents/:documentId/remove', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await ownedNotice(request, user);
    const { documentId } = request.params as { documentId: string };
    return removePage(request, reply, notice, documentId);
  });

  app.post('/staff/procurement/:id/documents/:documentId/remove', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await ownedNotice(request, user);
    const { documentId } = request.params as { documentId: string };
    const changeSummary = formText(request.body, 'changeSummary');
    const outcome = await db
      .transaction()
      .execute((trx) =>
        removeNoticeDocument(
          trx,
          actorOf(request, user, context),
          { noticeId: notice.id, documentId, changeSummary },
          new Date(),
        ),
      );
    if (!outcome.ok)
      return removePage(
        request,
        reply.code(
          outcome.errors.some((e) => e.message === 'procurement.notice.closed') ? 409 : 400,
        ),
        notice,
        documentId,
        changeSummary,
        errorView(outcome.errors, request.t),
      );
    return reply.redirect(`/staff/procurement/${notice.id}/documents?removed=1`, 303);
  });

  async function tenderPage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    notice: NoticeRow,
    supplierId: string,
    error?: string,
  ) {
    const { suppliers } = await chosenSupplier(request, user, supplierId);
    const documents = await ownTenderDocuments(
      db,
      actorOf(request, user, context),
      notice.id,
      supplierId,
    );
    return reply.view(`${VIEWS}/tender-documents.njk`, {
      notice,
      supplierId,
      supplierName: suppliers.find((s) => s.id === supplierId)?.name ?? '',
      documents: documentsView(request, documents),
      mayAdd: isTenderOpen(notice, new Date()),
      ...common(request),
      ...errorOf(error),
      backLink: `/procurement/${notice.id}/tender?supplier=${supplierId}`,
    });
  }

  app.get('/procurement/:id/tender/documents', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await noticeOf(request);
    const { supplierId } = await chosenSupplier(
      request,
      user,
      (request.query as { supplier?: string }).supplier,
    );
    return tenderPage(request, reply, user, notice, supplierId);
  });

  app.get('/procurement/:id/tender/documents/:documentId', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await noticeOf(request);
    const { documentId } = request.params as { documentId: string };
    const { supplierId } = await chosenSupplier(
      request,
      user,
      (request.query as { supplier?: string }).supplier,
    );
    const actor = actorOf(request, user, context);
    const attachmentId = await ownTenderDocumentFile(db, actor, {
      noticeId: notice.id,
      supplierId,
      documentId,
    });
    return sendSharedAttachment(request, reply, attachmentId, {
      actor: auditActor(actor, 'supplier'),
      details: { notice_id: notice.id, supplier_id: supplierId, tender_document: documentId },
    });
  });

  app.post('/procurement/:id/tender/documents/:documentId/remove', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await noticeOf(request);
    const { documentId } = request.params as { documentId: string };
    const supplierId = formText(request.body, 'supplierId');
    const outcome = await db
      .transaction()
      .execute((trx) =>
        removeTenderDocument(
          trx,
          actorOf(request, user, context),
          { noticeId: notice.id, supplierId, documentId },
          new Date(),
        ),
      );
    if (!outcome.ok)
      return tenderPage(
        request,
        reply.code(409),
        user,
        notice,
        supplierId,
        request.t('procurement.documents.late'),
      );
    return reply.redirect(`/procurement/${notice.id}/tender/documents?supplier=${supplierId}`, 303);
  });

  // The panel reads a tender's documents after the deadline; each read is audited.
  app.get('/staff/procurement/:id/tender-documents/:documentId', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await noticeOf(request);
    if (!mayEvaluate(user, notice.organisation_id)) throw notFound({ notice: notice.id });
    const { documentId } = request.params as { documentId: string };
    const actor = actorOf(request, user, context);
    const file = await tenderDocumentForPanel(db, actor, notice, documentId, new Date());
    return sendSharedAttachment(request, reply, file.attachmentId, {
      actor: auditActor(actor, 'evaluator'),
      details: { notice_id: notice.id, supplier_id: file.supplierId, tender_document: documentId },
    });
  });

  // Uploads are multipart/form-data: only in this scope. Who may attach is known before any
  // file is read.
  await app.register(async (scope) => {
    await acceptUploads(scope);
    scope.post('/staff/procurement/:id/documents', async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const notice = await ownedNotice(request, user);
      const upload = await receiveUpload(request, { ...rules(), ownerUserId: user.id });
      if (!upload.ok)
        return staffPage(
          request,
          reply.code(400),
          notice,
          uploadProblemText(request.t, upload.problem, rules()),
        );
      const outcome = await db
        .transaction()
        .execute((trx) =>
          addNoticeDocument(
            trx,
            actorOf(request, user, context),
            notice,
            upload.attachment.id,
            new Date(),
          ),
        );
      if (!outcome.ok)
        return staffPage(
          request,
          reply.code(outcome.reason === 'full' || outcome.reason === 'late' ? 409 : 400),
          notice,
          request.t(`procurement.documents.${outcome.reason}`, { max: MAX_DOCUMENTS }),
        );
      return reply.redirect(`/staff/procurement/${notice.id}/documents`, 303);
    });

    scope.post('/procurement/:id/tender/documents', async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const notice = await noticeOf(request);
      const { supplierId } = await chosenSupplier(
        request,
        user,
        formText(request.body, 'supplierId'),
      );
      const upload = await receiveUpload(request, { ...rules(), ownerUserId: user.id });
      if (!upload.ok)
        return tenderPage(
          request,
          reply.code(400),
          user,
          notice,
          supplierId,
          uploadProblemText(request.t, upload.problem, rules()),
        );
      const outcome = await db
        .transaction()
        .execute((trx) =>
          addTenderDocument(
            trx,
            actorOf(request, user, context),
            { noticeId: notice.id, supplierId, attachmentId: upload.attachment.id },
            new Date(),
          ),
        );
      if (!outcome.ok)
        return tenderPage(
          request,
          reply.code(outcome.reason === 'full' || outcome.reason === 'late' ? 409 : 400),
          user,
          notice,
          supplierId,
          request.t(`procurement.documents.${outcome.reason}`, { max: MAX_DOCUMENTS }),
        );
      return reply.redirect(
        `/procurement/${notice.id}/tender/documents?supplier=${supplierId}`,
        303,
      );
    });
  });
}
