import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../../platform/http/forms.js';
import { consumeRateLimit } from '../../../../../platform/http/rate-limit-store.js';
import type { AppContext } from '../../../../../platform/http/types.js';
import { requireSignIn } from '../../../../identity/index.js';
import { acceptedTypesText, humanSize, sendPublishedAttachment } from '../../../../attachments/index.js';
import type { ConsultationResponseRow, ConsultationRow } from '../../../db/consultation-tables.js';
import {
  answersBefore,
  fieldView,
  holds,
  mayVisit,
  nextPage,
  previousPage,
  readPageInput,
  summariseAnswers,
  ukToday,
  valuesFromAnswers,
  type Answers,
  type FieldView,
  type FormDefinition,
} from '../../../../forms/index.js';
import {
  draftAnswers,
  hashToken,
  nextUnanswered,
  readAbout,
  readNotify,
  savePage,
  startResponse,
  submitResponse,
} from '../../commands/consultations.js';
import { adoptDraft, ownDraft, returnToDraft, sendReturnLink } from '../../commands/save.js';
import { documentsOf, findDocument } from '../../commands/documents.js';
import { consultationAtVersion, earlierVersions } from '../../commands/versions.js';
import { mayDownloadDocuments, mayRespond } from '../../policies/consultations.js';
import {
  findConsultation,
  findResponseByToken,
  listConsultations,
} from '../../queries/consultations.js';
import { formForReader, questionFormOf } from '../../questions.js';
import { consultationStatus } from '../../schema.js';
import { bodiesOf, consultationView, questionsForReading } from '../shared.js';

const VIEWS = 'modules/engagement/consultations/pages/public';
const LIST = `${VIEWS}/list.njk`;
const CONSULTATION = `${VIEWS}/consultation.njk`;
const ABOUT = `${VIEWS}/about.njk`;
const QUESTION = `${VIEWS}/question.njk`;
const CHECK = `${VIEWS}/check.njk`;
const SENT = `${VIEWS}/sent.njk`;
const CLOSED = `${VIEWS}/closed.njk`;
const SAVE = `${VIEWS}/save.njk`;
const SAVED = `${VIEWS}/saved.njk`;
const RETURN = `${VIEWS}/return.njk`;
const LIMITED = `${VIEWS}/limited.njk`;

/** The draft response's cookie; its path is the consultation's, so each has its own. */
export const DRAFT_COOKIE = 'consultation_response';
/**
 * The version the reader chose (`easy-read` or `standard`), for that consultation's pages: the
 * document's pages and the questions follow it until they choose the other.
 */
export const VERSION_COOKIE = 'consultation_version';

async function anyConsultation(context: AppContext, request: FastifyRequest): Promise<ConsultationRow> {
  const { id } = request.params as { id: string };
  const consultation = await findConsultation(context.db, id);
  if (!consultation) throw notFound({ consultation: id });
  return consultation;
}

/**
 * A consultation taking responses now, for someone who may respond; otherwise the "closed"
 * page (410 once closed, 404 before it opens) or the sign-in page, and null.
 */
async function openConsultation(
  context: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<ConsultationRow | null> {
  const consultation = await anyConsultation(context, request);
  const status = consultationStatus(consultation, new Date());
  if (status === 'upcoming') throw notFound({ consultation: consultation.id, status });
  if (status === 'closed' || status === 'withdrawn') {
    await reply.code(410).view(CLOSED, { consultation, backLink: `/consultations/${consultation.id}` });
    return null;
  }
  if (!mayRespond(request.user, consultation) && !requireSignIn(request, reply)) return null;
  return consultation;
}

async function draftOf(
  context: AppContext,
  request: FastifyRequest,
  consultation: ConsultationRow,
): Promise<ConsultationResponseRow | undefined> {
  const token = request.cookies[DRAFT_COOKIE];
  if (!token) return undefined;
  return findResponseByToken(context.db, consultation.id, hashToken(token));
}

const base = (c: ConsultationRow) => `/consultations/${c.id}/respond`;

/** Whether the reader chose the easy read version of this consultation (its cookie). */
function readsEasyRead(request: FastifyRequest, consultation: ConsultationRow): boolean {
  return consultation.easy_read !== null && request.cookies[VERSION_COOKIE] === 'easy-read';
}

/** The consultation's questions as this reader reads them: easy read wording when they chose it. */
function readerForm(
  request: FastifyRequest,
  consultation: ConsultationRow,
): { form: FormDefinition; english: (name: string) => boolean } {
  const questionForm = questionFormOf(consultation.questions);
  const easyRead = readsEasyRead(request, consultation);
  const form = formForReader(questionForm, easyRead);
  const byName = new Map(form.pages.flatMap((p) => p.questions).map((q) => [q.name, q]));
  return {
    form,
    // English on a Welsh page: easy read wording, or a question given the same in both languages.
    english: (name) => {
      const question = byName.get(name);
      if (request.locale !== 'cy' || !question) return false;
      return (easyRead && Object.hasOwn(questionForm.easyRead, name)) || question.label.cy === question.label.en;
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A field whose label (or legend) is English on a Welsh page, marked `lang="en"` for screen readers. */
function markedEnglish(view: FieldView): FieldView {
  if (view.macro === 'address') return view;
  const params = { ...view.params };
  const mark = (heading: { text: string }) => {
    const { text, ...rest } = heading;
    return { ...rest, html: `<span lang="en">${escapeHtml(text)}</span>` };
  };
  if (params.label) params.label = mark(params.label as { text: string });
  const fieldset = params.fieldset as { legend: { text: string } } | undefined;
  if (fieldset) params.fieldset = { ...fieldset, legend: mark(fieldset.legend) };
  return { ...view, params } as FieldView;
}

/** A page of the consultation's questions, drawn by the forms engine with the values and errors given. */
function questionView(
  request: FastifyRequest,
  consultation: ConsultationRow,
  index: number,
  answers: Answers,
  values: Record<string, unknown>,
  fieldErrors: Record<string, { text: string }>,
  change: boolean,
) {
  const { form, english } = readerForm(request, consultation);
  const page = form.pages[index]!;
  // A question whose condition rests on an earlier page's answer that does not hold is not asked.
  const before = answersBefore(form, answers, page);
  const onPage = new Set(page.questions.map((q) => q.name));
  const asked = page.questions.filter(
    (q) => !q.when || onPage.has(q.when.question) || holds(q.when, before),
  );
  const single = asked.length === 1;
  const path = `${base(consultation)}/questions/${index + 1}`;
  const previous = previousPage(form, page.id, answers);
  return {
    consultation,
    single,
    pageTitle: single ? asked[0]!.label[request.locale] : page.title[request.locale],
    fields: asked.map((question) => {
      const view = fieldView(question, values, {
        locale: request.locale,
        t: request.t,
        errors: fieldErrors,
        asPageHeading: single,
        path,
      });
      return english(question.name) ? markedEnglish(view) : view;
    }),
    // "Question 2 of 5" while each page asks one question; "Page 2 of 5" otherwise.
    caption: request.t(
      form.pages.every((p) => p.questions.length === 1)
        ? 'consultations.respond.questionOf'
        : 'consultations.respond.pageOf',
      { number: index + 1, total: form.pages.length },
    ),
    number: index + 1,
    change,
    backLink: previous
      ? `${base(consultation)}/questions/${form.pages.indexOf(previous) + 1}`
      : base(consultation),
  };
}

/** Whether nothing at all was typed or chosen on a page (its answers as `readPageInput` read them). */
function nothingGiven(input: Record<string, unknown>): boolean {
  const empty = (value: unknown): boolean =>
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && !Array.isArray(value) && Object.values(value).every(empty));
  return Object.values(input).every(empty);
}

/**
 * The public consultation pages: the list, a consultation's page, and responding to it: about
 * you, one question a page, check your answers, and the confirmation with a reference.
 */
export function publicConsultationRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get('/consultations', async (request, reply) => {
    const now = new Date();
    const consultations = await listConsultations(db);
    const bodies = await bodiesOf(db, consultations);
    const views = consultations.map((c) => consultationView(c, bodies, request.locale, now));
    return reply.view(LIST, {
      open: views.filter((c) => c.status === 'open'),
      upcoming: views.filter((c) => c.status === 'upcoming'),
      closed: views.filter((c) => c.status === 'closed' || c.status === 'withdrawn'),
    });
  });

  /**
   * The version a reader reads in: the one asked for (`?version=easy-read` or `standard`), kept
   * in a cookie for the consultation's pages and its questions; otherwise the one kept.
   */
  function readerVersion(
    request: FastifyRequest,
    reply: FastifyReply,
    consultation: ConsultationRow,
  ): 'easy-read' | 'standard' {
    const { version } = request.query as { version?: string };
    if (version === 'easy-read' || version === 'standard') {
      reply.setCookie(VERSION_COOKIE, version, {
        path: `/consultations/${consultation.id}`,
        httpOnly: true,
        sameSite: 'lax',
        secure: context.config.baseUrl.startsWith('https://'),
        maxAge: 24 * 3600,
      });
      return version;
    }
    return request.cookies[VERSION_COOKIE] === 'easy-read' ? 'easy-read' : 'standard';
  }

  /** A consultation's page, on one page of its document (the first holds its details). */
  async function showConsultation(request: FastifyRequest, reply: FastifyReply, pageNumber: number) {
    const consultation = await anyConsultation(context, request);
    const bodies = await bodiesOf(db, [consultation]);
    const now = new Date();
    const view = consultationView(
      consultation,
      bodies,
      request.locale,
      now,
      readerVersion(request, reply, consultation),
    );
    if (pageNumber > view.pages.length)
      throw notFound({ consultation: consultation.id, page: pageNumber });
    // Its documents are listed to those who may download them (before it opens: its body's staff).
    const documents =
      pageNumber === 1 && mayDownloadDocuments(request.user, consultation, now)
        ? (await documentsOf(db, consultation.id)).map((d) => ({
            id: d.id,
            name: d.attachment.name,
            typeName: acceptedTypesText(request.t, [d.attachment.type]) || d.attachment.type,
            size: humanSize(d.attachment.size),
          }))
        : [];
    return reply.view(CONSULTATION, {
      documents,
      versions: (await earlierVersions(db, consultation.id)).map((v) => ({
        version: v.version,
        replacedAt: v.replaced_at,
      })),
      consultation: view,
      pageNumber,
      backLink:
        pageNumber === 1
          ? '/consultations'
          : `/consultations/${consultation.id}${pageNumber > 2 ? `/pages/${pageNumber - 1}` : ''}`,
    });
  }

  app.get('/consultations/:id', (request, reply) => showConsultation(request, reply, 1));

  // The document's other pages (GOV.UK contents list and pagination); the first is the page above.
  app.get('/consultations/:id/pages/:page', async (request, reply) => {
    const { id, page } = request.params as { id: string; page: string };
    if (!/^\d{1,2}$/.test(page) || Number(page) < 1) throw notFound({ consultation: id, page });
    if (Number(page) === 1) return reply.redirect(`/consultations/${id}`, 303);
    return showConsultation(request, reply, Number(page));
  });

  // An earlier version, kept as it was when an edit replaced it: read only, with its questions.
  app.get('/consultations/:id/versions/:version', async (request, reply) => {
    const consultation = await anyConsultation(context, request);
    const { version } = request.params as { version: string };
    const at = /^\d{1,4}$/.test(version)
      ? await consultationAtVersion(db, consultation, Number(version))
      : undefined;
    if (!at || at.replacedAt === null)
      throw notFound({ consultation: consultation.id, version });
    const bodies = await bodiesOf(db, [consultation]);
    return reply.view(CONSULTATION, {
      documents: [],
      versions: [],
      old: {
        version: at.version,
        replacedAt: at.replacedAt,
        questions: questionsForReading(at.questions, request.locale),
      },
      consultation: consultationView(at, bodies, request.locale, new Date()),
      backLink: `/consultations/${consultation.id}`,
    });
  });

  // A document: anyone's once the consultation has opened; before, only its body's staff (404).
  app.get('/consultations/:id/documents/:documentId', async (request, reply) => {
    const consultation = await anyConsultation(context, request);
    const { documentId } = request.params as { documentId: string };
    if (!mayDownloadDocuments(request.user, consultation, new Date()))
      throw notFound({ consultation: consultation.id, document: documentId });
    const document = await findDocument(db, consultation.id, documentId);
    if (!document) throw notFound({ consultation: consultation.id, document: documentId });
    return sendPublishedAttachment(request, reply, document.attachment_id);
  });

  /** The draft's cookie: its path is the consultation's, so each consultation has its own. */
  function setDraftCookie(reply: FastifyReply, consultation: ConsultationRow, token: string) {
    reply.setCookie(DRAFT_COOKIE, token, {
      path: `/consultations/${consultation.id}`,
      httpOnly: true,
      sameSite: 'lax',
      secure: context.config.baseUrl.startsWith('https://'),
      maxAge: 24 * 3600,
    });
  }

  app.get('/consultations/:id/respond', async (request, reply) => {
    const consultation = await openConsultation(context, request, reply);
    if (!consultation) return reply;
    let draft = await draftOf(context, request, consultation);
    // Signed in, a draft started in another browser (or days ago) carries on here.
    if ((!draft || draft.submitted_at) && request.user) {
      const own = await ownDraft(db, consultation.id, request.user.id);
      if (own) {
        setDraftCookie(reply, consultation, await db.transaction().execute((trx) => adoptDraft(trx, own)));
        draft = own;
      }
    }
    const values =
      draft && !draft.submitted_at
        ? { respondentType: draft.respondent_type, organisationName: draft.organisation_name ?? '' }
        : {};
    return reply.view(ABOUT, { consultation, values, backLink: `/consultations/${consultation.id}` });
  });

  app.post('/consultations/:id/respond', async (request, reply) => {
    const consultation = await openConsultation(context, request, reply);
    if (!consultation) return reply;
    const read = readAbout(request.body);
    if (!read.ok)
      return reply.code(400).view(ABOUT, {
        consultation,
        values: request.body,
        backLink: `/consultations/${consultation.id}`,
        ...errorView(read.errors, request.t),
      });
    const draft = await draftOf(context, request, consultation);
    const { token } = await db
      .transaction()
      .execute((trx) => startResponse(trx, consultation, draft, request.user?.id ?? null, read.about));
    if (token) setDraftCookie(reply, consultation, token);
    const pages = questionFormOf(consultation.questions).form.pages.length;
    const next = token || !draft ? 1 : nextUnanswered(consultation, draft) + 1;
    return reply.redirect(
      next > pages ? `${base(consultation)}/check` : `${base(consultation)}/questions/${next}`,
      303,
    );
  });

  /** Where the journey stands: the first page still to answer, or the check page. */
  function whereItStands(consultation: ConsultationRow, draft: ConsultationResponseRow): string {
    const next = nextUnanswered(consultation, draft);
    return next >= questionFormOf(consultation.questions).form.pages.length
      ? `${base(consultation)}/check`
      : `${base(consultation)}/questions/${next + 1}`;
  }

  /**
   * The draft for a page of questions or the check page (`step`: the page's place, or the number
   * of pages), or a redirect to where the journey stands: no jumping ahead of a page still to
   * answer (the forms engine's guard), and no page its conditions skip.
   */
  async function draftAt(
    request: FastifyRequest,
    reply: FastifyReply,
    consultation: ConsultationRow,
    step: number,
  ): Promise<ConsultationResponseRow | null> {
    const draft = await draftOf(context, request, consultation);
    if (!draft || draft.submitted_at) {
      await reply.redirect(base(consultation), 303);
      return null;
    }
    const { form } = questionFormOf(consultation.questions);
    const page = form.pages[step];
    const allowed = page
      ? mayVisit(form, page, draftAnswers(consultation, draft), { today: ukToday() }).ok
      : nextUnanswered(consultation, draft) >= form.pages.length;
    if (!allowed) {
      await reply.redirect(whereItStands(consultation, draft), 303);
      return null;
    }
    return draft;
  }

  function pageIndex(request: FastifyRequest, consultation: ConsultationRow): number {
    const { n } = request.params as { n: string };
    const index = /^\d{1,3}$/.test(n) ? Number(n) - 1 : -1;
    if (index < 0 || index >= questionFormOf(consultation.questions).form.pages.length)
      throw notFound({ question: n });
    return index;
  }

  app.get('/consultations/:id/respond/questions/:n', async (request, reply) => {
    const consultation = await openConsultation(context, request, reply);
    if (!consultation) return reply;
    const index = pageIndex(request, consultation);
    const draft = await draftAt(request, reply, consultation, index);
    if (!draft) return reply;
    const change = (request.query as { change?: string }).change === '1';
    const answers = draftAnswers(consultation, draft);
    const { form } = questionFormOf(consultation.questions);
    return reply.view(
      QUESTION,
      questionView(
        request,
        consultation,
        index,
        answers,
        valuesFromAnswers(form.pages[index]!.questions, answers),
        {},
        change,
      ),
    );
  });

  app.post('/consultations/:id/respond/questions/:n', async (request, reply) => {
    const consultation = await openConsultation(context, request, reply);
    if (!consultation) return reply;
    const index = pageIndex(request, consultation);
    const draft = await draftAt(request, reply, consultation, index);
    if (!draft) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const change = formText(body, 'change') === '1';
    const saveForLater = formText(body, 'action') === 'save';
    const { form } = questionFormOf(consultation.questions);
    const page = form.pages[index]!;
    const answers = draftAnswers(consultation, draft);
    const input = readPageInput(page.questions, body, answers);
    // "Save and come back later" with nothing given on the page keeps what is saved and moves on.
    if (saveForLater && nothingGiven(input)) return reply.redirect(`${base(consultation)}/save`, 303);
    const now = new Date();
    const saved = await db
      .transaction()
      .execute((trx) => savePage(trx, consultation, draft, page, input, request.locale, now));
    if (!saved.ok) {
      const shown = errorView(saved.errors, request.t);
      return reply.code(400).view(QUESTION, {
        ...questionView(request, consultation, index, answers, body, shown.fieldErrors, change),
        ...shown,
      });
    }
    if (saveForLater) return reply.redirect(`${base(consultation)}/save`, 303);
    const after = await draftOf(context, request, consultation);
    if (!after) return reply.redirect(base(consultation), 303);
    // From check answers, back to it once nothing is missing (a changed answer may ask a new page).
    if (change) return reply.redirect(whereItStands(consultation, after), 303);
    const next = nextPage(form, page.id, draftAnswers(consultation, after));
    return reply.redirect(
      next ? `${base(consultation)}/questions/${form.pages.indexOf(next) + 1}` : whereItStands(consultation, after),
      303,
    );
  });

  /** The answers as the check page lists them, each with a link to change its page. */
  function checkView(request: FastifyRequest, consultation: ConsultationRow, draft: ConsultationResponseRow) {
    const { form } = readerForm(request, consultation);
    const answers = draftAnswers(consultation, draft);
    const last = [...form.pages].reverse().find((p) => mayVisit(form, p, answers, { today: ukToday() }).ok);
    return {
      consultation,
      draft,
      values: {},
      answers: summariseAnswers(form, answers, request.locale).map((row) => ({
        question: row.question,
        answer: row.answer,
        change: `${base(consultation)}/questions/${form.pages.findIndex((p) => p.id === row.pageId) + 1}?change=1`,
      })),
      backLink: `${base(consultation)}/questions/${last ? form.pages.indexOf(last) + 1 : 1}`,
    };
  }

  app.get('/consultations/:id/respond/check', async (request, reply) => {
    const consultation = await openConsultation(context, request, reply);
    if (!consultation) return reply;
    const draft = await draftAt(request, reply, consultation, Number.MAX_SAFE_INTEGER);
    if (!draft) return reply;
    return reply.view(CHECK, checkView(request, consultation, draft));
  });

  app.post('/consultations/:id/respond/check', async (request, reply) => {
    const consultation = await openConsultation(context, request, reply);
    if (!consultation) return reply;
    const draft = await draftAt(request, reply, consultation, Number.MAX_SAFE_INTEGER);
    if (!draft) return reply;
    const notify = readNotify(request.body, request.locale);
    if (!notify.ok)
      return reply.code(400).view(CHECK, {
        ...checkView(request, consultation, draft),
        values: request.body,
        ...errorView(notify.errors, request.t),
      });
    const actor = {
      userId: request.user?.id ?? null,
      organisationId: request.user?.organisationId ?? null,
      role: request.user?.kind ?? 'public',
      requestId: request.id,
    };
    const outcome = await db
      .transaction()
      .execute((trx) =>
        submitResponse(trx, actor, consultation, draft, new Date(), notify.notify),
      );
    if (!outcome.ok && outcome.reason === 'closed')
      return reply
        .code(410)
        .view(CLOSED, { consultation, backLink: `/consultations/${consultation.id}` });
    // Edited meanwhile: the draft's answers were cleared, so the questions start again.
    if (!outcome.ok && outcome.reason === 'incomplete')
      return reply.redirect(`${base(consultation)}/questions/1`, 303);
    return reply.redirect(`${base(consultation)}/sent`, 303);
  });

  /** The unsent draft this browser holds, or a redirect to the start of the journey. */
  async function unsentDraft(
    request: FastifyRequest,
    reply: FastifyReply,
    consultation: ConsultationRow,
  ): Promise<ConsultationResponseRow | null> {
    const draft = await draftOf(context, request, consultation);
    if (draft && !draft.submitted_at) return draft;
    await reply.redirect(base(consultation), 303);
    return null;
  }

  app.get('/consultations/:id/respond/save', async (request, reply) => {
    const consultation = await openConsultation(context, request, reply);
    if (!consultation) return reply;
    if (!(await unsentDraft(request, reply, consultation))) return reply;
    return reply.view(SAVE, { consultation, values: {}, backLink: base(consultation) });
  });

  app.post('/consultations/:id/respond/save', async (request, reply) => {
    const consultation = await openConsultation(context, request, reply);
    if (!consultation) return reply;
    const draft = await unsentDraft(request, reply, consultation);
    if (!draft) return reply;
    // Each request sends an e-mail to any address: at most 10 an hour from one connection.
    const limit = await consumeRateLimit(db, `consultations:save:${request.ip}`, 10, 3_600_000);
    if (!limit.allowed) {
      reply.header('retry-after', Math.ceil(limit.resetInMs / 1000));
      return reply.code(429).view(LIMITED, { consultation });
    }
    const email = formText(request.body, 'email');
    const sent = await db
      .transaction()
      .execute((trx) =>
        sendReturnLink(trx, consultation, draft, email, request.locale, context.config.baseUrl, new Date()),
      );
    if (!sent.ok)
      return reply.code(400).view(SAVE, {
        consultation,
        values: { email },
        backLink: base(consultation),
        ...errorView(sent.errors, request.t),
      });
    context.wakeOutbox();
    return reply.view(SAVED, { consultation, email: email.trim().toLowerCase() });
  });

  // The e-mailed link shows a button: mail scanners that follow links change nothing.
  app.get('/consultations/:id/respond/return', async (request, reply) => {
    const consultation = await openConsultation(context, request, reply);
    if (!consultation) return reply;
    const { token } = request.query as { token?: string };
    return reply.view(RETURN, { consultation, token: typeof token === 'string' ? token : '' });
  });

  app.post('/consultations/:id/respond/return', async (request, reply) => {
    const consultation = await openConsultation(context, request, reply);
    if (!consultation) return reply;
    const returned = await db
      .transaction()
      .execute((trx) => returnToDraft(trx, consultation.id, formText(request.body, 'token'), new Date()));
    if (!returned) return reply.code(404).view(RETURN, { consultation, unknown: true });
    setDraftCookie(reply, consultation, returned.token);
    return reply.redirect(base(consultation), 303);
  });

  app.get('/consultations/:id/respond/sent', async (request, reply) => {
    const consultation = await anyConsultation(context, request);
    const draft = await draftOf(context, request, consultation);
    if (!draft?.reference) throw notFound({ consultation: consultation.id });
    return reply.view(SENT, {
      consultation,
      reference: draft.reference,
      held: draft.held,
      notify: !!draft.notify_email,
    });
  });
}
