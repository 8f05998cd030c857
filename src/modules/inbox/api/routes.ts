import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../platform/errors/errors.js';
import { apiRoute, ApiValidationError } from '../../../platform/http/api.js';
import type { AppContext } from '../../../platform/http/types.js';
import { authenticateNotifyRequest } from '../../notify/index.js';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, type UploadedFile } from '../attachments.js';
import { sendByApi } from '../commands/messages.js';

/** Five 2 MB attachments in base64 (4/3 larger) and the text, with room to spare. */
const API_BODY_LIMIT = Math.ceil((MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES * 4) / 3) + 1024 * 1024;

const MESSAGES_PATH = '/api/v1/inbox/messages';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const NewMessage = z
  .object({
    email_address: z.email().optional(),
    submission_reference: z.string().min(1).optional(),
    subject: z.string(),
    body: z.string(),
    replies_allowed: z.boolean().default(false),
    attachments: z
      .array(
        z.object({
          filename: z.string().min(1).max(200),
          content_base64: z.string().min(1),
        }),
      )
      .max(MAX_ATTACHMENTS)
      .default([]),
  })
  .strict();

const Created = z.object({ id: z.uuid() });

/** The key that authenticated this request: the organisation it belongs to. */
const callers = new WeakMap<FastifyRequest, { organisationId: string; keyId: string }>();

/**
 * `POST /api/v1/inbox/messages`: a body's own system puts a message in a person's account,
 * authenticated with a live GOV.UK Notify-style API key of that body (the same JWT as `/v2`).
 */
export function inboxApiRoutes(app: FastifyInstance, { db, config, wakeOutbox }: AppContext) {
  // Before the body is read: an unauthenticated caller cannot make us read 14 MB.
  async function authenticateCaller(request: FastifyRequest) {
    const caller = await authenticateNotifyRequest(db, config, request.headers.authorization);
    if (!caller.ok) throw new AppError(caller.error, caller.status, caller.message);
    if (caller.keyType !== 'normal')
      throw new AppError(
        'AuthError',
        403,
        'Only a live API key can send to a person’s inbox: team and test keys cannot',
      );
    callers.set(request, { organisationId: caller.organisationId, keyId: caller.keyId });
  }
  // apiRoute takes no route options: this route's own body limit (attachments come as base64)
  // and key check are added as it is registered.
  app.addHook('onRoute', (route) => {
    if (route.url !== MESSAGES_PATH || route.method !== 'POST') return;
    route.bodyLimit = API_BODY_LIMIT;
    const existing = route.onRequest ? [route.onRequest].flat() : [];
    route.onRequest = [...existing, authenticateCaller];
  });

  apiRoute(app, {
    method: 'POST',
    url: MESSAGES_PATH,
    summary:
      'Put a message (with PDF, PNG or JPEG attachments of up to 2 MB) in a person’s account; they are e-mailed only that a message is waiting. Authorization: Bearer <Notify JWT of a live key>',
    tag: 'Inbox',
    body: NewMessage,
    response: Created,
    handler: async ({ body }, request) => {
      const caller = callers.get(request)!;
      const files: UploadedFile[] = body.attachments.map((file, i) => {
        const text = file.content_base64.replace(/\s+/g, '');
        if (!BASE64.test(text) || text.length % 4 === 1)
          throw new ApiValidationError([
            { field: `body.attachments.${i}.content_base64`, message: 'is not valid base64' },
          ]);
        return { filename: file.filename, content: Buffer.from(text, 'base64') };
      });
      const outcome = await db.transaction().execute((trx) =>
        sendByApi(
          trx,
          caller,
          {
            emailAddress: body.email_address,
            submissionReference: body.submission_reference,
            subject: body.subject.trim(),
            body: body.body.trim(),
            repliesAllowed: body.replies_allowed,
            files,
          },
          config.baseUrl,
        ),
      );
      if (!outcome.ok)
        throw new ApiValidationError(
          outcome.errors.map((e) => ({
            field: `body.${e.field}`,
            message: request.t(e.message, e.values),
          })),
        );
      wakeOutbox();
      return { id: outcome.message.id };
    },
  });
}
