import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatDateTime } from '../../../../platform/i18n/i18n.js';
import { hasRole, requireSignIn } from '../../../identity/index.js';
import { humanSize } from '../../attachments.js';
import { deleteForRecipient, markRead, reply as sendReply } from '../../commands/messages.js';
import { canReply } from '../../policies/inbox.js';
import {
  attachmentForRecipient,
  listForRecipient,
  openAsRecipient,
  unreadCount,
  type OpenedMessage,
} from '../../queries/messages.js';
import { actorOf, inboxErrorView, paragraphs, sendAttachment } from '../shared.js';

const LIST = 'modules/inbox/pages/citizen/list.njk';
const MESSAGE = 'modules/inbox/pages/citizen/message.njk';
const DELETE = 'modules/inbox/pages/citizen/delete.njk';

/** The signed-in person (staff have no inbox of their own: caseworkers go to their body's). */
function requirePerson(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (user.kind !== 'citizen') {
    if (hasRole(user, 'caseworker')) {
      void reply.redirect('/inbox/staff', 303);
      return null;
    }
    throw notFound({ reason: 'staff have no personal inbox', userId: user.id });
  }
  return user;
}

/** From, sent and the application it is about, for the GOV.UK summary list. */
function summaryRows(request: FastifyRequest, opened: OpenedMessage) {
  const t = request.t;
  return [
    { key: { text: t('inbox.message.from') }, value: { text: opened.organisationName } },
    {
      key: { text: t('inbox.message.sent') },
      value: { text: formatDateTime(opened.message.sent_at, request.locale) },
    },
    ...(opened.message.submission_reference
      ? [
          {
            key: { text: t('inbox.message.reference') },
            value: { text: opened.message.submission_reference },
          },
        ]
      : []),
  ];
}

/** The account inbox: a person's messages from public bodies, read, replied to and deleted. */
export function citizenInboxRoutes(app: FastifyInstance, { db }: AppContext): void {
  app.get('/inbox', async (request, reply) => {
    const user = requirePerson(request, reply);
    if (!user) return reply;
    const [messages, unread] = await Promise.all([
      listForRecipient(db, user, request.locale),
      unreadCount(db, user.id),
    ]);
    const deleted = (request.query as { deleted?: string }).deleted === '1';
    return reply.view(LIST, { messages, unread, deleted });
  });

  async function renderMessage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    extra: Record<string, unknown> = {},
  ) {
    const { id } = request.params as { id: string };
    const opened = await openAsRecipient(db, user, id, request.locale);
    return reply.view(MESSAGE, {
      ...opened,
      rows: summaryRows(request, opened),
      body: paragraphs(opened.message.body),
      replies: opened.replies.map((r) => ({ ...r, paragraphs: paragraphs(r.body) })),
      attachments: opened.attachments.map((a) => ({ ...a, size: humanSize(a.size_bytes) })),
      mayReply: canReply(user, opened.message),
      replied: (request.query as { replied?: string }).replied === '1',
      values: {},
      fieldErrors: {},
      backLink: '/inbox',
      ...extra,
    });
  }

  app.get('/inbox/:id', async (request, reply) => {
    const user = requirePerson(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    await openAsRecipient(db, user, id, request.locale);
    await db.transaction().execute((trx) => markRead(trx, user, id, actorOf(request, user)));
    return renderMessage(request, reply, user);
  });

  app.post('/inbox/:id/reply', async (request, reply) => {
    const user = requirePerson(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    await openAsRecipient(db, user, id, request.locale);
    const text = formText(request.body, 'reply');
    const outcome = await db
      .transaction()
      .execute((trx) => sendReply(trx, user, id, text, actorOf(request, user)));
    if (!outcome.ok)
      return renderMessage(request, reply.code(400), user, {
        values: { reply: text },
        ...inboxErrorView(outcome.errors, request.t),
      });
    return reply.redirect(`/inbox/${id}?replied=1#replies`, 303);
  });

  app.get('/inbox/:id/attachments/:attachmentId', async (request, reply) => {
    const user = requirePerson(request, reply);
    if (!user) return reply;
    const { id, attachmentId } = request.params as { id: string; attachmentId: string };
    return sendAttachment(reply, await attachmentForRecipient(db, user, id, attachmentId));
  });

  app.get('/inbox/:id/delete', async (request, reply) => {
    const user = requirePerson(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const opened = await openAsRecipient(db, user, id, request.locale);
    return reply.view(DELETE, { ...opened, backLink: `/inbox/${id}` });
  });

  app.post('/inbox/:id/delete', async (request, reply) => {
    const user = requirePerson(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    await openAsRecipient(db, user, id, request.locale);
    await db
      .transaction()
      .execute((trx) => deleteForRecipient(trx, user, id, actorOf(request, user)));
    return reply.redirect('/inbox?deleted=1', 303);
  });
}
