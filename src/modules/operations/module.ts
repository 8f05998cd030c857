import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../platform/audit/audit.js';
import { notFound } from '../../platform/errors/errors.js';
import type { ModuleManifest } from '../../platform/http/types.js';
import { listDeadLetters, outboxSummary, retryDeadLetter } from '../../platform/outbox/outbox.js';
import { isPlatformAdmin, requireSignIn } from '../identity/index.js';
import { mailboxRoutes } from './pages/mailbox/routes.js';

const OUTBOX = 'modules/operations/pages/outbox/outbox.njk';

function requirePlatformAdmin(request: FastifyRequest, reply: FastifyReply) {
  const user = requireSignIn(request, reply);
  if (user && !isPlatformAdmin(user))
    throw notFound({ reason: 'not a platform admin', userId: user.id });
  return user;
}

/**
 * Running the platform: the outbox's backlog and its dead letters, which an admin can send again,
 * and the development mailbox (`/dev/mailbox`) while no SMTP server is configured.
 */
export const operationsModule: ModuleManifest = {
  name: 'operations',
  navigation: [{ text: 'operations.nav', href: '/admin/outbox', visibleTo: isPlatformAdmin }],
  routes(app, context) {
    const { db, wakeOutbox } = context;
    mailboxRoutes(app, context);
    app.get('/admin/outbox', async (request, reply) => {
      if (!requirePlatformAdmin(request, reply)) return reply;
      const retried = (request.query as { retried?: string }).retried;
      return reply.view(OUTBOX, {
        summary: await outboxSummary(db),
        deadLetters: await listDeadLetters(db),
        retried: retried && /^\d+$/.test(retried) ? retried : undefined,
        mailboxOn: !context.config.SMTP_URL,
      });
    });

    app.post('/admin/outbox/:id/retry', async (request, reply) => {
      const user = requirePlatformAdmin(request, reply);
      if (!user) return reply;
      const id = Number((request.params as { id: string }).id);
      if (!Number.isSafeInteger(id)) throw notFound();
      const retried = await db.transaction().execute(async (trx) => {
        const done = await retryDeadLetter(trx, id);
        if (done) {
          await recordAudit(
            trx,
            {
              userId: user.id,
              organisationId: user.organisationId,
              role: 'platform-admin',
              requestId: request.id,
            },
            {
              action: 'outbox.retried',
              resourceType: 'outbox',
              resourceId: String(id),
              subjectUserId: null,
            },
          );
        }
        return done;
      });
      if (!retried) throw notFound({ outboxId: id });
      wakeOutbox();
      return reply.redirect(`/admin/outbox?retried=${id}`, 303);
    });
  },
};
