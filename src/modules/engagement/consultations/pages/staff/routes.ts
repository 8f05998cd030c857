import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, type Actor } from '../../../../../platform/audit/audit.js';
import { notFound } from '../../../../../platform/errors/errors.js';
import { errorView } from '../../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../../platform/http/types.js';
import { requireSignIn } from '../../../../identity/index.js';
import type { ConsultationResponseRow, ConsultationRow } from '../../../db/consultation-tables.js';
import { publishConsultation } from '../../commands/consultations.js';
import {
  isConsultationStaff,
  mayPublishConsultation,
  mayReadResponses,
} from '../../policies/consultations.js';
import {
  findConsultation,
  listConsultations,
  submittedResponses,
} from '../../queries/consultations.js';
import { responsesCsv, tally } from '../../queries/results.js';
import {
  MAX_QUESTIONS,
  publishFormValues,
  readPublishForm,
  type PublishForm,
} from '../../schema.js';
import { bodiesOf, consultationView } from '../shared.js';

const VIEWS = 'modules/engagement/consultations/pages/staff';
const LIST = `${VIEWS}/list.njk`;
const PUBLISH = `${VIEWS}/publish.njk`;
const RESULTS = `${VIEWS}/results.njk`;

type StaffUser = CurrentUser & { organisationId: string };

function staffUser(user: CurrentUser): StaffUser {
  if (!isConsultationStaff(user) || !user.organisationId) throw notFound();
  return user as StaffUser;
}

function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.kind,
    requestId: request.id,
  };
}

/**
 * Reads the responses to a consultation for staff, audited in the same transaction: one entry
 * for the read, and one for each response tied to an account, so its person sees it in their
 * access log.
 */
async function readResponsesAudited(
  context: AppContext,
  actor: Actor,
  consultation: ConsultationRow,
  action: 'consultation.responses-viewed' | 'consultation.responses-exported',
): Promise<ConsultationResponseRow[]> {
  return context.db.transaction().execute(async (trx) => {
    const rows = await submittedResponses(trx, consultation.id);
    await recordAudit(trx, actor, {
      action,
      resourceType: 'consultation',
      resourceId: consultation.id,
      subjectUserId: null,
      details: { shown: rows.length },
    });
    for (const row of rows.filter((r) => r.user_id))
      await recordAudit(trx, actor, {
        action:
          action === 'consultation.responses-viewed'
            ? 'consultation.response-viewed'
            : 'consultation.response-exported',
        resourceType: 'consultation_response',
        resourceId: row.id,
        subjectUserId: row.user_id,
        details: { consultationId: consultation.id },
      });
    return rows;
  });
}

/**
 * The body's staff pages: its consultations, publishing one (service owners), and the results
 * of one with its CSV (caseworkers and service owners of that body; every read audited).
 */
export function staffConsultationRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  const publishView = (values: Partial<PublishForm>) => ({
    values,
    slots: Array.from({ length: MAX_QUESTIONS }, (_, i) => i + 1),
    backLink: '/staff/consultations',
  });

  async function ownConsultation(
    request: FastifyRequest,
    user: CurrentUser,
  ): Promise<ConsultationRow> {
    const { id } = request.params as { id: string };
    const consultation = await findConsultation(db, id);
    if (!consultation || !mayReadResponses(user, consultation.organisation_id))
      throw notFound({ consultation: id });
    return consultation;
  }

  app.get('/staff/consultations', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffUser(signedIn);
    const consultations = await listConsultations(db, user.organisationId);
    const bodies = await bodiesOf(db, consultations);
    return reply.view(LIST, {
      consultations: consultations.map((c) =>
        consultationView(c, bodies, request.locale, new Date()),
      ),
      mayPublish: mayPublishConsultation(user, user.organisationId),
      done: (request.query as { done?: string }).done,
    });
  });

  app.get('/staff/consultations/new', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffUser(signedIn);
    if (!mayPublishConsultation(user, user.organisationId)) throw notFound();
    return reply.view(PUBLISH, publishView({ area: 'country', signIn: 'no' }));
  });

  app.post('/staff/consultations/new', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffUser(signedIn);
    if (!mayPublishConsultation(user, user.organisationId)) throw notFound();
    const values = publishFormValues(request.body);
    const read = readPublishForm(values);
    if (!read.ok)
      return reply
        .code(400)
        .view(PUBLISH, { ...publishView(values), ...errorView(read.errors, request.t) });
    const consultation = await db
      .transaction()
      .execute((trx) =>
        publishConsultation(trx, actorOf(request, user), user.organisationId, read.consultation),
      );
    return reply.redirect(`/staff/consultations/${consultation.id}?done=published`, 303);
  });

  app.get('/staff/consultations/:id', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(request, user);
    const responses = await readResponsesAudited(
      context,
      actorOf(request, user),
      consultation,
      'consultation.responses-viewed',
    );
    const bodies = await bodiesOf(db, [consultation]);
    return reply.view(RESULTS, {
      consultation: consultationView(consultation, bodies, request.locale, new Date()),
      count: responses.length,
      results: tally(consultation, responses),
      done: (request.query as { done?: string }).done,
      backLink: '/staff/consultations',
    });
  });

  app.get('/staff/consultations/:id/responses.csv', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(request, user);
    const responses = await readResponsesAudited(
      context,
      actorOf(request, user),
      consultation,
      'consultation.responses-exported',
    );
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="consultation-${consultation.id}.csv"`)
      .header('cache-control', 'no-store')
      .send(responsesCsv(consultation, responses));
  });
}
