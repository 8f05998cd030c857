import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatDateTime } from '../../../../platform/i18n/i18n.js';
import { findUserById, requireSignIn } from '../../../identity/index.js';
import { humanSize, type UploadedFile } from '../../attachments.js';
import { sendAsStaff } from '../../commands/messages.js';
import { canSendForOrganisation } from '../../policies/inbox.js';
import {
  attachmentForStaff,
  listForOrganisation,
  openAsStaff,
  type OpenedMessage,
} from '../../queries/messages.js';
import {
  acceptMultipart,
  actorOf,
  inboxErrorView,
  MULTIPART_LIMIT,
  paragraphs,
  sendAttachment,
} from '../shared.js';

const SENT = 'modules/inbox/pages/staff/sent.njk';
const NEW = 'modules/inbox/pages/staff/new.njk';
const MESSAGE = 'modules/inbox/pages/staff/message.njk';

type Caseworker = CurrentUser & { organisationId: string };

function requireCaseworker(request: FastifyRequest, reply: FastifyReply): Caseworker | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (!canSendForOrganisation(user))
    throw notFound({ reason: 'not a caseworker', userId: user.id });
  return user;
}

const actor = (request: FastifyRequest, user: CurrentUser) => actorOf(request, user, 'caseworker');

function staffRows(request: FastifyRequest, opened: OpenedMessage, recipientName: string) {
  const { t, locale } = request;
  const { message } = opened;
  const row = (key: string, text: string) => ({ key: { text: t(key) }, value: { text } });
  return [
    row('inbox.staff.message.to', recipientName),
    ...(message.submission_reference
      ? [row('inbox.message.reference', message.submission_reference)]
      : []),
    row('inbox.message.sent', formatDateTime(message.sent_at, locale)),
    row(
      'inbox.staff.message.read',
      message.read_at ? formatDateTime(message.read_at, locale) : t('inbox.staff.status.unread'),
    ),
    row(
      'inbox.staff.message.repliesAllowed',
      t(message.replies_allowed ? 'inbox.staff.yes' : 'inbox.staff.no'),
    ),
    ...(message.recipient_deleted_at
      ? [
          row(
            'inbox.staff.message.deletedByRecipient',
            formatDateTime(message.recipient_deleted_at, locale),
          ),
        ]
      : []),
  ];
}

/**
 * The sending body's side of the inbox: its caseworkers send a message to the applicant of one
 * of its applications, see what was sent, and read the replies (every read audited).
 */
export function staffInboxRoutes(app: FastifyInstance, { db, config, wakeOutbox }: AppContext) {
  app.get('/inbox/staff', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const messages = await listForOrganisation(db, user.organisationId, request.locale);
    const sent = (request.query as { sent?: string }).sent === '1';
    return reply.view(SENT, { messages, sent });
  });

  app.get('/inbox/staff/messages/:id', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const opened = await db
      .transaction()
      .execute((trx) => openAsStaff(trx, user, id, request.locale, actor(request, user)));
    const recipient = await findUserById(db, opened.message.recipient_user_id);
    return reply.view(MESSAGE, {
      ...opened,
      rows: staffRows(request, opened, recipient?.display_name ?? '—'),
      recipientName: recipient?.display_name ?? '—',
      body: paragraphs(opened.message.body),
      replies: opened.replies.map((r) => ({ ...r, paragraphs: paragraphs(r.body) })),
      attachments: opened.attachments.map((a) => ({ ...a, size: humanSize(a.size_bytes) })),
      backLink: '/inbox/staff',
    });
  });

  app.get('/inbox/staff/messages/:id/attachments/:attachmentId', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const { id, attachmentId } = request.params as { id: string; attachmentId: string };
    const file = await db
      .transaction()
      .execute((trx) => attachmentForStaff(trx, user, id, attachmentId, actor(request, user)));
    return sendAttachment(reply, file);
  });

  function renderNew(reply: FastifyReply, values: Record<string, unknown>, extra = {}) {
    return reply.view(NEW, { values, fieldErrors: {}, backLink: '/inbox/staff', ...extra });
  }

  app.get('/inbox/staff/new', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    return renderNew(reply, { reference: formText(request.query, 'reference') });
  });

  // "Send a message" takes files, so it reads multipart/form-data: only in this scope.
  void app.register(async (scope) => {
    acceptMultipart(scope);
    // Before the body is read: only a caseworker may make us read up to 11 MB.
    scope.addHook('onRequest', async (request, reply) => {
      if (!requireCaseworker(request, reply)) return reply;
    });
    scope.post('/inbox/staff/new', { bodyLimit: MULTIPART_LIMIT }, async (request, reply) => {
      const user = requireCaseworker(request, reply);
      if (!user) return reply;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const files = Array.isArray(body.files) ? (body.files as UploadedFile[]) : [];
      const input = {
        reference: formText(body, 'reference'),
        subject: formText(body, 'subject'),
        body: formText(body, 'body'),
        repliesAllowed: formText(body, 'repliesAllowed') === 'yes',
        files,
      };
      const outcome = await db
        .transaction()
        .execute((trx) => sendAsStaff(trx, user, input, actor(request, user), config.baseUrl));
      if (!outcome.ok)
        return renderNew(
          reply.code(400),
          { ...input, files: undefined },
          inboxErrorView(outcome.errors, request.t),
        );
      wakeOutbox();
      return reply.redirect('/inbox/staff?sent=1', 303);
    });
  });
}
