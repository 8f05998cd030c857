import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../../../../platform/audit/audit.js';
import { notFound } from '../../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../../platform/http/types.js';
import { requireSignIn } from '../../../../identity/index.js';
import type { ConsultationResponseRow, ConsultationRow } from '../../../db/consultation-tables.js';
import {
  addTheme,
  redactableTexts,
  redactResponse,
  releaseResponse,
  tagAnswer,
} from '../../commands/moderation.js';
import { publishOutcome, withdrawConsultation } from '../../commands/outcome.js';
import { formValues, LIMITS, readRedaction, requiredText } from '../../moderation.js';
import { mayPublishConsultation } from '../../policies/consultations.js';
import {
  answerThemes,
  findSubmittedResponse,
  submittedResponses,
  themesOf,
} from '../../queries/consultations.js';
import { tally } from '../../queries/results.js';
import { answerText } from '../../../../forms/index.js';
import { answersOf, isFreeTextQuestion, questionFormOf, questionsOf } from '../../questions.js';
import { bodiesOf, consultationView } from '../shared.js';
import { consultationAtVersion } from '../../commands/versions.js';
import { actorOf, ownConsultation } from './access.js';

const VIEWS = 'modules/engagement/consultations/pages/staff';
const RESPONSE = `${VIEWS}/response.njk`;
const THEMES = `${VIEWS}/themes.njk`;
const OUTCOME = `${VIEWS}/outcome.njk`;
const WITHDRAW = `${VIEWS}/withdraw.njk`;

const results = (c: ConsultationRow) => `/staff/consultations/${c.id}`;

/**
 * The body's staff at work on a consultation's responses and its end: one response to review
 * (release a held one, redact personal data or abuse, tag its free text with themes), the
 * themes, and for service owners the outcome ("you said, we did") and withdrawing.
 */
export function staffModerationRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  async function responseOf(
    request: FastifyRequest,
    consultation: ConsultationRow,
  ): Promise<ConsultationResponseRow> {
    const { responseId } = request.params as { responseId: string };
    const response = await findSubmittedResponse(db, consultation.id, responseId);
    if (!response) throw notFound({ response: responseId });
    return response;
  }

  /**
   * The consultation as the response's version asked it (an edit after responses may have
   * changed the questions since), for showing, redacting and tagging its answers.
   */
  async function asAnswered(
    consultation: ConsultationRow,
    response: ConsultationResponseRow,
  ): Promise<ConsultationRow> {
    return (await consultationAtVersion(db, consultation, response.version)) ?? consultation;
  }

  /** The response page; reading it is a read of personal data, audited with its person. */
  async function showResponse(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    consultation: ConsultationRow,
    response: ConsultationResponseRow,
    extra: Record<string, unknown> = {},
  ) {
    await recordAudit(db, actorOf(request, user), {
      action: 'consultation.response-viewed',
      resourceType: 'consultation_response',
      resourceId: response.id,
      subjectUserId: response.user_id,
      details: { consultationId: consultation.id, held: response.held },
    });
    const themes = await themesOf(db, consultation.id);
    const tags = await answerThemes(db, [response.id]);
    const texts = redactableTexts(consultation, response);
    const questions = questionsOf(questionFormOf(consultation.questions).form);
    const answers = answersOf(consultation.questions, response.answers);
    return reply.view(RESPONSE, {
      consultation,
      response,
      answers: questions.map((q, i) => ({
        index: i,
        question: q.label[request.locale],
        kind: isFreeTextQuestion(q) ? 'text' : 'other',
        answer: answerText(
          q,
          Object.hasOwn(answers, q.name) ? answers[q.name] : undefined,
          request.locale,
        ),
        themes: tags.get(`${response.id}:${i}`) ?? [],
      })),
      fields: [...texts.keys()].map((field) => ({
        value: field,
        label:
          field === 'organisation'
            ? request.t('consultations.moderate.field.organisation')
            : request.t('consultations.respond.questionOf', {
                number: Number(field) + 1,
                total: questions.length,
              }),
      })),
      themes,
      values: {},
      done: (request.query as { done?: string }).done,
      backLink: results(consultation),
      ...extra,
    });
  }

  app.get('/staff/consultations/:id/responses/:responseId', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const current = await ownConsultation(db, request, user);
    const response = await responseOf(request, current);
    const consultation = await asAnswered(current, response);
    return showResponse(request, reply, user, consultation, response);
  });

  app.post('/staff/consultations/:id/responses/:responseId/release', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(db, request, user);
    const response = await responseOf(request, consultation);
    await db.transaction().execute((trx) => releaseResponse(trx, actorOf(request, user), response));
    return reply.redirect(`${results(consultation)}?done=released`, 303);
  });

  app.post('/staff/consultations/:id/responses/:responseId/redact', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const current = await ownConsultation(db, request, user);
    const response = await responseOf(request, current);
    const consultation = await asAnswered(current, response);
    const read = readRedaction(request.body, redactableTexts(consultation, response));
    if (!read.ok)
      return showResponse(request, reply.code(400), user, consultation, response, {
        values: request.body,
        ...errorView(read.errors, request.t),
      });
    await db
      .transaction()
      .execute((trx) =>
        redactResponse(trx, actorOf(request, user), consultation, response, read.redaction),
      );
    return reply.redirect(`${results(consultation)}/responses/${response.id}?done=redacted`, 303);
  });

  app.post('/staff/consultations/:id/responses/:responseId/themes', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const current = await ownConsultation(db, request, user);
    const response = await responseOf(request, current);
    const consultation = await asAnswered(current, response);
    const question = formText(request.body, 'question');
    const index = /^\d{1,2}$/.test(question) ? Number(question) : -1;
    const tagged = await db
      .transaction()
      .execute((trx) =>
        tagAnswer(
          trx,
          actorOf(request, user),
          consultation,
          response,
          index,
          formValues(request.body, 'themes'),
        ),
      );
    if (!tagged) throw notFound({ question });
    return reply.redirect(`${results(consultation)}/responses/${response.id}?done=tagged`, 303);
  });

  async function showThemes(
    request: FastifyRequest,
    reply: FastifyReply,
    consultation: ConsultationRow,
    extra: Record<string, unknown> = {},
  ) {
    const responses = await submittedResponses(db, consultation.id);
    const themes = await themesOf(db, consultation.id);
    const tags = await answerThemes(
      db,
      responses.map((r) => r.id),
    );
    return reply.view(THEMES, {
      consultation,
      themes,
      results: tally(consultation, responses, { themes, tags }, request.locale).flatMap((r, i) =>
        r.kind === 'text' && r.taggable ? [{ number: i + 1, text: r.text, themes: r.themes }] : [],
      ),
      values: {},
      backLink: results(consultation),
      ...extra,
    });
  }

  app.get('/staff/consultations/:id/themes', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return showThemes(request, reply, await ownConsultation(db, request, user));
  });

  app.post('/staff/consultations/:id/themes', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(db, request, user);
    const name = formText(request.body, 'name');
    const added = await db
      .transaction()
      .execute((trx) => addTheme(trx, actorOf(request, user), consultation, name));
    if (!added.ok)
      return showThemes(request, reply.code(400), consultation, {
        values: { name },
        ...errorView(added.errors, request.t),
      });
    return reply.redirect(`${results(consultation)}/themes`, 303);
  });

  /** A service owner's page on the consultation (outcome, withdraw), shown with its state. */
  async function ownerPage(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    consultation: ConsultationRow,
    extra: Record<string, unknown> = {},
  ) {
    const bodies = await bodiesOf(db, [consultation]);
    return reply.view(view, {
      consultation: consultationView(consultation, bodies, request.locale, new Date()),
      values: { outcome: consultation.outcome ?? '' },
      backLink: results(consultation),
      ...extra,
    });
  }

  app.get('/staff/consultations/:id/outcome', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(db, request, user, mayPublishConsultation);
    return ownerPage(request, reply, OUTCOME, consultation);
  });

  app.post('/staff/consultations/:id/outcome', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(db, request, user, mayPublishConsultation);
    const read = requiredText(
      request.body,
      'outcome',
      LIMITS.outcome,
      'consultations.outcome.text',
    );
    const published = read.ok
      ? await db
          .transaction()
          .execute((trx) =>
            publishOutcome(trx, actorOf(request, user), consultation, read.text, new Date()),
          )
      : read;
    if (!published.ok)
      return ownerPage(request, reply.code(400), OUTCOME, consultation, {
        values: { outcome: formText(request.body, 'outcome') },
        ...errorView(published.errors, request.t),
      });
    context.wakeOutbox();
    return reply.redirect(`${results(consultation)}?done=outcome`, 303);
  });

  app.get('/staff/consultations/:id/withdraw', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(db, request, user, mayPublishConsultation);
    return ownerPage(request, reply, WITHDRAW, consultation, { values: {} });
  });

  app.post('/staff/consultations/:id/withdraw', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(db, request, user, mayPublishConsultation);
    const read = requiredText(
      request.body,
      'reason',
      LIMITS.withdrawnReason,
      'consultations.withdraw.reason',
    );
    const withdrawn = read.ok
      ? await db
          .transaction()
          .execute((trx) =>
            withdrawConsultation(trx, actorOf(request, user), consultation, read.text, new Date()),
          )
      : read;
    if (!withdrawn.ok)
      return ownerPage(request, reply.code(400), WITHDRAW, consultation, {
        values: { reason: formText(request.body, 'reason') },
        ...errorView(withdrawn.errors, request.t),
      });
    return reply.redirect(`${results(consultation)}?done=withdrawn`, 303);
  });
}
