import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit, type Actor } from '../../../../platform/audit/audit.js';
import { AppError, notFound } from '../../../../platform/errors/errors.js';
import { apiRoute } from '../../../../platform/http/api.js';
import { pagingQuery } from '../../../../platform/http/paging.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { ukToday } from '../../../../platform/validation/validators.js';
import { findOrganisationBySlug, type OrganisationRow } from '../../../organisations/index.js';
import { authenticateHubKey, type HubCaller } from '../../../submissions/index.js';
import type { ConsultationResponseRow, ConsultationRow } from '../../db/consultation-tables.js';
import { documentsOf } from '../commands/documents.js';
import { consultationAtVersion } from '../commands/versions.js';
import { mayExportResponsesByKey } from '../policies/consultations.js';
import {
  answerThemes,
  findConsultation,
  submittedResponses,
  themesOf,
} from '../queries/consultations.js';
import { responsesCsv, type Themes } from '../queries/results.js';
import { answerText } from '../../../forms/index.js';
import {
  answersOf,
  isChoiceQuestion,
  questionFormOf,
  questionsOf,
  type StoredQuestions,
} from '../questions.js';
import { consultationStatus, documentPages } from '../schema.js';
import { CONSULTATION_TOPICS } from '../topics.js';
import { bodiesOf } from '../pages/shared.js';

const TAG = 'Consultations';
const KEYS = [{ hubApiKey: [] }];
const STATUSES = ['upcoming', 'open', 'closed', 'withdrawn'] as const;

const Text = z.object({ en: z.string(), cy: z.string().nullable() });

const QuestionJson = z.object({
  number: z.number().int().describe('From 1, as the CSV columns Q1, Q2 … are named'),
  name: z.string().describe('The question’s name in the form definition (its answer’s key)'),
  type: z.string().describe('The forms engine’s question type (textarea, radios, checkboxes …)'),
  kind: z
    .enum(['text', 'choice'])
    .describe('Counted per option (radios, select, checkboxes, yes/no), or answered in words'),
  text: Text,
  easyRead: z.string().nullable().describe('The question in easy read, if given'),
  options: z
    .array(Text.extend({ value: z.string() }))
    .nullable()
    .describe('For a choice: the options; an answer is given as the English option'),
});

const FormJson = z
  .record(z.string(), z.unknown())
  .describe('The questions as a forms-engine form definition (docs/guides/forms.md)');

const Consultation = z.object({
  id: z.string().describe('Stable id; the page is /consultations/{id}'),
  url: z.string(),
  title: Text,
  summary: Text,
  body: z.object({ slug: z.string(), name: z.string(), nameCy: z.string().nullable() }),
  topic: z.enum(CONSULTATION_TOPICS),
  status: z.enum(STATUSES),
  opensOn: z.string().describe('The first London day it takes responses, YYYY-MM-DD'),
  closesOn: z.string().describe('The last London day it takes responses, YYYY-MM-DD'),
  area: z
    .array(z.string())
    .describe('Postcode districts (outward codes) consulted; empty for the whole country'),
  signInRequired: z.boolean(),
  version: z.number().int().describe('1, and one more each time it was edited after a response'),
  publishedAt: z.string().describe('ISO 8601 instant'),
  outcomePublishedAt: z.string().nullable(),
});

const ConsultationDetail = Consultation.extend({
  audience: z.string().describe('Who is consulted, in the body’s words'),
  document: Text.describe(
    'The consultation document (paragraphs separated by blank lines; a line "# Title" starts a page)',
  ),
  pages: z
    .array(
      z.object({
        number: z.number().int(),
        title: z.object({ en: z.string().nullable(), cy: z.string().nullable() }),
        url: z.string(),
      }),
    )
    .describe('The document’s pages (one, untitled, when it has no page titles)'),
  easyRead: z.string().nullable().describe('The easy read version of the document, if given'),
  questions: z.array(QuestionJson),
  form: FormJson,
  documents: z
    .array(
      z.object({ name: z.string(), type: z.string(), size: z.number().int(), url: z.string() }),
    )
    .describe('Attached files, once the consultation has opened (empty before)'),
  withdrawn: z.object({ at: z.string(), reason: z.string() }).nullable(),
  outcome: z
    .object({ text: z.string(), publishedAt: z.string() })
    .nullable()
    .describe('"You said, we did", once published'),
});

const ResponseJson = z.object({
  reference: z.string(),
  submittedAt: z.string(),
  version: z.number().int().describe('The version of the consultation it answered'),
  language: z.enum(['en', 'cy']),
  respondentType: z.enum(['individual', 'organisation']),
  organisationName: z.string().nullable(),
  answers: z.array(
    z.object({
      number: z.number().int(),
      name: z.string(),
      answer: z
        .string()
        .describe(
          'In words, in English (a choice’s English option; boxes ticked separated by ", "), as redacted by moderators; empty when left blank',
        ),
      themes: z.array(z.string()),
    }),
  ),
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function questionsJson(stored: StoredQuestions) {
  const { form, easyRead } = questionFormOf(stored);
  return questionsOf(form).map((q, i) => {
    const choice = isChoiceQuestion(q);
    // Text given the same in both languages is the English, untranslated.
    const cy = (b: { en: string; cy: string }) => (b.cy === b.en ? null : b.cy);
    return {
      number: i + 1,
      name: q.name,
      type: q.type,
      kind: choice ? ('choice' as const) : ('text' as const),
      text: { en: q.label.en, cy: cy(q.label) },
      easyRead: easyRead[q.name] ?? null,
      options: !choice
        ? null
        : q.type === 'yesNo'
          ? [
              { value: 'yes', en: 'Yes', cy: 'Ie' },
              { value: 'no', en: 'No', cy: 'Na' },
            ]
          : 'options' in q
            ? q.options.map((o) => ({ value: o.value, en: o.label.en, cy: cy(o.label) }))
            : null,
    };
  });
}

function toJson(
  consultation: ConsultationRow,
  body: OrganisationRow | undefined,
  baseUrl: string,
  now: Date,
) {
  return {
    id: consultation.id,
    url: new URL(`/consultations/${consultation.id}`, baseUrl).toString(),
    title: { en: consultation.title, cy: consultation.title_cy },
    summary: { en: consultation.summary, cy: consultation.summary_cy },
    body: { slug: body?.slug ?? '', name: body?.name ?? '', nameCy: body?.name_cy ?? null },
    topic: consultation.topic,
    status: consultationStatus(consultation, now),
    opensOn: consultation.opens_on,
    closesOn: consultation.closes_on,
    area: consultation.area_districts,
    signInRequired: consultation.sign_in_required,
    version: consultation.version,
    publishedAt: iso(consultation.published_at)!,
    outcomePublishedAt: iso(consultation.outcome_published_at),
  };
}

/** The responses as the JSON export gives them: one entry an answer, by question number. */
function responsesJson(
  stored: StoredQuestions,
  responses: readonly ConsultationResponseRow[],
  themes: Themes,
) {
  const questions = questionsOf(questionFormOf(stored).form);
  return responses.map((r) => {
    const answers = answersOf(stored, r.answers);
    return {
      reference: r.reference ?? '',
      submittedAt: iso(r.submitted_at)!,
      version: r.version,
      language: r.language,
      respondentType: r.respondent_type,
      organisationName: r.organisation_name,
      answers: questions.map((q, i) => {
        const ids = themes.tags.get(`${r.id}:${i}`) ?? [];
        return {
          number: i + 1,
          name: q.name,
          answer: answerText(q, Object.hasOwn(answers, q.name) ? answers[q.name] : undefined, 'en'),
          themes: themes.themes.filter((t) => ids.includes(t.id)).map((t) => t.name),
        };
      }),
    };
  });
}

function keyActor(request: FastifyRequest, caller: HubCaller): Actor {
  return {
    userId: null,
    organisationId: caller.organisationId,
    role: `hub-key:${caller.scope}`,
    requestId: request.id,
  };
}

/**
 * Consultations as open data (`/api/v1/consultations`: published consultations with their
 * questions and, once published, the outcome; never a response) and, for the owning body's
 * systems with its hub `receive` key, the responses that count (CSV or JSON), audited as the
 * staff export is.
 */
export function consultationApiRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const baseUrl = context.config.baseUrl;

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/consultations',
    summary: 'List published consultations (open data, no responses), newest closing day first',
    tag: TAG,
    query: z.object({
      status: z
        .enum([...STATUSES, 'all'])
        .default('open')
        .describe('Where they stand today (London): open by default'),
      body: z
        .string()
        .regex(/^[a-z0-9-]{1,80}$/, 'must be a body slug')
        .optional()
        .describe('Only consultations of this body (its slug, e.g. stroud)'),
      district: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{1,2}[0-9][A-Z0-9]?$/, 'must be a postcode district, like GL5')
        .optional()
        .describe('Only those consulting this postcode district (or the whole country)'),
      topic: z.enum(CONSULTATION_TOPICS).optional(),
      ...pagingQuery,
    }),
    response: z.object({
      consultations: z.array(Consultation),
      page: z.number().int(),
      perPage: z.number().int(),
      total: z.number().int(),
    }),
    handler: async ({ query }) => {
      const now = new Date();
      const today = ukToday(now);
      const empty = { consultations: [], page: query.page, perPage: query.per_page, total: 0 };
      let organisationId: string | undefined;
      if (query.body) {
        const body = await findOrganisationBySlug(db, query.body);
        if (!body) return empty;
        organisationId = body.id;
      }
      let select = db.selectFrom('consultations');
      if (organisationId) select = select.where('organisation_id', '=', organisationId);
      if (query.topic) select = select.where('topic', '=', query.topic);
      if (query.district)
        select = select.where(
          sql<boolean>`(cardinality(area_districts) = 0 or ${query.district} = any(area_districts))`,
        );
      if (query.status === 'withdrawn') select = select.where('withdrawn_at', 'is not', null);
      else if (query.status !== 'all') {
        select = select.where('withdrawn_at', 'is', null);
        if (query.status === 'upcoming') select = select.where('opens_on', '>', today);
        if (query.status === 'closed') select = select.where('closes_on', '<', today);
        if (query.status === 'open')
          select = select.where('opens_on', '<=', today).where('closes_on', '>=', today);
      }
      const { n } = await select
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const rows = await select
        .selectAll()
        .orderBy('closes_on', 'desc')
        .orderBy('published_at', 'desc')
        .orderBy('id')
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
        .execute();
      const bodies = await bodiesOf(db, rows);
      return {
        consultations: rows.map((c) => toJson(c, bodies.get(c.organisation_id), baseUrl, now)),
        page: query.page,
        perPage: query.per_page,
        total: Number(n),
      };
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/consultations/:id',
    summary:
      'One published consultation: its text, questions, documents and, once published, its outcome',
    tag: TAG,
    params: z.object({ id: z.uuid('must be a consultation id') }),
    response: ConsultationDetail,
    handler: async ({ params }) => {
      const consultation = await findConsultation(db, params.id);
      if (!consultation) throw notFound({ consultation: params.id });
      const now = new Date();
      const bodies = await bodiesOf(db, [consultation]);
      // Documents are anyone's once it opens (as on its page), the body's staff's before.
      const opened = consultationStatus(consultation, now) !== 'upcoming';
      const documents = opened ? await documentsOf(db, consultation.id) : [];
      return {
        ...toJson(consultation, bodies.get(consultation.organisation_id), baseUrl, now),
        audience: consultation.audience,
        document: { en: consultation.body, cy: consultation.body_cy },
        pages: documentPages(consultation.body).map((page, i) => ({
          number: i + 1,
          title: {
            en: page.title,
            cy: consultation.body_cy
              ? (documentPages(consultation.body_cy)[i]?.title ?? null)
              : null,
          },
          url: new URL(
            `/consultations/${consultation.id}${i > 0 ? `/pages/${i + 1}` : ''}`,
            baseUrl,
          ).toString(),
        })),
        easyRead: consultation.easy_read,
        questions: questionsJson(consultation.questions),
        form: questionFormOf(consultation.questions).form,
        documents: documents.map((d) => ({
          name: d.attachment.name,
          type: d.attachment.type,
          size: d.attachment.size,
          url: new URL(`/consultations/${consultation.id}/documents/${d.id}`, baseUrl).toString(),
        })),
        withdrawn:
          consultation.withdrawn_at && consultation.withdrawn_reason
            ? { at: iso(consultation.withdrawn_at)!, reason: consultation.withdrawn_reason }
            : null,
        outcome:
          consultation.outcome && consultation.outcome_published_at
            ? { text: consultation.outcome, publishedAt: iso(consultation.outcome_published_at)! }
            : null,
      };
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/consultations/:id/responses',
    summary:
      'The responses that count (not held for moderation) to one version of the body’s own consultation, as JSON or CSV; only with the body’s hub receive key; audited',
    tag: TAG,
    params: z.object({ id: z.uuid('must be a consultation id') }),
    query: z.object({
      format: z.enum(['json', 'csv']).default('json'),
      version: z.coerce
        .number()
        .int()
        .min(1)
        .optional()
        .describe('A version of the consultation (default: the current one)'),
    }),
    security: KEYS,
    authenticate: (request) => authenticateHubKey(db, request.headers.authorization),
    response: z.object({
      consultationId: z.string(),
      version: z.number().int(),
      questions: z.array(QuestionJson),
      form: FormJson,
      responses: z.array(ResponseJson),
    }),
    responseContent: { 'text/csv': { type: 'string' } },
    handler: async ({ params, query, caller }, request, reply) => {
      const consultation = await findConsultation(db, params.id);
      // Another body's key learns nothing of the consultation: the same 404 as a made-up id.
      if (!consultation || caller.organisationId !== consultation.organisation_id)
        throw notFound({ consultation: params.id });
      if (!mayExportResponsesByKey(caller, consultation.organisation_id))
        throw new AppError('insufficient_scope', 403, 'Only the body’s receive key may do this');
      const shown = await consultationAtVersion(
        db,
        consultation,
        query.version ?? consultation.version,
      );
      if (!shown) throw notFound({ consultation: params.id, version: query.version });
      const actor = keyActor(request, caller);
      const responses = await db.transaction().execute(async (trx) => {
        const rows = (await submittedResponses(trx, consultation.id)).filter(
          (r) => r.version === shown.version,
        );
        await recordAudit(trx, actor, {
          action: 'consultation.responses-exported',
          resourceType: 'consultation',
          resourceId: consultation.id,
          subjectUserId: null,
          details: {
            shown: rows.length,
            version: shown.version,
            keyId: caller.keyId,
            format: query.format,
          },
        });
        for (const row of rows.filter((r) => r.user_id))
          await recordAudit(trx, actor, {
            action: 'consultation.response-exported',
            resourceType: 'consultation_response',
            resourceId: row.id,
            subjectUserId: row.user_id,
            details: { consultationId: consultation.id, keyId: caller.keyId },
          });
        return rows;
      });
      const themes: Themes = {
        themes: await themesOf(db, consultation.id),
        tags: await answerThemes(
          db,
          responses.map((r) => r.id),
        ),
      };
      if (query.format === 'csv') {
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="consultation-${consultation.id}-version-${shown.version}.csv"`,
          )
          .header('cache-control', 'no-store');
        return responsesCsv(shown, responses, themes) as never;
      }
      reply.header('cache-control', 'no-store');
      return {
        consultationId: consultation.id,
        version: shown.version,
        questions: questionsJson(shown.questions),
        form: questionFormOf(shown.questions).form,
        responses: responsesJson(shown.questions, responses, themes),
      };
    },
  });
}
