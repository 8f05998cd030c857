import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { pounds } from '../../commands/mail.js';
import {
  changeResource,
  createResource,
  readResourceForm,
  RESOURCE_FIELDS,
  WEEKDAYS,
  withdrawResource,
  type ResourceForm,
} from '../../commands/resources.js';
import { RESOURCE_KINDS } from '../../db/tables.js';
import { isBodyStaff, mayManageResources } from '../../policies/bookings.js';
import { resourceFormValues } from '../../queries/manage.js';
import { findResourceById, resourcesOf, type ResourceView } from '../../queries/resources.js';
import { actorOf } from '../shared.js';

const LIST_VIEW = 'modules/bookings/pages/resources/list.njk';
const FORM_VIEW = 'modules/bookings/pages/resources/form.njk';
const WITHDRAW_VIEW = 'modules/bookings/pages/resources/withdraw.njk';
const LIST = '/staff/bookings/resources';

function signedInStaff(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (!isBodyStaff(user)) throw notFound();
  return user;
}

/** Staff who may set up their own body's resources; anyone else is told there is no such page. */
function manager(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = signedInStaff(request, reply);
  if (user && !mayManageResources(user, user.organisationId!)) throw notFound();
  return user;
}

/** A resource of the manager's own body: another body's is a 404, as is a bad id. */
async function managedResource(
  context: AppContext,
  request: FastifyRequest,
  user: CurrentUser,
): Promise<ResourceView> {
  const { id } = request.params as { id: string };
  const resource = await findResourceById(context.db, id, request.locale);
  if (!resource || !mayManageResources(user, resource.organisationId))
    throw notFound({ resource: id });
  return resource;
}

function postedForm(request: FastifyRequest): ResourceForm {
  return Object.fromEntries(RESOURCE_FIELDS.map((f) => [f, formText(request.body, f)]));
}

function formModel(request: FastifyRequest, values: ResourceForm, action: string) {
  return {
    values,
    action,
    kinds: RESOURCE_KINDS.map((kind) => ({
      value: kind,
      text: request.t(`bookings.kind.${kind}`),
      checked: values.kind === kind,
    })),
    weekdays: WEEKDAYS.map((day) => ({ day, name: request.t(`bookings.manage.weekday${day}`) })),
    backLink: LIST,
  };
}

export function resourceManagementRoutes(app: FastifyInstance, context: AppContext): void {
  app.get(LIST, async (request, reply) => {
    const user = signedInStaff(request, reply);
    if (!user) return reply;
    const resources = await resourcesOf(context.db, user.organisationId!, request.locale);
    const done = (request.query as { done?: unknown }).done;
    return reply.view(LIST_VIEW, {
      resources: resources.map((r) => ({
        ...r,
        price: r.pricePence > 0 ? pounds(r.pricePence) : request.t('bookings.free'),
      })),
      mayManage: mayManageResources(user, user.organisationId!),
      done:
        typeof done === 'string' && ['added', 'changed', 'withdrawn'].includes(done) ? done : '',
      backLink: '/staff/bookings',
    });
  });

  app.get(`${LIST}/new`, async (request, reply) => {
    if (!manager(request, reply)) return reply;
    return reply.view(FORM_VIEW, {
      ...formModel(
        request,
        { bufferMinutes: '0', cancelHours: '24', capacity: '1' },
        `${LIST}/new`,
      ),
      adding: true,
    });
  });

  app.post(`${LIST}/new`, async (request, reply) => {
    const user = manager(request, reply);
    if (!user) return reply;
    const values = postedForm(request);
    const outcome = readResourceForm(values);
    if (!outcome.ok)
      return reply.code(400).view(FORM_VIEW, {
        ...formModel(request, values, `${LIST}/new`),
        adding: true,
        ...errorView(outcome.errors, request.t),
      });
    await context.db
      .transaction()
      .execute((trx) =>
        createResource(trx, actorOf(request, user), user.organisationId!, outcome.settings),
      );
    return reply.redirect(`${LIST}?done=added`, 303);
  });

  app.get(`${LIST}/:id/change`, async (request, reply) => {
    const user = manager(request, reply);
    if (!user) return reply;
    const resource = await managedResource(context, request, user);
    const { values } = (await resourceFormValues(context.db, resource.id))!;
    return reply.view(FORM_VIEW, {
      ...formModel(request, values, `${LIST}/${resource.id}/change`),
      resource,
    });
  });

  app.post(`${LIST}/:id/change`, async (request, reply) => {
    const user = manager(request, reply);
    if (!user) return reply;
    const resource = await managedResource(context, request, user);
    const values = postedForm(request);
    const outcome = readResourceForm(values);
    if (!outcome.ok)
      return reply.code(400).view(FORM_VIEW, {
        ...formModel(request, values, `${LIST}/${resource.id}/change`),
        resource,
        ...errorView(outcome.errors, request.t),
      });
    await context.db
      .transaction()
      .execute((trx) => changeResource(trx, actorOf(request, user), resource.id, outcome.settings));
    return reply.redirect(`${LIST}?done=changed`, 303);
  });

  app.get(`${LIST}/:id/withdraw`, async (request, reply) => {
    const user = manager(request, reply);
    if (!user) return reply;
    const resource = await managedResource(context, request, user);
    if (resource.withdrawn) return reply.redirect(LIST, 303);
    return reply.view(WITHDRAW_VIEW, { resource, backLink: LIST });
  });

  app.post(`${LIST}/:id/withdraw`, async (request, reply) => {
    const user = manager(request, reply);
    if (!user) return reply;
    const resource = await managedResource(context, request, user);
    await context.db
      .transaction()
      .execute((trx) => withdrawResource(trx, actorOf(request, user), resource.id));
    return reply.redirect(`${LIST}?done=withdrawn`, 303);
  });
}
