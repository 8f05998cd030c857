import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import {
  administeredOrganisation,
  organisationAdminIndex,
  type AdministeredOrganisation,
  type OrganisationAdminArea,
} from '../../../identity/index.js';
import { paymentSettings, setMotoAllowed } from '../../commands/settings.js';
import { createPayKey, listPayKeys, revokePayKey } from '../../keys.js';
import { mayAdministerPayments } from '../../policies/payments.js';
import { reconciliationRoutes } from './reconciliation.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

const view = (name: string) => `modules/payments/pages/admin/${name}.njk`;
const AREA: OrganisationAdminArea = {
  path: '/admin/payments',
  may: mayAdministerPayments,
  activity: 'payments keys and reconciliation',
};

function actorOf(request: FastifyRequest, found: AdministeredOrganisation): Actor {
  const own = found.user.organisationId === found.organisation.id;
  return {
    userId: found.user.id,
    organisationId: found.user.organisationId,
    role: own ? 'admin' : 'platform-admin',
    requestId: request.id,
  };
}

/**
 * The payments admin pages: a body's admins (and platform admins) make and revoke its payments
 * API keys (a key is shown once, on the page that made it; every change is audited), choose
 * whether it takes card payments over the phone (MOTO; audited) and see its daily reconciliation.
 */
export function paymentsAdminRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  organisationAdminIndex(app, db, AREA, view('organisations'));
  reconciliationRoutes(app, context, AREA);

  async function keysPage(request: FastifyRequest, found: AdministeredOrganisation, extra = {}) {
    return {
      ...found,
      keys: await listPayKeys(db, found.organisation.id),
      motoAllowed: (await paymentSettings(db, found.organisation.id)).motoAllowed,
      values: {},
      fieldErrors: {},
      revoked: (request.query as { done?: string }).done === 'revoked',
      settingsSaved: (request.query as { done?: string }).done === 'settings',
      ...extra,
    };
  }

  app.get('/admin/payments/:org', async (request, reply) => {
    const found = await administeredOrganisation(db, AREA, request, reply);
    if (!found) return reply;
    return reply.view(view('keys'), await keysPage(request, found));
  });

  app.post('/admin/payments/:org/keys', async (request, reply) => {
    const found = await administeredOrganisation(db, AREA, request, reply);
    if (!found) return reply;
    const name = formText(request.body, 'name');
    const problem = !name
      ? 'payments.admin.errors.nameRequired'
      : name.length > 100
        ? 'payments.admin.errors.nameTooLong'
        : null;
    if (problem)
      return reply.code(400).view(
        view('keys'),
        await keysPage(request, found, {
          values: { name },
          ...errorView([{ field: 'name', message: problem }], request.t),
        }),
      );
    const created = await db
      .transaction()
      .execute((trx) =>
        createPayKey(
          trx,
          { organisationId: found.organisation.id, name, createdBy: found.user.id },
          actorOf(request, found),
        ),
      );
    return reply.view(view('key-created'), { ...found, name, key: created.key });
  });

  app.post('/admin/payments/:org/settings', async (request, reply) => {
    const found = await administeredOrganisation(db, AREA, request, reply);
    if (!found) return reply;
    const answer = formText(request.body, 'motoAllowed');
    if (answer !== 'yes' && answer !== 'no')
      return reply.code(400).view(
        view('keys'),
        await keysPage(request, found, {
          ...errorView(
            [{ field: 'motoAllowed', message: 'payments.admin.errors.motoAllowed' }],
            request.t,
          ),
        }),
      );
    await db.transaction().execute((trx) =>
      setMotoAllowed(
        trx,
        {
          organisationId: found.organisation.id,
          allowed: answer === 'yes',
          userId: found.user.id,
        },
        actorOf(request, found),
      ),
    );
    return reply.redirect(`${found.base}?done=settings`, 303);
  });

  app.post('/admin/payments/:org/keys/:id/revoke', async (request, reply) => {
    const found = await administeredOrganisation(db, AREA, request, reply);
    if (!found) return reply;
    const { id } = request.params as { id: string };
    if (isUuid(id))
      await db
        .transaction()
        .execute((trx) =>
          revokePayKey(
            trx,
            { organisationId: found.organisation.id, keyId: id },
            actorOf(request, found),
          ),
        );
    return reply.redirect(`${found.base}?done=revoked`, 303);
  });
}
