import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../platform/http/types.js';
import type { Sealer } from '../../../platform/keyring/keyring.js';
import { authenticate, type ApiCaller } from '../auth.js';
import { isUuid } from '../../../platform/validation/uuid.js';
import { letterSender, renderLetterPdf } from '../commands/letter-pdf.js';
import { sendNotification } from '../commands/send.js';
import {
  NOTIFICATION_STATUSES,
  NOTIFICATION_TYPES,
  type NotificationStatus,
  type NotificationType,
} from '../db/tables.js';
import { badRequest, noResultFound, NotifyError, validationError } from '../errors.js';
import {
  findNotification,
  listNotifications,
  serializeNotification,
} from '../queries/notifications.js';
import { findTemplate, listTemplates } from '../queries/templates.js';
import { bilingualContent, missingBilingual } from '../templates/bilingual.js';
import { emailHtml, type Personalisation } from '../templates/render.js';

/** A precompiled letter of 5 MB is about 6.7 MB in base64. */
const LETTER_BODY_LIMIT = 8 * 1024 * 1024;

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * The GOV.UK Notify-compatible API at `/v2`, in its own encapsulated plugin so its errors keep
 * Notify's envelope (`{"status_code", "errors": [{"error", "message"}]}`) rather than the app's.
 */
export function notifyApiRoutes(
  app: FastifyInstance,
  context: AppContext,
  sealingKey: Sealer,
): void {
  const callers = new WeakMap<FastifyRequest, ApiCaller>();
  const caller = (request: FastifyRequest) => callers.get(request)!;

  void app.register(
    async (v2) => {
      v2.setErrorHandler((error: FastifyError | NotifyError, request, reply: FastifyReply) => {
        if (error instanceof NotifyError) {
          request.log.info({ status: error.status, errors: error.errors }, 'notify api error');
          return reply.code(error.status).send(error.envelope());
        }
        const status = error.statusCode ?? 500;
        if (status === 400 && error.code?.startsWith('FST_ERR_CTP'))
          return reply.code(400).send(badRequest('Invalid JSON supplied in POST data').envelope());
        if (status === 413)
          return reply
            .code(413)
            .send(new NotifyError(413, 'BadRequestError', 'Request is too large').envelope());
        if (status === 415)
          return reply
            .code(415)
            .send(badRequest('Content type must be application/json', 415).envelope());
        if (status >= 400 && status < 500)
          return reply.code(status).send(badRequest(error.message, status).envelope());
        request.log.error({ err: error }, 'notify api failed');
        return reply.code(500).send({
          status_code: 500,
          errors: [{ error: 'Exception', message: 'Internal server error' }],
        });
      });
      v2.setNotFoundHandler((_request, reply) =>
        reply.code(404).send({
          status_code: 404,
          errors: [
            { error: 'NotFound', message: 'The requested URL was not found on the server.' },
          ],
        }),
      );
      // Before the body is read, as Notify authenticates before it parses anything.
      v2.addHook('onRequest', async (request) => {
        callers.set(
          request,
          await authenticate(context.db, sealingKey, request.headers.authorization),
        );
      });

      for (const type of NOTIFICATION_TYPES) {
        v2.post(
          `/notifications/${type}`,
          type === 'letter' ? { bodyLimit: LETTER_BODY_LIMIT } : {},
          async (request, reply) => {
            const body = request.body;
            if (!body || typeof body !== 'object' || Array.isArray(body))
              throw badRequest('Invalid JSON supplied in POST data');
            const response = await sendNotification(
              {
                db: context.db,
                config: context.config,
                baseUrl: origin(request),
                wakeOutbox: context.wakeOutbox,
              },
              caller(request),
              type,
              body as Record<string, unknown>,
            );
            return reply.code(201).send(response);
          },
        );
      }

      v2.get('/notifications/:id', async (request) => {
        const { id } = request.params as { id: string };
        if (!isUuid(id)) throw validationError(['notification_id is not a valid UUID']);
        const row = await findNotification(
          context.db,
          caller(request).service.id,
          id.toLowerCase(),
        );
        if (!row) throw noResultFound();
        return serializeNotification(row, origin(request));
      });

      v2.get('/notifications/:id/pdf', async (request, reply) => {
        const { id } = request.params as { id: string };
        if (!isUuid(id)) throw validationError(['notification_id is not a valid UUID']);
        const row = await context.db
          .selectFrom('notify_notifications')
          .selectAll()
          .where('id', '=', id.toLowerCase())
          .where('service_id', '=', caller(request).service.id)
          .executeTakeFirst();
        if (!row) throw noResultFound();
        if (row.type !== 'letter') throw badRequest(`Notification is not a letter`);
        const pdf = row.precompiled_pdf
          ? Buffer.from(row.precompiled_pdf)
          : renderLetterPdf({
              addressLines: row.address_lines ?? [],
              subject: row.subject,
              body: row.body,
              date: row.created_at,
              sender: await letterSender(context.db, row.service_id),
            });
        return reply.type('application/pdf').send(pdf);
      });

      v2.get('/notifications', async (request) => {
        const query = request.query as Record<string, unknown>;
        const problems: string[] = [];
        const templateTypes = list(query.template_type);
        for (const t of templateTypes)
          if (!(NOTIFICATION_TYPES as readonly string[]).includes(t))
            problems.push(`template_type ${t} is not one of [${NOTIFICATION_TYPES.join(', ')}]`);
        const statuses = list(query.status);
        for (const s of statuses)
          if (!(NOTIFICATION_STATUSES as readonly string[]).includes(s))
            problems.push(`status ${s} is not one of [${NOTIFICATION_STATUSES.join(', ')}]`);
        const olderThan = list(query.older_than)[0];
        if (olderThan !== undefined && !isUuid(olderThan))
          problems.push('older_than is not a valid UUID');
        if (problems.length) throw validationError(problems);
        const reference = list(query.reference)[0];
        const { service, key } = caller(request);
        const rows = await listNotifications(context.db, service.id, key.key_type, {
          templateTypes: templateTypes as NotificationType[],
          statuses: statuses as NotificationStatus[],
          reference,
          olderThan: olderThan?.toLowerCase(),
        });
        const params = new URLSearchParams();
        for (const t of templateTypes) params.append('template_type', t);
        for (const s of statuses) params.append('status', s);
        if (reference !== undefined) params.set('reference', reference);
        const link = (extra?: string) => {
          const p = new URLSearchParams(params);
          if (extra) p.set('older_than', extra);
          else if (olderThan) p.set('older_than', olderThan);
          const qs = p.toString();
          return `${origin(request)}/v2/notifications${qs ? `?${qs}` : ''}`;
        };
        const links: Record<string, string> = { current: link() };
        if (rows.length) links.next = link(rows.at(-1)!.id);
        return {
          notifications: rows.map((row) => serializeNotification(row, origin(request))),
          links,
        };
      });

      v2.get('/template/:id', async (request) => {
        const { id } = request.params as { id: string };
        if (!isUuid(id)) throw validationError(['id is not a valid UUID']);
        const template = await findTemplate(
          context.db,
          caller(request).service.id,
          id.toLowerCase(),
        );
        if (!template) throw noResultFound();
        const { archived: _archived, ...response } = template;
        return response;
      });

      v2.get('/template/:id/version/:version', async (request) => {
        const { id, version } = request.params as { id: string; version: string };
        const problems: string[] = [];
        if (!isUuid(id)) problems.push('id is not a valid UUID');
        if (!/^\d+$/.test(version))
          problems.push(`version ${version} is not of type integer, null`);
        if (problems.length) throw validationError(problems);
        const template = await findTemplate(
          context.db,
          caller(request).service.id,
          id.toLowerCase(),
          Number(version),
        );
        if (!template) throw noResultFound();
        const { archived: _archived, ...response } = template;
        return response;
      });

      v2.get('/templates', async (request) => {
        const type = list((request.query as Record<string, unknown>).type)[0];
        if (type !== undefined && !(NOTIFICATION_TYPES as readonly string[]).includes(type))
          throw validationError([`type ${type} is not one of [${NOTIFICATION_TYPES.join(', ')}]`]);
        return {
          templates: await listTemplates(
            context.db,
            caller(request).service.id,
            type as NotificationType,
          ),
        };
      });

      v2.post('/template/:id/preview', async (request) => {
        const { id } = request.params as { id: string };
        if (!isUuid(id)) throw validationError(['id is not a valid UUID']);
        const body = (request.body ?? {}) as Record<string, unknown>;
        const personalisation = body.personalisation ?? {};
        if (
          personalisation === null ||
          typeof personalisation !== 'object' ||
          Array.isArray(personalisation)
        )
          throw validationError([
            `personalisation ${JSON.stringify(personalisation)} is not of type object`,
          ]);
        const template = await findTemplate(
          context.db,
          caller(request).service.id,
          id.toLowerCase(),
        );
        if (!template) throw noResultFound();
        const values = personalisation as Personalisation;
        const missing = missingBilingual(template, values);
        if (missing.length) throw badRequest(`Missing personalisation: ${missing.join(', ')}`);
        // A template with a Welsh version previews as it sends: both languages, Welsh first.
        const content = bilingualContent(template, values);
        return {
          id: template.id,
          type: template.type,
          version: template.version,
          body: content.body,
          subject: content.subject,
          html:
            template.type === 'email'
              ? emailHtml(bilingualContent(template, {}).body, values)
              : null,
          postage: template.postage,
        };
      });

      v2.get('/received-text-messages', async (request) => ({
        received_text_messages: [],
        links: { current: `${origin(request)}/v2/received-text-messages` },
      }));
    },
    { prefix: '/v2' },
  );
}
