/**
 * The service owner's passports (`/staff/passports`): for each service they may edit, which other
 * services an approval on it passports to, with the reason the person is given in English and
 * Welsh; add one by the other service's web address, or remove one. Server-rendered, no script.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import {
  ownedService,
  ownedServicesForStaff,
  type OwnedServiceSummary,
} from '../../../catalogue/index.js';
import {
  declarePassport,
  removePassport,
  MAX_REASON,
  type PassportProblem,
} from '../../commands/passports.js';
import { canDeclarePassports, canUsePassportsEditor } from '../../policies/passports.js';
import { passportCounts, passportViews } from '../../queries/passports.js';
import { actorOf } from '../shared.js';

const LIST = 'modules/passports/pages/staff/list.njk';
const SERVICE = 'modules/passports/pages/staff/service.njk';
const NOTICES = new Set(['added', 'removed']);

export function staffPassportRoutes(app: FastifyInstance, { db }: AppContext): void {
  /** The service, if the user may declare its passports; 404 otherwise. */
  async function serviceFor(user: CurrentUser, serviceId: string): Promise<OwnedServiceSummary> {
    const service = await ownedService(db, serviceId);
    if (!service || !canDeclarePassports(user, service)) throw notFound({ serviceId });
    return service;
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    service: OwnedServiceSummary,
    page: {
      values?: { toSlug: string; reasonEn: string; reasonCy: string };
      errors?: PassportProblem[];
      notice?: string | null;
    } = {},
  ) {
    const { locale, t } = request;
    const errors = page.errors ?? [];
    const fieldErrors: Record<string, { text: string }> = {};
    for (const e of errors) fieldErrors[e.field] ??= { text: t(e.key, { max: MAX_REASON }) };
    return reply.view(SERVICE, {
      service: { ...service, title: (locale === 'cy' && service.titleCy) || service.title },
      passports: await passportViews(db, service.id, locale),
      values: page.values ?? { toSlug: '', reasonEn: '', reasonCy: '' },
      errorList: errors.map((e) => ({ text: t(e.key, { max: MAX_REASON }), href: `#${e.field}` })),
      fieldErrors,
      notice: page.notice ?? null,
      backLink: '/staff/passports',
    });
  }

  app.get('/staff/passports', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!canUsePassportsEditor(user)) throw notFound();
    const { locale } = request;
    const candidates = await ownedServicesForStaff(db, user);
    const services = candidates.filter((s) => canDeclarePassports(user, s));
    const counts = await passportCounts(
      db,
      services.map((s) => s.id),
    );
    return reply.view(LIST, {
      services: services.map((s) => ({
        id: s.id,
        title: (locale === 'cy' && s.titleCy) || s.title,
        count: counts.get(s.id) ?? 0,
      })),
    });
  });

  app.get('/staff/passports/:serviceId', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const service = await serviceFor(user, (request.params as { serviceId: string }).serviceId);
    const notice = formText(request.query, 'done');
    return render(request, reply, service, { notice: NOTICES.has(notice) ? notice : null });
  });

  app.post('/staff/passports/:serviceId', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const service = await serviceFor(user, (request.params as { serviceId: string }).serviceId);
    const values = {
      toSlug: formText(request.body, 'toSlug'),
      reasonEn: formText(request.body, 'reasonEn'),
      reasonCy: formText(request.body, 'reasonCy'),
    };
    const outcome = await db
      .transaction()
      .execute((trx) =>
        declarePassport(
          trx,
          user,
          { fromServiceId: service.id, ...values },
          actorOf(request, user),
        ),
      );
    if (outcome.ok) return reply.redirect(`/staff/passports/${service.id}?done=added`, 303);
    if (outcome.forbidden) throw notFound({ serviceId: service.id });
    return render(request, reply.code(400), service, { values, errors: outcome.errors });
  });

  app.post('/staff/passports/:serviceId/:passportId/remove', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const params = request.params as { serviceId: string; passportId: string };
    const service = await serviceFor(user, params.serviceId);
    const removed = await db
      .transaction()
      .execute((trx) =>
        removePassport(trx, user, service.id, params.passportId, actorOf(request, user)),
      );
    if (!removed) throw notFound({ passportId: params.passportId });
    return reply.redirect(`/staff/passports/${service.id}?done=removed`, 303);
  });
}
