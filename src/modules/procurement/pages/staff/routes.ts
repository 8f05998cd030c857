import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { londonClock, londonDate } from '../../../../platform/time/london.js';
import { requireSignIn } from '../../../identity/index.js';
import { checkDefinitionText, definitionText, summariseAnswers } from '../../../forms/index.js';
import { listOrganisations } from '../../../organisations/index.js';
import { answerClarification } from '../../commands/clarifications.js';
import { awardContract, awardOf } from '../../commands/awards.js';
import {
  agreeScores,
  evaluationsOf,
  saveScores,
  weightedScore,
} from '../../commands/evaluation.js';
import { changeTenderQuestions, editNotice, publishNotice } from '../../commands/notices.js';
import { approveInvoice, ordersWithInvoices, rejectInvoice } from '../../commands/invoices.js';
import { advanceOrder, raiseOrder } from '../../commands/orders.js';
import { tenderDocumentsForPanel } from '../../commands/documents.js';
import { documentsView } from '../documents/routes.js';
import type { NoticeRow } from '../../db/tables.js';
import { formOfNotice, noticeFormValues, type NoticeForm } from '../../notices/form.js';
import {
  answersOf,
  hasQuestionForm,
  questionFormOf,
  tenderFormProblems,
} from '../../notices/questions.js';
import {
  areTendersUnsealed,
  isProcurementStaff,
  mayEditNotice,
  mayEvaluate,
  mayManageProcurement,
  mayModerate,
} from '../../policies/procurement.js';
import { REGIONS, WHOLE_UK } from '../../reference/regions.js';
import { findNotice, noticesOfBody, partnersOf, questionFormAt } from '../../queries/notices.js';
import { openTender, openTenders, tenderCount } from '../../queries/tenders.js';
import { actorOf, bodiesOfNotices, money, noticeView } from '../shared.js';

const VIEWS = 'modules/procurement/pages/staff';

/**
 * The buying body's pages: its opportunities, publishing and changing one, answering
 * clarification questions, the tenders (only from the deadline), the panel's score sheets, the
 * moderator's agreement, the award, and the contract's purchase orders and invoices.
 */
export function staffProcurementRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  function staffUser(request: FastifyRequest, reply: Parameters<typeof requireSignIn>[1]) {
    const user = requireSignIn(request, reply);
    if (!user) return null;
    if (!isProcurementStaff(user)) throw notFound();
    return user as CurrentUser & { organisationId: string };
  }

  /** A notice of the staff member's own body (lead buyer), or 404. */
  async function ownNotice(request: FastifyRequest, user: CurrentUser): Promise<NoticeRow> {
    const { id } = request.params as { id: string };
    const notice = await findNotice(db, id);
    if (!notice || !mayEvaluate(user, notice.organisation_id)) throw notFound({ notice: id });
    return notice;
  }

  async function formView(user: CurrentUser, values: Partial<NoticeForm>, action: string) {
    const organisations = (await listOrganisations(db)).filter((o) => o.id !== user.organisationId);
    return {
      values: { partners: [], ...values },
      action,
      regions: [...REGIONS.map((r) => r.gss), WHOLE_UK],
      partnerItems: organisations.map((o) => ({
        value: o.id,
        text: o.name,
        checked: (values.partners ?? []).includes(o.id),
      })),
      backLink: '/staff/procurement',
    };
  }

  app.get('/staff/procurement', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notices = await noticesOfBody(db, user.organisationId);
    const bodies = await bodiesOfNotices(db, notices);
    const now = new Date();
    return reply.view(`${VIEWS}/list.njk`, {
      notices: notices.map((n) => noticeView(n, bodies, request.locale, now)),
      mayPublish: mayManageProcurement(user, user.organisationId),
      done: (request.query as { done?: string }).done,
    });
  });

  app.get('/staff/procurement/new', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    if (!mayManageProcurement(user, user.organisationId)) throw notFound();
    return reply.view(
      `${VIEWS}/publish.njk`,
      await formView(user, { smeSuitable: 'yes', region: '' }, '/staff/procurement/new'),
    );
  });

  app.post('/staff/procurement/new', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const values = noticeFormValues(request.body);
    const outcome = await db
      .transaction()
      .execute((trx) => publishNotice(trx, actorOf(request, user, context), values, new Date()));
    if (!outcome.ok)
      return reply.code(400).view(`${VIEWS}/publish.njk`, {
        ...(await formView(user, values, '/staff/procurement/new')),
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/staff/procurement/${outcome.notice.id}?done=published`, 303);
  });

  app.get('/staff/procurement/:id', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await ownNotice(request, user);
    const now = new Date();
    const unsealed = areTendersUnsealed(notice, now);
    const actor = actorOf(request, user, context);
    const tenders = unsealed
      ? await db.transaction().execute((trx) => openTenders(trx, actor, notice, now))
      : [];
    const evaluations = await evaluationsOf(
      db,
      tenders.map((t) => t.id),
    );
    const award = await awardOf(db, notice.id);
    const clarifications = await db
      .selectFrom('procurement_clarifications')
      .selectAll()
      .where('notice_id', '=', notice.id)
      .orderBy('asked_at')
      .execute();
    const bodies = await bodiesOfNotices(db, [notice]);
    return reply.view(`${VIEWS}/notice.njk`, {
      notice: noticeView(notice, bodies, request.locale, now),
      unsealed,
      count: await tenderCount(db, notice.id),
      tenders: tenders.map((t) => {
        const evaluation = evaluations.get(t.id);
        return {
          ...t,
          price: money(t.price_pence),
          total: evaluation ? weightedScore(notice.criteria, evaluation.scores) : null,
          agreed: !!evaluation?.agreed_at,
        };
      }),
      allAgreed: tenders.length > 0 && tenders.every((t) => evaluations.get(t.id)?.agreed_at),
      clarifications,
      award: award ? { ...award, value: money(award.value_pence) } : null,
      orders: award
        ? (await ordersWithInvoices(db, award.id)).map((o) => ({
            ...o,
            amount: money(o.amountPence),
            remaining: money(o.remainingPence),
            invoices: o.invoices.map((i) => ({ ...i, amount: money(i.amountPence) })),
          }))
        : [],
      mayManage: mayManageProcurement(user, notice.organisation_id),
      mayEdit: mayManageProcurement(user, notice.organisation_id) && mayEditNotice(notice, now),
      done: (request.query as { done?: string }).done,
      backLink: '/staff/procurement',
    });
  });

  app.get('/staff/procurement/:id/edit', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await ownNotice(request, user);
    if (!mayManageProcurement(user, notice.organisation_id)) throw notFound();
    const values = formOfNotice(
      {
        title: notice.title,
        description: notice.description,
        valueMinPence: notice.value_min_pence,
        valueMaxPence: notice.value_max_pence,
        cpvCodes: notice.cpv_codes,
        region: notice.region,
        smeSuitable: notice.sme_suitable,
        clarificationDeadline: notice.clarification_deadline,
        tenderDeadline: notice.tender_deadline,
        questions: notice.questions,
        criteria: notice.criteria,
        partners: await partnersOf(db, notice.id),
      },
      (instant) => ({ date: londonDate(instant), time: londonClock(instant) }),
    );
    return reply.view(`${VIEWS}/publish.njk`, {
      ...(await formView(user, values, `/staff/procurement/${notice.id}/edit`)),
      editing: true,
      questionsPage: hasQuestionForm(notice) ? `/staff/procurement/${notice.id}/questions` : null,
    });
  });

  app.post('/staff/procurement/:id/edit', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await ownNotice(request, user);
    const values = noticeFormValues(request.body);
    const changeSummary = formText(request.body, 'changeSummary');
    const outcome = await db
      .transaction()
      .execute((trx) =>
        editNotice(
          trx,
          actorOf(request, user, context),
          notice.id,
          { form: values, changeSummary },
          new Date(),
        ),
      );
    if (!outcome.ok)
      return reply.code(400).view(`${VIEWS}/publish.njk`, {
        ...(await formView(user, values, `/staff/procurement/${notice.id}/edit`)),
        editing: true,
        questionsPage: hasQuestionForm(notice) ? `/staff/procurement/${notice.id}/questions` : null,
        changeSummary,
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/staff/procurement/${notice.id}?done=changed`, 303);
  });

  /** A notice the user may change (a service owner of the lead buyer), or 404. */
  async function managedNotice(request: FastifyRequest, user: CurrentUser): Promise<NoticeRow> {
    const notice = await ownNotice(request, user);
    if (!mayManageProcurement(user, notice.organisation_id)) throw notFound({ notice: notice.id });
    return notice;
  }

  function questionsView(
    notice: NoticeRow,
    text: string,
    changeSummary: string,
    now: Date,
    errors: {
      errorList: { text: string; href: string }[];
      fieldErrors: Record<string, { text: string }>;
    } | null,
  ) {
    return {
      notice,
      text,
      changeSummary,
      mayEdit: mayEditNotice(notice, now),
      ...(errors ?? {}),
      backLink: `/staff/procurement/${notice.id}`,
    };
  }

  // The tender questions as a forms-engine definition, typed as JSON and checked as the forms
  // editor checks it; a change is the notice's next version, and tenderers are told.
  app.get('/staff/procurement/:id/questions', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await managedNotice(request, user);
    return reply.view(
      `${VIEWS}/questions.njk`,
      questionsView(notice, definitionText(questionFormOf(notice)), '', new Date(), null),
    );
  });

  app.post('/staff/procurement/:id/questions', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await managedNotice(request, user);
    const body = request.body as Record<string, unknown> | undefined;
    const text = typeof body?.questionForm === 'string' ? body.questionForm : '';
    const changeSummary = formText(body, 'changeSummary');
    const now = new Date();
    const checked = checkDefinitionText(text, request.t, tenderFormProblems);
    const outcome = await db.transaction().execute((trx) =>
      changeTenderQuestions(
        trx,
        actorOf(request, user, context),
        notice.id,
        // What the text says, or nothing the schema accepts when it does not read as JSON.
        { definition: checked.ok ? checked.value : null, changeSummary },
        now,
      ),
    );
    if (outcome.ok) return reply.redirect(`/staff/procurement/${notice.id}?done=questions`, 303);
    // The text's problems as the forms editor words them (line numbers), then the rest.
    const errors = [
      ...(checked.ok ? [] : checked.errors.map((message) => ({ field: 'questionForm', message }))),
      ...outcome.errors.filter(
        (e) =>
          e.field !== 'questionForm' || checked.ok || e.message === 'procurement.notice.closed',
      ),
    ];
    return reply
      .code(400)
      .view(
        `${VIEWS}/questions.njk`,
        questionsView(notice, text, changeSummary, now, errorView(errors, request.t)),
      );
  });

  app.post('/staff/procurement/:id/clarifications/:clarificationId', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await ownNotice(request, user);
    const { clarificationId } = request.params as { clarificationId: string };
    const outcome = await db
      .transaction()
      .execute((trx) =>
        answerClarification(
          trx,
          actorOf(request, user, context),
          { clarificationId, answer: formText(request.body, 'answer') },
          new Date(),
        ),
      );
    if (!outcome.ok)
      return reply.redirect(`/staff/procurement/${notice.id}?done=answer-missing`, 303);
    return reply.redirect(`/staff/procurement/${notice.id}?done=answered`, 303);
  });

  async function tenderPage(
    request: FastifyRequest,
    user: CurrentUser,
    notice: NoticeRow,
    extra: Record<string, unknown> = {},
  ) {
    const { responseId } = request.params as { responseId: string };
    const now = new Date();
    const tender = await db
      .transaction()
      .execute((trx) => openTender(trx, actorOf(request, user, context), notice, responseId, now));
    const evaluation = (await evaluationsOf(db, [tender.id])).get(tender.id);
    // Its documents, under the same seal (tenders_sealed before the deadline).
    const documents = (
      await tenderDocumentsForPanel(db, actorOf(request, user, context), notice, now)
    ).get(tender.supplier_id);
    const values: Record<string, string> = {};
    notice.criteria.forEach((_, i) => {
      values[`score-${i + 1}`] = evaluation ? String(evaluation.scores[i]?.score ?? '') : '';
      values[`comment-${i + 1}`] = evaluation?.scores[i]?.comment ?? '';
    });
    // The answers in words beside the scoring, question by question (forms engine's summary).
    // The questions the tender answered: those of the notice's version it was made against.
    const answers = summariseAnswers(
      await questionFormAt(db, notice, tender.notice_version),
      answersOf(tender.answers),
      request.locale,
    ).map((row) => ({ question: row.question, lines: row.answer.split('\n') }));
    return {
      notice,
      answers,
      tender: { ...tender, price: money(tender.price_pence) },
      documents: documentsView(request, documents ?? []),
      evaluation,
      total: evaluation ? weightedScore(notice.criteria, evaluation.scores) : null,
      values,
      version: evaluation ? String(evaluation.version) : '',
      mayModerate: mayModerate(user, notice.organisation_id),
      backLink: `/staff/procurement/${notice.id}`,
      ...extra,
    };
  }

  app.get('/staff/procurement/:id/tenders/:responseId', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await ownNotice(request, user);
    return reply.view(`${VIEWS}/tender.njk`, {
      ...(await tenderPage(request, user, notice)),
      done: (request.query as { done?: string }).done,
    });
  });

  app.post('/staff/procurement/:id/tenders/:responseId', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await ownNotice(request, user);
    const { responseId } = request.params as { responseId: string };
    const version = formText(request.body, 'version');
    const scores = notice.criteria.map((_, i) => ({
      score: formText(request.body, `score-${i + 1}`),
      comment: formText(request.body, `comment-${i + 1}`),
    }));
    const outcome = await db
      .transaction()
      .execute((trx) =>
        saveScores(
          trx,
          actorOf(request, user, context),
          notice,
          responseId,
          { scores, version: /^[0-9]+$/.test(version) ? Number(version) : null },
          new Date(),
        ),
      );
    if (!outcome.ok) {
      const page = await tenderPage(request, user, notice);
      const values: Record<string, string> = {};
      scores.forEach((s, i) => {
        values[`score-${i + 1}`] = s.score;
        values[`comment-${i + 1}`] = s.comment;
      });
      return reply
        .code(outcome.errors.some((e) => e.field === 'scores') ? 409 : 400)
        .view(`${VIEWS}/tender.njk`, {
          ...page,
          values,
          ...errorView(outcome.errors, request.t),
        });
    }
    return reply.redirect(`/staff/procurement/${notice.id}/tenders/${responseId}?done=saved`, 303);
  });

  app.post('/staff/procurement/:id/tenders/:responseId/agree', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await ownNotice(request, user);
    const { responseId } = request.params as { responseId: string };
    const version = Number(formText(request.body, 'version'));
    const outcome = await db
      .transaction()
      .execute((trx) =>
        agreeScores(trx, actorOf(request, user, context), notice, responseId, version, new Date()),
      );
    if (!outcome.ok)
      return reply.code(409).view(`${VIEWS}/tender.njk`, {
        ...(await tenderPage(request, user, notice)),
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/staff/procurement/${notice.id}?done=agreed`, 303);
  });

  app.post('/staff/procurement/:id/award', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await ownNotice(request, user);
    const outcome = await db.transaction().execute((trx) =>
      awardContract(
        trx,
        actorOf(request, user, context),
        notice,
        {
          responseId: formText(request.body, 'responseId'),
          reasons: formText(request.body, 'reasons'),
        },
        new Date(),
      ),
    );
    if (!outcome.ok)
      return reply.redirect(`/staff/procurement/${notice.id}?done=award-refused`, 303);
    return reply.redirect(`/staff/procurement/${notice.id}?done=awarded`, 303);
  });

  app.post('/staff/procurement/:id/orders', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await ownNotice(request, user);
    const award = await awardOf(db, notice.id);
    if (!award) throw notFound();
    const outcome = await db.transaction().execute((trx) =>
      raiseOrder(
        trx,
        actorOf(request, user, context),
        {
          awardId: award.id,
          description: formText(request.body, 'description'),
          amount: formText(request.body, 'amount'),
        },
        new Date(),
      ),
    );
    return reply.redirect(
      `/staff/procurement/${notice.id}?done=${outcome.ok ? 'ordered' : 'order-refused'}`,
      303,
    );
  });

  app.post('/staff/procurement/:id/orders/:orderId/:step', async (request, reply) => {
    const user = staffUser(request, reply);
    if (!user) return reply;
    const notice = await ownNotice(request, user);
    const { orderId, step } = request.params as { orderId: string; step: string };
    const actor = actorOf(request, user, context);
    const now = new Date();
    const outcome = await db.transaction().execute((trx) => {
      if (step === 'invoiced')
        return advanceOrder(
          trx,
          actor,
          {
            orderId,
            step,
            invoiceNumber: formText(request.body, 'invoiceNumber'),
            invoiceAmount: formText(request.body, 'invoiceAmount'),
          },
          now,
        );
      if (step === 'received') return advanceOrder(trx, actor, { orderId, step }, now);
      // One invoice of the order (`invoiceId`), or without it the oldest waiting for approval.
      const invoiceId = formText(request.body, 'invoiceId') || undefined;
      if (step === 'approved') return approveInvoice(trx, actor, { orderId, invoiceId }, now);
      if (step === 'rejected')
        return rejectInvoice(
          trx,
          actor,
          { orderId, invoiceId, reason: formText(request.body, 'reason') },
          now,
        );
      throw notFound();
    });
    const done = step === 'rejected' ? 'invoice-rejected' : step;
    return reply.redirect(
      `/staff/procurement/${notice.id}?done=${outcome.ok ? done : 'order-refused'}`,
      303,
    );
  });
}
