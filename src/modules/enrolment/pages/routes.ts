import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../../platform/errors/errors.js';
import { errorView, formText } from '../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';
import { formatDate, type Locale } from '../../../platform/i18n/i18n.js';
import { businessesOf, type MemberRole } from '../../agents/index.js';
import { requireLevel } from '../../identity/index.js';
import { activateEnrolment, removeEnrolment, requestEnrolment } from '../commands/enrolments.js';
import {
  canEnrolBusiness,
  canManageEnrolment,
  canSeeBusinessEnrolments,
  canSeeEnrolment,
} from '../policies/enrolments.js';
import {
  enrolableRegisters,
  findAnyEnrolment,
  findRegister,
  listBusinessEnrolments,
  listEnrolments,
  type EnrolableRegister,
  type EnrolmentView,
} from '../queries/enrolments.js';
import { enrolableBy } from '../services.js';

const PAGES = 'modules/enrolment/pages';
const LIST = `${PAGES}/list/list.njk`;
const BUSINESS_LIST = `${PAGES}/business-list/business-list.njk`;
const REQUEST = `${PAGES}/request/request.njk`;
const LETTER_SENT = `${PAGES}/letter-sent/letter-sent.njk`;
const ACTIVATE = `${PAGES}/activate/activate.njk`;
const ACTIVATED = `${PAGES}/activated/activated.njk`;
const REMOVE = `${PAGES}/remove/remove.njk`;

/** The business a page is about (`?business=<id>`), with the signed-in person's role in it. */
interface BusinessContext {
  id: string;
  name: string;
  role: MemberRole;
}

function organisationName(
  locale: Locale,
  o: { organisationName: string; organisationNameCy: string | null },
) {
  return (locale === 'cy' ? o.organisationNameCy : null) ?? o.organisationName;
}

/** An enrolment in the reader's words, for the pages. */
function describe(request: FastifyRequest, e: EnrolmentView) {
  const expired = e.status === 'pending' && e.codeExpiresAt.getTime() < Date.now();
  return {
    id: e.id,
    status: e.status,
    expired,
    title: request.t(`enrolment.service.${e.service}`),
    organisationName: organisationName(request.locale, e),
    reference: e.reference,
    codeExpires: formatDate(e.codeExpiresAt, request.locale),
    activatedOn: e.activatedAt ? formatDate(e.activatedAt, request.locale) : '',
  };
}

/** A path within the business's pages when there is a business, the person's own otherwise. */
function forBusiness(path: string, business: { id: string } | null): string {
  if (!business) return path;
  return `${path}${path.includes('?') ? '&' : '?'}business=${business.id}`;
}

function registerPath(r: EnrolableRegister, business: BusinessContext | null) {
  return forBusiness(`/enrol/${r.organisationSlug}/${r.service}`, business);
}

/**
 * Enrolment pages: a person's enrolments, asking to enrol with known facts, entering the
 * activation code from the letter, and removing an enrolment. The same pages with
 * `?business=<id>` do it for a business account: every member sees its enrolments, only its
 * administrators add, activate and remove them. Level 1 (signed in) is enough: the letter to
 * the registered address is what proves the link.
 */
export function enrolmentRoutes(
  app: FastifyInstance,
  { db, config, wakeOutbox }: AppContext,
): void {
  const settings = { brandName: config.BRAND_NAME, baseUrl: config.baseUrl };

  /** The person's role in a business, with its name; undefined when they are not a member. */
  async function membership(user: CurrentUser, businessId: string) {
    const found = (await businessesOf(db, user.id)).find((b) => b.id === businessId);
    return found && canSeeBusinessEnrolments(found.role)
      ? { id: found.id, name: found.name, role: found.role }
      : undefined;
  }

  /**
   * The business named by `?business=`, or null for the person's own pages. A business the
   * person is not a member of (or that does not exist) is "not found".
   */
  async function businessOf(
    request: FastifyRequest,
    user: CurrentUser,
  ): Promise<BusinessContext | null> {
    const id = (request.query as { business?: unknown }).business;
    if (id === undefined || id === '') return null;
    const business = typeof id === 'string' ? await membership(user, id) : undefined;
    if (!business) throw notFound({ business: id });
    return business;
  }

  /** As {@link businessOf}, for pages only administrators may use. */
  async function businessToManage(request: FastifyRequest, user: CurrentUser) {
    const business = await businessOf(request, user);
    if (business && !canEnrolBusiness(user, business.role))
      throw notFound({ business: business.id, reason: 'not an administrator' });
    return business;
  }

  function listHref(business: { id: string } | null) {
    return forBusiness('/enrol', business);
  }

  app.get('/enrol', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const business = await businessOf(request, user);
    const canManage = business ? canEnrolBusiness(user, business.role) : true;
    const list = business
      ? await listBusinessEnrolments(db, business.id)
      : await listEnrolments(db, user.id);
    const enrolments = list.map((e) => {
      const shown = describe(request, e);
      const actions = canManage
        ? [
            {
              href: `/enrol/enrolments/${e.id}/remove`,
              text: request.t('enrolment.list.remove'),
            },
          ]
        : [];
      if (canManage && e.status === 'pending' && !shown.expired)
        actions.unshift({
          href: forBusiness(`/enrol/activate?enrolment=${e.id}`, business),
          text: request.t('enrolment.list.enterCode'),
        });
      // The summary card adds its title to each action for screen readers.
      return { ...shown, actions };
    });
    const registers = canManage
      ? (await enrolableRegisters(db))
          .filter((r) => enrolableBy(r.service, business ? 'business' : 'person'))
          .map((r) => ({
            href: registerPath(r, business),
            title: request.t(`enrolment.service.${r.service}`),
            organisationName: organisationName(request.locale, r),
          }))
      : [];
    const removed = (request.query as { removed?: string }).removed === '1';
    if (business)
      return reply.view(BUSINESS_LIST, {
        business,
        canManage,
        enrolments,
        registers,
        removed,
        backLink: `/business/${business.id}`,
      });
    const businesses = (await businessesOf(db, user.id)).map((b) => ({
      href: forBusiness('/enrol', b),
      name: b.name,
    }));
    return reply.view(LIST, { enrolments, registers, removed, businesses });
  });

  async function registerFor(request: FastifyRequest, business: BusinessContext | null) {
    const { organisation, service } = request.params as { organisation: string; service: string };
    const register = await findRegister(db, organisation, service);
    if (!register || !enrolableBy(register.service, business ? 'business' : 'person'))
      throw notFound({ organisation, service });
    return register;
  }

  function requestView(
    request: FastifyRequest,
    register: EnrolableRegister,
    business: BusinessContext | null,
  ) {
    const title = request.t(`enrolment.service.${register.service}`);
    return {
      action: registerPath(register, business),
      service: register.service,
      title,
      heading: business
        ? request.t('enrolment.business.requestTitle', { service: title, business: business.name })
        : request.t('enrolment.request.title', { service: title }),
      businessName: business?.name ?? null,
      organisationName: organisationName(request.locale, register),
      backLink: listHref(business),
    };
  }

  app.get('/enrol/:organisation/:service', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const business = await businessToManage(request, user);
    const register = await registerFor(request, business);
    return reply.view(REQUEST, {
      ...requestView(request, register, business),
      values: {},
      fieldErrors: {},
    });
  });

  app.post('/enrol/:organisation/:service', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const business = await businessToManage(request, user);
    const register = await registerFor(request, business);
    const values = {
      reference: formText(request.body, 'reference'),
      postcode: formText(request.body, 'postcode'),
    };
    const outcome = await db.transaction().execute((trx) =>
      requestEnrolment(
        trx,
        user,
        {
          organisationId: register.organisationId,
          service: register.service,
          ...values,
          businessAccountId: business?.id ?? null,
          requestId: request.id,
        },
        settings,
      ),
    );
    if (!outcome.ok) {
      return reply.code('tooManyAttempts' in outcome ? 429 : 400).view(REQUEST, {
        ...requestView(request, register, business),
        values,
        ...errorView(outcome.errors, request.t),
      });
    }
    wakeOutbox();
    return reply.redirect(`/enrol/enrolments/${outcome.enrolmentId}/letter-sent`, 303);
  });

  /**
   * The enrolment named in the path, if the person may see it (their own, or their business's),
   * with the business and their role in it; otherwise "not found".
   */
  async function visibleEnrolment(request: FastifyRequest, user: CurrentUser) {
    const { id } = request.params as { id: string };
    const enrolment = await findAnyEnrolment(db, id);
    const business = enrolment?.businessAccountId
      ? ((await membership(user, enrolment.businessAccountId)) ?? null)
      : null;
    const holder = enrolment && {
      user_id: enrolment.userId,
      business_account_id: enrolment.businessAccountId,
    };
    if (!enrolment || !holder || !canSeeEnrolment(user, holder, business?.role ?? null))
      throw notFound({ enrolment: id });
    return {
      enrolment,
      business,
      canManage: canManageEnrolment(user, holder, business?.role ?? null),
    };
  }

  app.get('/enrol/enrolments/:id/letter-sent', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const { enrolment, business, canManage } = await visibleEnrolment(request, user);
    if (enrolment.status !== 'pending') return reply.redirect(listHref(business), 303);
    return reply.view(LETTER_SENT, {
      enrolment: describe(request, enrolment),
      businessName: business?.name ?? null,
      activateHref: canManage
        ? forBusiness(`/enrol/activate?enrolment=${enrolment.id}`, business)
        : null,
      listHref: listHref(business),
    });
  });

  async function activateView(
    request: FastifyRequest,
    user: CurrentUser,
    business: BusinessContext | null,
    chosen: string,
  ) {
    const all = business
      ? await listBusinessEnrolments(db, business.id)
      : await listEnrolments(db, user.id);
    const pending = all.filter((e) => e.status === 'pending').map((e) => describe(request, e));
    return {
      pending,
      enrolmentItems: pending.map((e) => ({
        value: e.id,
        text: `${e.title} – ${e.organisationName}`,
        hint: { text: `${request.t('enrolment.list.reference')}: ${e.reference}` },
        checked: e.id === chosen,
      })),
      action: forBusiness('/enrol/activate', business),
      businessName: business?.name ?? null,
      listHref: listHref(business),
      backLink: listHref(business),
    };
  }

  app.get('/enrol/activate', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const business = await businessToManage(request, user);
    const chosen = (request.query as { enrolment?: string }).enrolment ?? '';
    return reply.view(ACTIVATE, {
      ...(await activateView(request, user, business, chosen)),
      values: {},
      fieldErrors: {},
    });
  });

  app.post('/enrol/activate', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const business = await businessToManage(request, user);
    const values = {
      enrolment: formText(request.body, 'enrolment'),
      code: formText(request.body, 'code'),
    };
    const outcome = await db.transaction().execute((trx) =>
      activateEnrolment(trx, user, {
        enrolmentId: values.enrolment,
        code: values.code,
        requestId: request.id,
      }),
    );
    if (!outcome.ok) {
      return reply.code(400).view(ACTIVATE, {
        ...(await activateView(request, user, business, values.enrolment)),
        values: { code: values.code },
        ...errorView(outcome.errors, request.t),
      });
    }
    return reply.redirect(`/enrol/enrolments/${outcome.enrolmentId}/activated`, 303);
  });

  app.get('/enrol/enrolments/:id/activated', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const { enrolment, business } = await visibleEnrolment(request, user);
    if (enrolment.status !== 'active') return reply.redirect(listHref(business), 303);
    return reply.view(ACTIVATED, {
      enrolment: describe(request, enrolment),
      businessName: business?.name ?? null,
      listHref: listHref(business),
    });
  });

  app.get('/enrol/enrolments/:id/remove', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const { enrolment, business, canManage } = await visibleEnrolment(request, user);
    if (!canManage) throw notFound({ enrolment: enrolment.id, reason: 'may not remove' });
    return reply.view(REMOVE, {
      enrolment: describe(request, enrolment),
      businessName: business?.name ?? null,
      listHref: listHref(business),
      backLink: listHref(business),
    });
  });

  app.post('/enrol/enrolments/:id/remove', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const outcome = await db
      .transaction()
      .execute((trx) => removeEnrolment(trx, user, { enrolmentId: id, requestId: request.id }));
    if (!outcome.ok) throw notFound({ enrolment: id });
    const business = outcome.businessAccountId ? { id: outcome.businessAccountId } : null;
    return reply.redirect(forBusiness('/enrol?removed=1', business), 303);
  });
}
