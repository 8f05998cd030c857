import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../platform/errors/errors.js';
import { errorView } from '../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';
import { formatDate } from '../../../platform/i18n/i18n.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { findUserById, hasRole, requireSignIn } from '../../identity/index.js';
import {
  answerRows,
  describeHistory,
  listForOrganisation,
  nameLookup,
  recordDecision,
  viewAsStaff,
} from '../../submissions/index.js';
import { readDecision } from '../commands/decide.js';

const QUEUE = 'modules/casework/pages/queue/queue.njk';
const CASE = 'modules/casework/pages/case/case.njk';

function requireCaseworker(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (!hasRole(user, 'caseworker')) throw notFound({ reason: 'not a caseworker', userId: user.id });
  return user;
}

function actorOf(request: FastifyRequest, user: CurrentUser) {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: 'caseworker',
    requestId: request.id,
  };
}

/** The back office: an organisation's queue of applications, each opened, read and decided. */
export function caseworkRoutes(app: FastifyInstance, { db, wakeOutbox }: AppContext): void {
  app.get('/casework', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const view = (request.query as { view?: string }).view === 'decided' ? 'decided' : 'open';
    const rows = await listForOrganisation(
      db,
      user,
      view === 'open' ? ['received', 'submitted'] : ['approved', 'rejected'],
    );
    const names = nameLookup(db, request.locale);
    const cases = await Promise.all(
      rows.map(async (s) => ({
        reference: s.reference,
        status: s.status,
        submittedAt: s.submitted_at,
        serviceTitle: await names.service(s.service_id),
      })),
    );
    return reply.view(QUEUE, { cases, view });
  });

  async function renderCase(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    extra: Record<string, unknown> = {},
  ) {
    const { reference } = request.params as { reference: string };
    const { submission, events } = await viewAsStaff(db, user, reference, actorOf(request, user));
    const names = nameLookup(db, request.locale);
    const values = (extra.values ?? {}) as Record<string, string>;
    const preferred = submission.answers.values.preferredDate;
    return reply.view(CASE, {
      submission,
      serviceTitle: await names.service(submission.service_id),
      answerRows: answerRows(submission, request.locale),
      // "Sent by Sam Citizen", or "Sent by Chris Agent (Cotswold Accountants LLP) on behalf of Sam Citizen".
      history: await describeHistory(events, names, request.t, request.locale, {
        applicantName:
          (submission.applicant_user_id
            ? (await findUserById(db, submission.applicant_user_id))?.display_name
            : submission.applicant?.name) ?? '—',
      }),
      preferredDate: typeof preferred === 'string' ? formatDate(preferred, request.locale) : '—',
      dateItems: ['day', 'month', 'year'].map((part) => ({
        name: part,
        label: request.t(`casework.decision.date.${part}`),
        value: values[`collectionDate-${part}`] ?? '',
        classes: `govuk-input--width-${part === 'year' ? 4 : 2}`,
      })),
      values,
      fieldErrors: {},
      backLink: '/casework',
      ...extra,
    });
  }

  app.get('/casework/:reference', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    return renderCase(request, reply, user);
  });

  app.post('/casework/:reference/decision', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const { reference } = request.params as { reference: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const read = readDecision(body, ukToday());
    if (!read.ok) {
      return renderCase(request, reply.code(400), user, {
        values: body,
        ...errorView(read.errors, request.t),
      });
    }
    const outcome = await db.transaction().execute(async (trx) => {
      const { submission } = await viewAsStaff(trx, user, reference, actorOf(request, user));
      return recordDecision(trx, submission, read.decision, actorOf(request, user));
    });
    if (!outcome.ok)
      return renderCase(request, reply.code(409), user, {
        values: body,
        ...errorView(outcome.errors, request.t),
      });
    wakeOutbox();
    return reply.redirect(`/casework/${outcome.submission.reference}`, 303);
  });
}
