import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, CurrentUser } from '../../../../../platform/http/types.js';
import { requireSignIn } from '../../../../identity/index.js';
import {
  acceptedTypesText,
  acceptUploads,
  humanSize,
  receiveUpload,
  uploadProblemText,
} from '../../../../attachments/index.js';
import type { ConsultationRow } from '../../../db/consultation-tables.js';
import {
  addDocument,
  DOCUMENT_RULES,
  documentsOf,
  findDocument,
  MAX_DOCUMENTS,
  removeDocument,
} from '../../commands/documents.js';
import { notFound } from '../../../../../platform/errors/errors.js';
import { mayPublishConsultation } from '../../policies/consultations.js';
import { bodiesOf, consultationView } from '../shared.js';
import { actorOf, ownConsultation } from './access.js';

const DOCUMENTS = 'modules/engagement/consultations/pages/staff/documents.njk';
const REMOVE = 'modules/engagement/consultations/pages/staff/remove-document.njk';

/**
 * The body's service owners attach documents (PDFs and images) to its consultation at
 * `/staff/consultations/<id>/documents`; the public downloads them from the consultation's page
 * once it opens. Anyone else gets 404 before any file is read.
 */
export async function staffDocumentRoutes(
  app: FastifyInstance,
  context: AppContext,
): Promise<void> {
  const { db } = context;
  const rules = () => ({
    maxBytes: Math.min(DOCUMENT_RULES.maxBytes, context.config.UPLOAD_MAX_BYTES),
    accept: DOCUMENT_RULES.accept,
  });

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    consultation: ConsultationRow,
    error?: string,
  ) {
    const documents = await documentsOf(db, consultation.id);
    const bodies = await bodiesOf(db, [consultation]);
    return reply.view(DOCUMENTS, {
      consultation: consultationView(consultation, bodies, request.locale, new Date()),
      documents: documents.map((d) => ({
        ...d,
        typeName: acceptedTypesText(request.t, [d.attachment.type]) || d.attachment.type,
        size: humanSize(d.attachment.size),
      })),
      full: documents.length >= MAX_DOCUMENTS,
      max: MAX_DOCUMENTS,
      typesText: acceptedTypesText(request.t, rules().accept),
      maxSize: humanSize(rules().maxBytes),
      backLink: `/staff/consultations/${consultation.id}`,
      removed: (request.query as { removed?: string }).removed === '1',
      ...(error
        ? {
            errorList: [{ text: error, href: '#file' }],
            fieldErrors: { file: { text: error } },
          }
        : {}),
    });
  }

  const owned = (request: FastifyRequest, user: CurrentUser) =>
    ownConsultation(db, request, user, mayPublishConsultation);

  app.get('/staff/consultations/:id/documents', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return render(request, reply, await owned(request, user));
  });

  /** The document in the path of the service owner's consultation, or "Page not found". */
  async function ownDocument(request: FastifyRequest, user: CurrentUser) {
    const consultation = await owned(request, user);
    const { documentId } = request.params as { documentId: string };
    const document = await findDocument(db, consultation.id, documentId);
    const [file] = document
      ? (await documentsOf(db, consultation.id)).filter((d) => d.id === document.id)
      : [];
    if (!document || !file) throw notFound({ document: documentId });
    return { consultation, document: file };
  }

  // Removing a document: a page asking to confirm, then the POST.
  app.get('/staff/consultations/:id/documents/:documentId/remove', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { consultation, document } = await ownDocument(request, user);
    const bodies = await bodiesOf(db, [consultation]);
    return reply.view(REMOVE, {
      consultation: consultationView(consultation, bodies, request.locale, new Date()),
      document,
      backLink: `/staff/consultations/${consultation.id}/documents`,
    });
  });

  app.post('/staff/consultations/:id/documents/:documentId/remove', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { consultation, document } = await ownDocument(request, user);
    const removed = await db
      .transaction()
      .execute((trx) =>
        removeDocument(
          trx,
          { ...actorOf(request, user), userId: user.id },
          consultation,
          document.id,
        ),
      );
    if (!removed) throw notFound({ document: document.id });
    return reply.redirect(`/staff/consultations/${consultation.id}/documents?removed=1`, 303);
  });

  // The upload is multipart/form-data: only in this scope.
  await app.register(async (scope) => {
    await acceptUploads(scope);
    scope.post('/staff/consultations/:id/documents', async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      // Who may attach is known before any file is read.
      const consultation = await owned(request, user);
      const upload = await receiveUpload(request, { ...rules(), ownerUserId: user.id });
      if (!upload.ok)
        return render(
          request,
          reply.code(400),
          consultation,
          uploadProblemText(request.t, upload.problem, rules()),
        );
      const outcome = await db
        .transaction()
        .execute((trx) =>
          addDocument(
            trx,
            { ...actorOf(request, user), userId: user.id },
            consultation,
            upload.attachment.id,
          ),
        );
      if (!outcome.ok)
        return render(
          request,
          reply.code(outcome.reason === 'full' ? 409 : 400),
          consultation,
          request.t(`consultations.documents.${outcome.reason}`, { max: MAX_DOCUMENTS }),
        );
      return reply.redirect(`/staff/consultations/${consultation.id}/documents`, 303);
    });
  });
}
