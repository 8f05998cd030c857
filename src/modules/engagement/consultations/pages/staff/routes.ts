import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit, type Actor } from '../../../../../platform/audit/audit.js';
import { notFound } from '../../../../../platform/errors/errors.js';
import { errorView } from '../../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../../platform/http/types.js';
import { requireSignIn } from '../../../../identity/index.js';
import type { ConsultationResponseRow, ConsultationRow } from '../../../db/consultation-tables.js';
import { editConsultation, publishConsultation } from '../../commands/consultations.js';
import { consultationAtVersion } from '../../commands/versions.js';
import { mayPublishConsultation } from '../../policies/consultations.js';
import {
  answerThemes,
  listConsultations,
  submittedResponses,
  themesOf,
} from '../../queries/consultations.js';
import { responsesCsv, tally, themesCsv, type Themes } from '../../queries/results.js';
import {
  formValuesOf,
  MAX_QUESTIONS,
  publishFormValues,
  readPublishForm,
  type PublishForm,
} from '../../schema.js';
import { hasQuestionForm } from '../../questions.js';
import { CONSULTATION_TOPICS } from '../../topics.js';
import { bodiesOf, consultationView } from '../shared.js';
import { actorOf, ownConsultation as ownConsultationOf, staffUser } from './access.js';

const VIEWS = 'modules/engagement/consultations/pages/staff';
const LIST = `${VIEWS}/list.njk`;
const PUBLISH = `${VIEWS}/publish.njk`;
const RESULTS = `${VIEWS}/results.njk`;

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
  /** Only the responses to this version of the consultation. */
  version: number,
): Promise<ConsultationResponseRow[]> {
  return context.db.transaction().execute(async (trx) => {
    const rows = (await submittedResponses(trx, consultation.id)).filter(
      (r) => r.version === version,
    );
    await recordAudit(trx, actor, {
      action,
      resourceType: 'consultation',
      resourceId: consultation.id,
      subjectUserId: null,
      details: { shown: rows.length, version },
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
    topics: CONSULTATION_TOPICS,
    slots: Array.from({ length: MAX_QUESTIONS }, (_, i) => i + 1),
    backLink: '/staff/consultations',
  });

  const ownConsultation = (request: FastifyRequest, user: CurrentUser) =>
    ownConsultationOf(db, request, user);

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

  /** Whether anyone has sent a response: then an edit makes a new version. */
  const answered = async (consultation: ConsultationRow) =>
    (await submittedResponses(db, consultation.id)).length +
      (await submittedResponses(db, consultation.id, true)).length >
    0;

  const editView = async (consultation: ConsultationRow, values: Partial<PublishForm>) => ({
    ...publishView(values),
    editing: true,
    consultationId: consultation.id,
    // Questions that are a form of their own are changed on their page, not in the slots here.
    questionsPage: hasQuestionForm(consultation.questions)
      ? `/staff/consultations/${consultation.id}/questions`
      : null,
    answered: await answered(consultation),
    version: consultation.version,
    action: `/staff/consultations/${consultation.id}/edit`,
    backLink: `/staff/consultations/${consultation.id}`,
  });

  /** The edit form's refusal once withdrawn or its outcome published (409), with nothing changed. */
  const locked = async (
    request: FastifyRequest,
    reply: FastifyReply,
    consultation: ConsultationRow,
  ) =>
    reply.code(409).view(PUBLISH, {
      ...(await editView(consultation, formValuesOf(consultation))),
      errorList: [{ text: request.t('consultations.edit.locked'), href: '#title' }],
      fieldErrors: {},
    });

  app.get('/staff/consultations/:id/edit', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultationOf(db, request, user, mayPublishConsultation);
    if (consultation.withdrawn_at || consultation.outcome_published_at)
      return locked(request, reply, consultation);
    return reply.view(PUBLISH, await editView(consultation, formValuesOf(consultation)));
  });

  app.post('/staff/consultations/:id/edit', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultationOf(db, request, user, mayPublishConsultation);
    const values = publishFormValues(request.body);
    const read = readPublishForm(
      values,
      new Date(),
      consultation.opens_on,
      hasQuestionForm(consultation.questions),
    );
    if (!read.ok)
      return reply.code(400).view(PUBLISH, {
        ...(await editView(consultation, values)),
        ...errorView(read.errors, request.t),
      });
    const edited = await db
      .transaction()
      .execute((trx) =>
        editConsultation(trx, actorOf(request, user), consultation, read.consultation),
      );
    if (!edited.ok) return locked(request, reply, consultation);
    if (edited.version !== null) context.wakeOutbox();
    return reply.redirect(
      `/staff/consultations/${consultation.id}?done=${edited.version === null ? 'edited' : 'versioned'}`,
      303,
    );
  });

  /**
   * The version of a consultation whose results are asked for (`?version=<n>`, an earlier one an
   * edit replaced), or the current one; "Page not found" for a version it never had.
   */
  async function versionShown(request: FastifyRequest, consultation: ConsultationRow) {
    const asked = (request.query as { version?: string }).version;
    if (asked === undefined) return consultation;
    const shown = /^\d{1,4}$/.test(asked)
      ? await consultationAtVersion(db, consultation, Number(asked))
      : undefined;
    if (!shown) throw notFound({ consultation: consultation.id, version: asked });
    return shown;
  }

  /** The themes of a consultation and the tags on its responses' answers. */
  async function themesFor(
    consultation: ConsultationRow,
    responses: readonly ConsultationResponseRow[],
  ): Promise<Themes> {
    return {
      themes: await themesOf(db, consultation.id),
      tags: await answerThemes(
        db,
        responses.map((r) => r.id),
      ),
    };
  }

  app.get('/staff/consultations/:id', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(request, user);
    const shown = await versionShown(request, consultation);
    const responses = await readResponsesAudited(
      context,
      actorOf(request, user),
      consultation,
      'consultation.responses-viewed',
      shown.version,
    );
    // Held responses are listed by reference and reason only: their text waits for a moderator.
    const held = await submittedResponses(db, consultation.id, true);
    const bodies = await bodiesOf(db, [consultation]);
    const themes = await themesFor(consultation, responses);
    // Responses to versions an edit replaced are counted against their own questions, apart.
    const counted = await submittedResponses(db, consultation.id);
    const earlier = Array.from({ length: consultation.version - 1 }, (_, i) => ({
      version: i + 1,
      count: counted.filter((r) => r.version === i + 1).length,
    }));
    return reply.view(RESULTS, {
      consultation: consultationView(consultation, bodies, request.locale, new Date()),
      count: responses.length,
      held: held.map((r) => ({ id: r.id, reference: r.reference, reasons: r.held_reasons })),
      themes: themes.themes,
      results: tally(shown, responses, themes, request.locale),
      earlier,
      showingVersion: shown.version === consultation.version ? null : shown.version,
      mayPublish: mayPublishConsultation(user, consultation.organisation_id),
      done: (request.query as { done?: string }).done,
      backLink: '/staff/consultations',
    });
  });

  app.get('/staff/consultations/:id/responses.csv', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(request, user);
    const shown = await versionShown(request, consultation);
    const responses = await readResponsesAudited(
      context,
      actorOf(request, user),
      consultation,
      'consultation.responses-exported',
      shown.version,
    );
    const themes = await themesFor(consultation, responses);
    const suffix = shown.version === consultation.version ? '' : `-version-${shown.version}`;
    return csv(
      reply,
      `consultation-${consultation.id}${suffix}.csv`,
      responsesCsv(shown, responses, themes),
    );
  });

  // Counts only: no one's words, so no read of personal data to audit.
  app.get('/staff/consultations/:id/themes.csv', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(request, user);
    const shown = await versionShown(request, consultation);
    const responses = (await submittedResponses(db, consultation.id)).filter(
      (r) => r.version === shown.version,
    );
    const results = tally(shown, responses, await themesFor(consultation, responses));
    return csv(reply, `consultation-${consultation.id}-themes.csv`, themesCsv(results));
  });
}

function csv(reply: FastifyReply, filename: string, body: string) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(body);
}
