import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../../platform/errors/errors.js';
import { errorView, formText } from '../../../platform/http/forms.js';
import type { AppContext } from '../../../platform/http/types.js';
import { formatDate, type Locale } from '../../../platform/i18n/i18n.js';
import { requireLevel } from '../../identity/index.js';
import { activateEnrolment, removeEnrolment, requestEnrolment } from '../commands/enrolments.js';
import {
  enrolableRegisters,
  findEnrolment,
  findRegister,
  listEnrolments,
  type EnrolableRegister,
  type EnrolmentView,
} from '../queries/enrolments.js';

const PAGES = 'modules/enrolment/pages';
const LIST = `${PAGES}/list/list.njk`;
const REQUEST = `${PAGES}/request/request.njk`;
const LETTER_SENT = `${PAGES}/letter-sent/letter-sent.njk`;
const ACTIVATE = `${PAGES}/activate/activate.njk`;
const ACTIVATED = `${PAGES}/activated/activated.njk`;
const REMOVE = `${PAGES}/remove/remove.njk`;

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

function registerPath(r: EnrolableRegister) {
  return `/enrol/${r.organisationSlug}/${r.service}`;
}

/**
 * Enrolment pages: a person's enrolments, asking to enrol with known facts, entering the
 * activation code from the letter, and removing an enrolment. Level 1 (signed in) is enough:
 * the letter to the registered address is what proves the link.
 */
export function enrolmentRoutes(
  app: FastifyInstance,
  { db, config, wakeOutbox }: AppContext,
): void {
  const settings = { brandName: config.BRAND_NAME, baseUrl: config.baseUrl };

  app.get('/enrol', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const enrolments = (await listEnrolments(db, user.id)).map((e) => {
      const shown = describe(request, e);
      const actions = [
        { href: `/enrol/enrolments/${e.id}/remove`, text: request.t('enrolment.list.remove') },
      ];
      if (e.status === 'pending' && !shown.expired)
        actions.unshift({
          href: `/enrol/activate?enrolment=${e.id}`,
          text: request.t('enrolment.list.enterCode'),
        });
      // The summary card adds its title to each action for screen readers.
      return { ...shown, actions };
    });
    const registers = (await enrolableRegisters(db)).map((r) => ({
      href: registerPath(r),
      title: request.t(`enrolment.service.${r.service}`),
      organisationName: organisationName(request.locale, r),
    }));
    const removed = (request.query as { removed?: string }).removed === '1';
    return reply.view(LIST, { enrolments, registers, removed });
  });

  async function registerFor(request: FastifyRequest) {
    const { organisation, service } = request.params as { organisation: string; service: string };
    const register = await findRegister(db, organisation, service);
    if (!register) throw notFound({ organisation, service });
    return register;
  }

  function requestView(request: FastifyRequest, register: EnrolableRegister) {
    return {
      action: registerPath(register),
      service: register.service,
      title: request.t(`enrolment.service.${register.service}`),
      organisationName: organisationName(request.locale, register),
      backLink: '/enrol',
    };
  }

  app.get('/enrol/:organisation/:service', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const register = await registerFor(request);
    return reply.view(REQUEST, { ...requestView(request, register), values: {}, fieldErrors: {} });
  });

  app.post('/enrol/:organisation/:service', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const register = await registerFor(request);
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
          requestId: request.id,
        },
        settings,
      ),
    );
    if (!outcome.ok) {
      return reply.code('tooManyAttempts' in outcome ? 429 : 400).view(REQUEST, {
        ...requestView(request, register),
        values,
        ...errorView(outcome.errors, request.t),
      });
    }
    wakeOutbox();
    return reply.redirect(`/enrol/enrolments/${outcome.enrolmentId}/letter-sent`, 303);
  });

  async function ownEnrolment(request: FastifyRequest, userId: string) {
    const { id } = request.params as { id: string };
    const enrolment = await findEnrolment(db, userId, id);
    if (!enrolment) throw notFound({ enrolment: id });
    return enrolment;
  }

  app.get('/enrol/enrolments/:id/letter-sent', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const enrolment = await ownEnrolment(request, user.id);
    if (enrolment.status !== 'pending') return reply.redirect('/enrol', 303);
    return reply.view(LETTER_SENT, { enrolment: describe(request, enrolment) });
  });

  async function activateView(request: FastifyRequest, userId: string, chosen: string) {
    const pending = (await listEnrolments(db, userId))
      .filter((e) => e.status === 'pending')
      .map((e) => describe(request, e));
    return {
      pending,
      enrolmentItems: pending.map((e) => ({
        value: e.id,
        text: `${e.title} – ${e.organisationName}`,
        hint: { text: `${request.t('enrolment.list.reference')}: ${e.reference}` },
        checked: e.id === chosen,
      })),
      backLink: '/enrol',
    };
  }

  app.get('/enrol/activate', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const chosen = (request.query as { enrolment?: string }).enrolment ?? '';
    return reply.view(ACTIVATE, {
      ...(await activateView(request, user.id, chosen)),
      values: {},
      fieldErrors: {},
    });
  });

  app.post('/enrol/activate', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
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
        ...(await activateView(request, user.id, values.enrolment)),
        values: { code: values.code },
        ...errorView(outcome.errors, request.t),
      });
    }
    return reply.redirect(`/enrol/enrolments/${outcome.enrolmentId}/activated`, 303);
  });

  app.get('/enrol/enrolments/:id/activated', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const enrolment = await ownEnrolment(request, user.id);
    if (enrolment.status !== 'active') return reply.redirect('/enrol', 303);
    return reply.view(ACTIVATED, { enrolment: describe(request, enrolment) });
  });

  app.get('/enrol/enrolments/:id/remove', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const enrolment = await ownEnrolment(request, user.id);
    return reply.view(REMOVE, { enrolment: describe(request, enrolment), backLink: '/enrol' });
  });

  app.post('/enrol/enrolments/:id/remove', async (request, reply) => {
    const user = requireLevel(request, reply, 1);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const outcome = await db
      .transaction()
      .execute((trx) => removeEnrolment(trx, user, { enrolmentId: id, requestId: request.id }));
    if (!outcome.ok) throw notFound({ enrolment: id });
    return reply.redirect('/enrol?removed=1', 303);
  });
}
