import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import { notFound, type FieldError } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatDateTime } from '../../../../platform/i18n/i18n.js';
import {
  administeredOrganisation,
  isPlatformAdmin,
  organisationAdminIndex,
  type OrganisationAdminArea,
} from '../../../identity/index.js';
import type { OrganisationRow } from '../../../organisations/index.js';
import { HUB_KEY_SCOPES, type HubKeyScope } from '../../db/tables.js';
import {
  activeSecrets,
  findDelivery,
  retireOldSecrets,
  rotateWebhookSecret,
  setDelivery,
  type DeliveryMode,
} from '../../hub/delivery.js';
import { createHubKey, findHubKey, listHubKeys, revokeHubKey } from '../../hub/keys.js';
import { mayAdministerHub } from '../../policies/hub.js';
import { countWaiting } from '../../queries/submissions.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

const view = (name: string) => `modules/submissions/pages/hub-admin/${name}.njk`;
const MODES: readonly DeliveryMode[] = ['casework', 'push', 'pull'];
const HUB_AREA: OrganisationAdminArea = {
  path: '/admin/hub',
  may: mayAdministerHub,
  activity: 'hub set-up',
};

/**
 * The hub's admin pages: a body's admins (and platform admins, for every body) issue and
 * revoke its hub API keys, choose how its submissions are delivered (casework, a signed
 * webhook, or the pull inbox) and rotate the webhook's signing secret. A key or secret is
 * shown once, on the page that made it. Every change goes through a command that audits it.
 */
export function hubAdminRoutes(app: FastifyInstance, { db, config, wakeOutbox }: AppContext): void {
  const organisationFor = (request: FastifyRequest, reply: FastifyReply) =>
    administeredOrganisation(db, HUB_AREA, request, reply);

  function actor(request: FastifyRequest, user: CurrentUser, organisation: OrganisationRow): Actor {
    const own = user.organisationId === organisation.id;
    return {
      userId: user.id,
      organisationId: user.organisationId,
      role: own ? 'admin' : 'platform-admin',
      requestId: request.id,
    };
  }

  organisationAdminIndex(app, db, HUB_AREA, view('organisations'));

  app.get('/admin/hub/:org', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const id = found.organisation.id;
    const [delivery, secrets, keys, waiting] = await Promise.all([
      findDelivery(db, id),
      activeSecrets(db, id),
      listHubKeys(db, id),
      countWaiting(db, id),
    ]);
    const query = request.query as { done?: string };
    const mode = delivery?.mode ?? 'casework';
    const t = request.t;
    const rows = [
      {
        key: { text: t('submissions.hub.overview.mode') },
        value: { text: t(`submissions.hub.mode.${mode}`) },
        actions: {
          items: [
            {
              href: `${found.base}/delivery`,
              text: t('submissions.hub.overview.change'),
              visuallyHiddenText: t('submissions.hub.overview.mode'),
            },
          ],
        },
      },
      ...(delivery?.mode === 'push'
        ? [
            {
              key: { text: t('submissions.hub.overview.webhook') },
              value: { text: delivery.webhook_url ?? '' },
            },
            {
              key: { text: t('submissions.hub.overview.alerts') },
              value: { text: delivery.alert_email ?? '' },
            },
          ]
        : []),
      {
        key: { text: t('submissions.hub.overview.waiting') },
        value: {
          text: [
            t('submissions.hub.overview.waitingCount', { count: waiting.count }),
            waiting.oldest
              ? t('submissions.hub.overview.waitingSince', {
                  date: formatDateTime(waiting.oldest, request.locale),
                })
              : '',
          ].join(' '),
        },
      },
    ];
    return reply.view(view('overview'), {
      ...found,
      mode,
      rows,
      secrets: secrets.map((s, index) => ({ ...s, current: index === 0 })),
      keys,
      waiting,
      done: ['delivery', 'revoked', 'retired'].includes(query.done ?? '') ? query.done : undefined,
      backLink: isPlatformAdmin(found.user) ? '/admin/hub' : undefined,
    });
  });

  // API keys ---------------------------------------------------------------------------------

  app.get('/admin/hub/:org/keys/new', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    return reply.view(view('key-new'), {
      ...found,
      values: {},
      fieldErrors: {},
      mayIntermediate: isPlatformAdmin(found.user),
      backLink: found.base,
    });
  });

  app.post('/admin/hub/:org/keys', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const values = { name: formText(request.body, 'name'), scope: formText(request.body, 'scope') };
    // Acting for people at any body is a platform admin's decision, not the body's own.
    const scopes: readonly string[] = isPlatformAdmin(found.user)
      ? HUB_KEY_SCOPES
      : HUB_KEY_SCOPES.filter((s) => s !== 'submit-any');
    const errors: FieldError[] = [];
    if (!values.name) errors.push({ field: 'name', message: 'submissions.hub.error.keyName' });
    else if (values.name.length > 100)
      errors.push({ field: 'name', message: 'submissions.hub.error.keyNameLong' });
    if (!scopes.includes(values.scope))
      errors.push({ field: 'scope', message: 'submissions.hub.error.scope' });
    if (errors.length)
      return reply.code(400).view(view('key-new'), {
        ...found,
        values,
        mayIntermediate: isPlatformAdmin(found.user),
        backLink: found.base,
        ...errorView(errors, request.t),
      });
    const created = await db.transaction().execute((trx) =>
      createHubKey(
        trx,
        {
          organisationId: found.organisation.id,
          name: values.name,
          scope: values.scope as HubKeyScope,
          createdBy: found.user.id,
        },
        actor(request, found.user, found.organisation),
      ),
    );
    // The key is shown this once, in this response, and is kept nowhere it could be read again.
    reply.header('cache-control', 'no-store');
    return reply.code(201).view(view('key-created'), {
      ...found,
      name: values.name,
      scope: values.scope,
      key: created.key,
    });
  });

  async function keyFor(organisationId: string, id: string) {
    const key = isUuid(id) ? await findHubKey(db, organisationId, id) : undefined;
    if (!key || key.revoked_at) throw notFound({ keyId: id });
    return key;
  }

  app.get('/admin/hub/:org/keys/:id/revoke', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const key = await keyFor(found.organisation.id, (request.params as { id: string }).id);
    return reply.view(view('key-revoke'), { ...found, key, backLink: found.base });
  });

  app.post('/admin/hub/:org/keys/:id/revoke', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const key = await keyFor(found.organisation.id, (request.params as { id: string }).id);
    await db
      .transaction()
      .execute((trx) =>
        revokeHubKey(
          trx,
          { organisationId: found.organisation.id, keyId: key.id },
          actor(request, found.user, found.organisation),
        ),
      );
    return reply.redirect(`${found.base}?done=revoked`, 303);
  });

  // Delivery and signing secrets ----------------------------------------------------------------

  app.get('/admin/hub/:org/delivery', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const delivery = await findDelivery(db, found.organisation.id);
    return reply.view(view('delivery'), {
      ...found,
      values: {
        mode: delivery?.mode ?? 'casework',
        webhookUrl: delivery?.webhook_url ?? '',
        alertEmail: delivery?.alert_email ?? found.user.email,
      },
      fieldErrors: {},
      backLink: found.base,
    });
  });

  app.post('/admin/hub/:org/delivery', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const values = {
      mode: formText(request.body, 'mode'),
      webhookUrl: formText(request.body, 'webhookUrl'),
      alertEmail: formText(request.body, 'alertEmail'),
    };
    const mode = MODES.find((m) => m === values.mode);
    const outcome = mode
      ? await db
          .transaction()
          .execute((trx) =>
            setDelivery(
              trx,
              config,
              found.organisation.id,
              { mode, webhookUrl: values.webhookUrl, alertEmail: values.alertEmail },
              actor(request, found.user, found.organisation),
            ),
          )
      : { ok: false as const, errors: [{ field: 'mode', message: 'submissions.hub.error.mode' }] };
    if (!outcome.ok)
      return reply.code(400).view(view('delivery'), {
        ...found,
        values,
        backLink: found.base,
        ...errorView(outcome.errors, request.t),
      });
    wakeOutbox();
    if (!outcome.secret) return reply.redirect(`${found.base}?done=delivery`, 303);
    reply.header('cache-control', 'no-store');
    return reply.code(201).view(view('secret'), { ...found, secret: outcome.secret, first: true });
  });

  app.post('/admin/hub/:org/secrets', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const secret = await db
      .transaction()
      .execute((trx) =>
        rotateWebhookSecret(
          trx,
          config,
          found.organisation.id,
          actor(request, found.user, found.organisation),
        ),
      );
    reply.header('cache-control', 'no-store');
    return reply.code(201).view(view('secret'), { ...found, secret, first: false });
  });

  app.post('/admin/hub/:org/secrets/retire', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    await db
      .transaction()
      .execute((trx) =>
        retireOldSecrets(
          trx,
          found.organisation.id,
          actor(request, found.user, found.organisation),
        ),
      );
    return reply.redirect(`${found.base}?done=retired`, 303);
  });
}
