import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../platform/errors/errors.js';
import { apiRoute } from '../../../platform/http/api.js';
import { KNOWN_TYPES } from '../sniff.js';
import { acceptUploads, receiveUpload, type UploadProblem } from '../upload.js';

/** Who is calling the API: the body whose key authenticated the request. */
export interface ApiUploader {
  organisationId: string;
}

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
      summary: `Upload one file (multipart/form-data, field "file", at most ${config.UPLOAD_MAX_BYTES} bytes) to send with a submission; its type is read from its content. Authorization: Bearer <API key>`,
      tag: 'Submissions',
      response: Uploaded,
      handler: async (_input, request) => {
        const caller = callers.get(request)!;
        const upload = await receiveUpload(request, {
          maxBytes: config.UPLOAD_MAX_BYTES,
          accept: API_ACCEPT,
          ownerUserId: null,
          uploaderOrganisationId: caller.organisationId,
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
