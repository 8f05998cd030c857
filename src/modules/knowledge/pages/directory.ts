import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../platform/errors/errors.js';
import { errorView } from '../../../platform/http/forms.js';
import type { AppContext } from '../../../platform/http/types.js';
import { requireSignIn } from '../../identity/index.js';
import { notYours } from '../commands/articles.js';
import {
  addContactPoint,
  addExpert,
  addRoutingRule,
  editContactPoint,
  removeDirectoryEntry,
} from '../commands/directory.js';
import { formatOpeningHours } from '../hours.js';
import { isUuid } from '../../../platform/validation/uuid.js';
import { mayWriteKnowledgeOf } from '../policies/knowledge.js';
import { contactPointsOf, directory, findContactPoint } from '../queries/directory.js';
import {
  CONTACT_POINT_FIELDS,
  EXPERT_FIELDS,
  formValues,
  readContactPointForm,
  readExpertForm,
  readRoutingRuleForm,
  RULE_FIELDS,
  type FormValues,
} from '../schema.js';
import {
  actorOf,
  adviserOf,
  bodyNames,
  contactPointView,
  expertView,
  ruleView,
  VIEWS,
  type Adviser,
} from './shared.js';

const DIRECTORY = `${VIEWS}/directory.njk`;
const CONTACT_POINT_FORM = `${VIEWS}/contact-point-form.njk`;
const EXPERT_FORM = `${VIEWS}/expert-form.njk`;
const RULE_FORM = `${VIEWS}/rule-form.njk`;
const BACK = '/staff/knowledge/directory';

/**
 * The directory: every body's contact points (open now?), service experts and call-routing
 * rules, for any adviser; adding and changing them, for the body's service owners and admins.
 */
export function directoryRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  function reader(request: FastifyRequest, reply: FastifyReply): Adviser | null {
    const signedIn = requireSignIn(request, reply);
    return signedIn ? adviserOf(signedIn) : null;
  }

  function writer(request: FastifyRequest, reply: FastifyReply): Adviser | null {
    const user = reader(request, reply);
    if (user && !mayWriteKnowledgeOf(user, user.organisationId)) throw notYours();
    return user;
  }

  app.get(BACK, async (request, reply) => {
    const user = reader(request, reply);
    if (!user) return reply;
    const { contactPoints, experts, rules } = await directory(db);
    const ids = [...contactPoints, ...experts, ...rules].map((r) => r.organisation_id);
    const bodies = await bodyNames(db, ids, request.locale);
    const now = new Date();
    const points = new Map(contactPoints.map((p) => [p.id, p]));
    const byBody = [...new Set(ids)]
      .map((id) => ({
        id,
        name: bodies.get(id) ?? '',
        mayWrite: mayWriteKnowledgeOf(user, id),
        contactPoints: contactPoints
          .filter((p) => p.organisation_id === id)
          .map((p) => contactPointView(p, bodies, request, now)),
        experts: experts.filter((e) => e.organisation_id === id).map((e) => expertView(e, bodies)),
        rules: rules
          .filter((r) => r.organisation_id === id)
          .map((r) => ({
            ...ruleView(r, bodies, request.locale),
            contactPointName: points.get(r.contact_point_id)?.name ?? '',
            hoursText: r.opening_hours ? formatOpeningHours(r.opening_hours, request.locale) : '',
          })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return reply.view(DIRECTORY, {
      bodies: byBody,
      mayWrite: mayWriteKnowledgeOf(user, user.organisationId),
      done: (request.query as { done?: string }).done,
      backLink: '/staff/knowledge',
    });
  });

  // Contact points: add and change.
  app.get(`${BACK}/contact-points/new`, async (request, reply) => {
    if (!writer(request, reply)) return reply;
    return reply.view(CONTACT_POINT_FORM, { values: {}, action: 'new', backLink: BACK });
  });

  app.post(`${BACK}/contact-points/new`, async (request, reply) => {
    const user = writer(request, reply);
    if (!user) return reply;
    const values = formValues(request.body, CONTACT_POINT_FIELDS);
    const read = readContactPointForm(values);
    const outcome = read.ok
      ? await db
          .transaction()
          .execute((trx) => addContactPoint(trx, actorOf(request, user), user, read.contactPoint))
      : read;
    if (!outcome.ok)
      return reply.code(400).view(CONTACT_POINT_FORM, {
        values,
        action: 'new',
        backLink: BACK,
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`${BACK}?done=contact-point-added`, 303);
  });

  async function ownContactPoint(request: FastifyRequest, user: Adviser) {
    const { id } = request.params as { id: string };
    const point = isUuid(id) ? await findContactPoint(db, id) : undefined;
    if (!point) throw notFound({ contactPoint: id });
    if (!mayWriteKnowledgeOf(user, point.organisation_id)) throw notYours();
    return point;
  }

  app.get(`${BACK}/contact-points/:id/edit`, async (request, reply) => {
    const user = reader(request, reply);
    if (!user) return reply;
    const point = await ownContactPoint(request, user);
    const values: FormValues = {
      name: point.name,
      nameCy: point.name_cy,
      phone: point.phone ?? '',
      email: point.email ?? '',
      address: point.address,
      hours: formatOpeningHours(point.opening_hours, request.locale),
    };
    return reply.view(CONTACT_POINT_FORM, { values, action: `${point.id}/edit`, backLink: BACK });
  });

  app.post(`${BACK}/contact-points/:id/edit`, async (request, reply) => {
    const user = reader(request, reply);
    if (!user) return reply;
    const point = await ownContactPoint(request, user);
    const values = formValues(request.body, CONTACT_POINT_FIELDS);
    const read = readContactPointForm(values);
    const outcome = read.ok
      ? await db
          .transaction()
          .execute((trx) =>
            editContactPoint(trx, actorOf(request, user), user, point.id, read.contactPoint),
          )
      : read;
    if (!outcome.ok)
      return reply.code(400).view(CONTACT_POINT_FORM, {
        values,
        action: `${point.id}/edit`,
        backLink: BACK,
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`${BACK}?done=contact-point-saved`, 303);
  });

  // Experts: add and remove.
  app.get(`${BACK}/experts/new`, async (request, reply) => {
    if (!writer(request, reply)) return reply;
    return reply.view(EXPERT_FORM, { values: {}, backLink: BACK });
  });

  app.post(`${BACK}/experts/new`, async (request, reply) => {
    const user = writer(request, reply);
    if (!user) return reply;
    const values = formValues(request.body, EXPERT_FIELDS);
    const read = readExpertForm(values);
    const outcome = read.ok
      ? await db
          .transaction()
          .execute((trx) => addExpert(trx, actorOf(request, user), user, read.expert))
      : read;
    if (!outcome.ok)
      return reply
        .code(400)
        .view(EXPERT_FORM, { values, backLink: BACK, ...errorView(outcome.errors, request.t) });
    return reply.redirect(`${BACK}?done=expert-added`, 303);
  });

  // Routing rules: add and remove.
  async function ruleFormView(request: FastifyRequest, user: Adviser, values: FormValues) {
    const points = await contactPointsOf(db, user.organisationId);
    return {
      values,
      backLink: BACK,
      contactPoints: points.map((p) => ({
        value: p.id,
        text: p.name,
        selected: p.id === values.contactPointId,
      })),
    };
  }

  app.get(`${BACK}/rules/new`, async (request, reply) => {
    const user = writer(request, reply);
    if (!user) return reply;
    return reply.view(RULE_FORM, await ruleFormView(request, user, {}));
  });

  app.post(`${BACK}/rules/new`, async (request, reply) => {
    const user = writer(request, reply);
    if (!user) return reply;
    const values = formValues(request.body, RULE_FIELDS);
    const read = readRoutingRuleForm(values);
    const outcome = read.ok
      ? await db
          .transaction()
          .execute((trx) => addRoutingRule(trx, actorOf(request, user), user, read.rule))
      : read;
    if (!outcome.ok)
      return reply.code(400).view(RULE_FORM, {
        ...(await ruleFormView(request, user, values)),
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`${BACK}?done=rule-added`, 303);
  });

  for (const kind of ['expert', 'routing-rule'] as const) {
    const path = kind === 'expert' ? 'experts' : 'rules';
    app.post(`${BACK}/${path}/:id/remove`, async (request, reply) => {
      const user = reader(request, reply);
      if (!user) return reply;
      const { id } = request.params as { id: string };
      if (!isUuid(id)) throw notFound({ [kind]: id });
      await db
        .transaction()
        .execute((trx) => removeDirectoryEntry(trx, actorOf(request, user), user, kind, id));
      return reply.redirect(`${BACK}?done=${kind}-removed`, 303);
    });
  }
}
