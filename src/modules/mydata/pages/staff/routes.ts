/**
 * A body's subject access requests, for its team leaders and administrators:
 * `/staff/access-requests` lists them (to answer first, soonest due first) and
 * `/staff/access-requests/:id` shows one (who asked and what for: an audited read of their
 * data) with the forms to record the response or to extend it by up to two months.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../../../platform/audit/audit.js';
import { notFound, type FieldError } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatDate, formatDateTime } from '../../../../platform/i18n/i18n.js';
import { londonDate } from '../../../../platform/time/london.js';
import { findUserById, requireSignIn } from '../../../identity/index.js';
import { changeAccessRequest, type StaffChange } from '../../commands/requests.js';
import type { SubjectAccessRequestRow } from '../../db/tables.js';
import { handlesRequests, mayHandleRequest } from '../../policies/mydata.js';
import { findRequest, requestsForBody } from '../../queries/requests.js';
import { actorOf } from '../shared.js';

const VIEWS = 'modules/mydata/pages/staff';
/** The banners a request's page shows after a change (`?done=`). */
const DONE = ['respond', 'extend'] as const;

export function staffRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  function handler(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
    const user = requireSignIn(request, reply);
    if (!user) return null;
    if (!handlesRequests(user)) throw notFound({ reason: 'does not handle access requests' });
    return user;
  }

  /** One of the handler's body's requests; any other id is "not found". */
  async function requestOf(user: CurrentUser, id: string): Promise<SubjectAccessRequestRow> {
    const found = await findRequest(db, id);
    if (!found || !mayHandleRequest(user, found))
      throw notFound({ request: id, organisationId: user.organisationId });
    return found;
  }

  app.get('/staff/access-requests', async (request, reply) => {
    const user = handler(request, reply);
    if (!user) return reply;
    const { t, locale } = request;
    const today = londonDate(new Date());
    const rows = await requestsForBody(db, user.organisationId!);
    return reply.view(`${VIEWS}/list.njk`, {
      rows: rows.map((r) => [
        {
          html: `<a class="govuk-link" href="/staff/access-requests/${r.id}">${r.reference}</a>`,
        },
        { text: formatDate(r.received_on, locale) },
        { text: formatDate(r.due_on, locale) },
        {
          text:
            r.status !== 'responded' && r.due_on < today
              ? t('mydata.staff.overdue')
              : t(`mydata.requests.status.${r.status}`),
        },
      ]),
    });
  });

  async function renderRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    found: SubjectAccessRequestRow,
    problem?: { form: 'respond' | 'extend'; errors: FieldError[]; values: Record<string, string> },
    done?: (typeof DONE)[number],
  ) {
    const { t, locale } = request;
    const person = await findUserById(db, found.user_id);
    // Who asked and what for is their personal data: the look is in their access log.
    await recordAudit(db, actorOf(request, user), {
      action: 'mydata.request.viewed',
      resourceType: 'subject_access_request',
      resourceId: found.id,
      subjectUserId: found.user_id,
      details: { reference: found.reference },
    });
    return reply.view(`${VIEWS}/view.njk`, {
      backLink: '/staff/access-requests',
      done: done ?? null,
      request: found,
      ...errorView(problem?.errors ?? [], t),
      form: problem?.form ?? null,
      values: problem?.values ?? {},
      rows: [
        { key: { text: t('mydata.staff.person') }, value: { text: person?.display_name ?? '' } },
        { key: { text: t('mydata.staff.email') }, value: { text: person?.email ?? '' } },
        {
          key: { text: t('mydata.requests.check.details') },
          value: { text: found.details || t('mydata.requests.check.noDetails') },
        },
        {
          key: { text: t('mydata.staff.received') },
          value: { text: formatDateTime(found.received_at, locale) },
        },
        {
          key: { text: t('mydata.requests.due') },
          value: { text: formatDate(found.due_on, locale) },
        },
        {
          key: { text: t('mydata.requests.status') },
          value: {
            text:
              t(`mydata.requests.status.${found.status}`) +
              (found.extension_reason ? ` (${found.extension_reason})` : ''),
          },
        },
        ...(found.response_note
          ? [{ key: { text: t('mydata.staff.response') }, value: { text: found.response_note } }]
          : []),
      ],
      mayExtend: found.status !== 'responded' && (found.extended_months ?? 0) < 2,
      extendOptions: [1, 2].filter((m) => (found.extended_months ?? 0) + m <= 2),
    });
  }

  app.get('/staff/access-requests/:id', async (request, reply) => {
    const user = handler(request, reply);
    if (!user) return reply;
    const found = await requestOf(user, (request.params as { id: string }).id);
    const done = formText(request.query, 'done');
    return renderRequest(
      request,
      reply,
      user,
      found,
      undefined,
      DONE.find((d) => d === done),
    );
  });

  for (const kind of ['respond', 'extend'] as const)
    app.post(`/staff/access-requests/:id/${kind}`, async (request, reply) => {
      const user = handler(request, reply);
      if (!user) return reply;
      const found = await requestOf(user, (request.params as { id: string }).id);
      const body = request.body;
      const change: StaffChange =
        kind === 'respond'
          ? { kind, note: formText(body, 'note') }
          : { kind, months: Number(formText(body, 'months')), reason: formText(body, 'reason') };
      const outcome = await db
        .transaction()
        .execute((trx) =>
          changeAccessRequest(trx, found, change, actorOf(request, user), config.baseUrl),
        );
      if (!outcome.ok)
        return renderRequest(request, reply.code(400), user, found, {
          form: kind,
          errors: outcome.errors,
          values: {
            note: formText(body, 'note'),
            months: formText(body, 'months'),
            reason: formText(body, 'reason'),
          },
        });
      return reply.redirect(`/staff/access-requests/${found.id}?done=${kind}`, 303);
    });
}
