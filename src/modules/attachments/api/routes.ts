import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import { AppError, notFound } from '../../../platform/errors/errors.js';
import { apiRoute } from '../../../platform/http/api.js';
import { downloadHeaders, openStored } from '../pages/download/routes.js';
import { systemReadAccess } from '../policies/attachments.js';
import { findAttachmentRow } from '../queries/attachments.js';
import { KNOWN_TYPES } from '../sniff.js';
import { acceptUploads, receiveUpload, type UploadProblem } from '../upload.js';

/**
 * Who is calling the API: the body whose key authenticated the request, or the person whose
 * access token a relying party sends (their upload is theirs, as one made on a page is).
 */
export type ApiUploader = { organisationId: string } | { ownerUserId: string };

/** Checks a request's credentials (e.g. the hub's body API key); null when they are not good. */
export type ApiUploadAuthenticator = (request: FastifyRequest) => Promise<ApiUploader | null>;

/** What an API upload may be: everything we recognise but a bare ZIP. The form's question decides later. */
export const API_ACCEPT = KNOWN_TYPES.filter((type) => type !== 'application/zip');

const STATUS: Record<UploadProblem, number> = {
  'too-big': 413,
  'wrong-type': 415,
  mismatch: 415,
  'zip-bomb': 422,
  empty: 400,
  missing: 400,
};

const MESSAGE: Record<UploadProblem, string> = {
  'too-big': 'the file is larger than allowed',
  'wrong-type': 'the file is not of a type that is accepted',
  mismatch: 'the file name says one type but the content is another',
  'zip-bomb': 'the archive inflates too much or holds another archive',
  empty: 'the file is empty',
  missing: 'there is no file in the field named "file"',
};

const Uploaded = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.string(),
  size: z.number().int(),
  sha256: z.string(),
});

/**
 * `POST /api/v1/attachments`: a body's system (or another channel) uploads one file as
 * `multipart/form-data` in a field named `file`, and gets its id to put in a submission's file
 * answer. `authenticate` is the caller's check of the key (the hub's), so this module does not
 * depend on the one that issues keys; the module holding the key check registers the route:
 *
 * @example attachmentApiRoutes(app, async (request) => checkBodyKey(db, request.headers.authorization));
 */
export function attachmentApiRoutes(
  app: FastifyInstance,
  authenticate: ApiUploadAuthenticator,
  options: { security?: Record<string, string[]>[] } = {},
): void {
  const callers = new WeakMap<FastifyRequest, ApiUploader>();
  void app.register(async (scope) => {
    // Before anything is read: an unknown caller cannot make us read 10 MB.
    scope.addHook('onRequest', async (request) => {
      const caller = await authenticate(request);
      if (!caller) throw new AppError('unauthorised', 401, 'A valid API key is needed');
      callers.set(request, caller);
    });
    await acceptUploads(scope);
    const { config } = scope.attachmentServices;
    apiRoute(scope, {
      method: 'POST',
      url: '/api/v1/attachments',
      summary: `Upload one file (multipart/form-data, field "file", at most ${config.UPLOAD_MAX_BYTES} bytes) to send with a submission; its type is read from its content. Authorization: Bearer <API key>, or a person’s access token`,
      tag: 'Submissions',
      ...(options.security ? { security: options.security } : {}),
      requestContent: {
        'multipart/form-data': {
          type: 'object',
          properties: { file: { type: 'string', format: 'binary' } },
          required: ['file'],
        },
      },
      response: Uploaded,
      handler: async (_input, request) => {
        const caller = callers.get(request)!;
        const upload = await receiveUpload(request, {
          maxBytes: config.UPLOAD_MAX_BYTES,
          accept: API_ACCEPT,
          ownerUserId: 'ownerUserId' in caller ? caller.ownerUserId : null,
          uploaderOrganisationId: 'organisationId' in caller ? caller.organisationId : null,
        });
        if (!upload.ok)
          throw new AppError(
            'upload_refused',
            STATUS[upload.problem],
            `${upload.problem}: ${MESSAGE[upload.problem]}`,
          );
        return upload.attachment;
      },
    });
  });
}

/** The body whose system downloads a file, and how the audit log names it. */
export interface ApiReader {
  organisationId: string;
  actor: Actor;
}

/**
 * Checks a download's credentials (e.g. the hub's receive key): the reader, or null when there
 * are none that are good. It may throw an AppError of its own (a key of the wrong scope: 403).
 */
export type ApiReadAuthenticator = (request: FastifyRequest) => Promise<ApiReader | null>;

/** The audit action of a body's system downloading a person's file; the person sees it on their Security page. */
export const SYSTEM_READ_ACTION = 'account.attachment-downloaded';

/**
 * `GET /api/v1/attachments/{id}`: a file sent with a submission, to the system of the body that
 * received the submission (`readers`: the hub's receive key). Any other file — unsent, sent to
 * another body, unknown — is 404 alike. Each download is in the audit log, about the person who
 * uploaded it. Served as the page download is: the sniffed type, `attachment`, never sniffed
 * again, never cached.
 *
 * @example attachmentApiDownloads(app, async (request) => receiverOf(db, request.headers.authorization));
 */
export function attachmentApiDownloads(
  app: FastifyInstance,
  readers: ApiReadAuthenticator,
  options: { security?: Record<string, string[]>[] } = {},
): void {
  const callers = new WeakMap<FastifyRequest, ApiReader>();
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (request) => {
      const caller = await readers(request);
      if (!caller) throw new AppError('unauthorised', 401, 'A valid API key is needed');
      callers.set(request, caller);
    });
    const { db, store } = scope.attachmentServices;
    apiRoute(scope, {
      method: 'GET',
      url: '/api/v1/attachments/:id',
      summary:
        'Download a file sent with a submission to your body (its id is in the submission’s file answer). Authorization: Bearer <your receive key>',
      tag: 'Submissions',
      ...(options.security ? { security: options.security } : {}),
      params: z.object({ id: z.string() }),
      response: z.unknown(),
      responseContent: { '*/*': { type: 'string', format: 'binary' } },
      handler: async ({ params }, request, reply) => {
        const caller = callers.get(request)!;
        const row = await findAttachmentRow(db, params.id);
        if (!row || !systemReadAccess(caller, row))
          throw notFound({ attachmentId: params.id, organisationId: caller.organisationId });
        const content = await openStored(store, row);
        await recordAudit(db, caller.actor, {
          action: SYSTEM_READ_ACTION,
          resourceType: 'attachment',
          resourceId: row.id,
          subjectUserId: row.owner_user_id,
          details: { submissionId: row.submission_id, filename: row.filename },
        });
        downloadHeaders(reply, row);
        return content;
      },
    });
  });
}
