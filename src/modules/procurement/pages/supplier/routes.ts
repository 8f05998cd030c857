import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { fieldView, readPageInput, valuesFromAnswers } from '../../../forms/index.js';
import { askClarification } from '../../commands/clarifications.js';
import {
  registerSupplier,
  supplierFormValues,
  type SupplierForm,
} from '../../commands/suppliers.js';
import { submitTender } from '../../commands/tenders.js';
import type { NoticeRow } from '../../db/tables.js';
import { answersOf, questionFormOf, questionsOf } from '../../notices/questions.js';
import { cpvDivisions, cpvEntry } from '../../reference/cpv.js';
import { REGIONS } from '../../reference/regions.js';
import { findNotice } from '../../queries/notices.js';
import { suppliersOfPerson } from '../../queries/suppliers.js';
import { ownTender } from '../../queries/tenders.js';
import { actorOf } from '../shared.js';

const VIEWS = 'modules/procurement/pages/supplier';

/**
 * The supplier's side: registering a business account as a supplier, asking a clarification
 * question, and sending (or replacing) a tender before the deadline. Signed-in members of a
 * business account only.
 */
export function supplierRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  /** The supplier registrations the person acts for; 404 for a notice page when they have none. */
  async function registered(user: CurrentUser) {
    return (await suppliersOfPerson(db, user.id))
      .filter((s) => s.supplier)
      .map((s) => ({ id: s.supplier!.id, name: s.businessName }));
  }

  async function noticeOf(request: FastifyRequest): Promise<NoticeRow> {
    const { id } = request.params as { id: string };
    const notice = await findNotice(db, id);
    if (!notice) throw notFound({ notice: id });
    return notice;
  }

  app.get('/procurement/suppliers', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const mine = await suppliersOfPerson(db, user.id);
    return reply.view(`${VIEWS}/suppliers.njk`, {
      businesses: mine.map((m) => ({
        ...m,
        sectorNames: (m.supplier?.sectors ?? []).map((s) => cpvEntry(s)?.name ?? s),
        regionKeys: (m.supplier?.regions ?? []).map((r) => `procurement.region.${r}`),
      })),
      done: (request.query as { done?: string }).done,
    });
  });

  function registerView(
    values: SupplierForm,
    businesses: { businessId: string; businessName: string }[],
  ) {
    return {
      values,
      businesses,
      divisions: cpvDivisions().map((d) => ({
        value: d.code.slice(0, 8),
        text: `${d.code} ${d.name}`,
        checked: values.sectors.includes(d.code.slice(0, 8)),
      })),
      regionItems: REGIONS.map((r) => ({ value: r.gss, checked: values.regions.includes(r.gss) })),
      backLink: '/procurement/suppliers',
    };
  }

  app.get('/procurement/suppliers/register', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const administered = (await suppliersOfPerson(db, user.id)).filter(
      (m) => m.role === 'administrator',
    );
    if (administered.length === 0)
      return reply.view(`${VIEWS}/no-business.njk`, { backLink: '/procurement/suppliers' });
    const chosen =
      administered.find(
        (m) => m.businessId === (request.query as { business?: string }).business,
      ) ?? administered[0]!;
    const values: SupplierForm = chosen.supplier
      ? {
          businessId: chosen.businessId,
          companyNumber: chosen.supplier.company_number,
          vatNumber: chosen.supplier.vat_number ?? '',
          isSme: chosen.supplier.is_sme ? 'yes' : 'no',
          sectors: chosen.supplier.sectors,
          regions: chosen.supplier.regions,
          alerts: chosen.supplier.alerts ? 'yes' : 'no',
        }
      : {
          businessId: chosen.businessId,
          companyNumber: '',
          vatNumber: '',
          isSme: '',
          sectors: [],
          regions: [],
          alerts: 'yes',
        };
    return reply.view(`${VIEWS}/register.njk`, registerView(values, administered));
  });

  app.post('/procurement/suppliers/register', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const values = supplierFormValues(request.body);
    const outcome = await db
      .transaction()
      .execute((trx) => registerSupplier(trx, actorOf(request, user, context), values));
    if (!outcome.ok) {
      const administered = (await suppliersOfPerson(db, user.id)).filter(
        (m) => m.role === 'administrator',
      );
      return reply.code(400).view(`${VIEWS}/register.njk`, {
        ...registerView(values, administered),
        ...errorView(outcome.errors, request.t),
      });
    }
    return reply.redirect('/procurement/suppliers?done=registered', 303);
  });

  app.get('/procurement/:id/ask', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await noticeOf(request);
    const suppliers = await registered(user);
    if (suppliers.length === 0) return reply.redirect('/procurement/suppliers', 303);
    return reply.view(`${VIEWS}/ask.njk`, {
      notice,
      suppliers,
      values: { supplierId: suppliers[0]!.id },
      backLink: `/procurement/${notice.id}`,
    });
  });

  app.post('/procurement/:id/ask', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await noticeOf(request);
    const values = {
      supplierId: formText(request.body, 'supplierId'),
      question: formText(request.body, 'question'),
    };
    const outcome = await db
      .transaction()
      .execute((trx) =>
        askClarification(
          trx,
          actorOf(request, user, context),
          { noticeId: notice.id, ...values },
          new Date(),
        ),
      );
    if (!outcome.ok)
      return reply.code(400).view(`${VIEWS}/ask.njk`, {
        notice,
        suppliers: await registered(user),
        values,
        backLink: `/procurement/${notice.id}`,
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/procurement/${notice.id}?done=asked`, 303);
  });

  /**
   * The notice's questions as the forms engine draws them, page by page of the definition, with
   * the values typed (or kept) and their errors. Addresses are typed in (no look-up here).
   */
  function questionSections(
    request: FastifyRequest,
    notice: NoticeRow,
    values: Record<string, unknown>,
    fieldErrors: Record<string, { text: string }>,
  ) {
    const definition = questionFormOf(notice);
    const addresses = questionsOf(definition)
      .filter((q) => q.type === 'address')
      .map((q) => q.name);
    return definition.pages.map((page) => ({
      title: definition.pages.length > 1 ? page.title[request.locale] : null,
      fields: page.questions.map((question) =>
        fieldView(question, values, {
          locale: request.locale,
          t: request.t,
          errors: fieldErrors,
          asPageHeading: false,
          manual: addresses,
          path: `/procurement/${notice.id}/tender`,
        }),
      ),
    }));
  }

  app.get('/procurement/:id/tender', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await noticeOf(request);
    const suppliers = await registered(user);
    if (suppliers.length === 0) return reply.redirect('/procurement/suppliers', 303);
    const supplierId = (request.query as { supplier?: string }).supplier ?? suppliers[0]!.id;
    if (!suppliers.some((s) => s.id === supplierId)) throw notFound();
    const existing = await ownTender(db, user.id, supplierId, notice.id);
    const values: Record<string, unknown> = {
      ...(existing
        ? valuesFromAnswers(questionsOf(questionFormOf(notice)), answersOf(existing.answers))
        : {}),
      supplierId,
      price: existing ? String(existing.price_pence / 100) : '',
    };
    return reply.view(`${VIEWS}/tender.njk`, {
      notice,
      suppliers,
      values,
      sections: questionSections(request, notice, values, {}),
      existing,
      changedSince: !!existing && existing.notice_version !== notice.version,
      backLink: `/procurement/${notice.id}`,
    });
  });

  app.post('/procurement/:id/tender', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await noticeOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: Record<string, unknown> = {
      ...body,
      supplierId: formText(body, 'supplierId'),
      price: formText(body, 'price'),
    };
    const questions = questionsOf(questionFormOf(notice));
    const outcome = await db.transaction().execute((trx) =>
      submitTender(
        trx,
        actorOf(request, user, context),
        {
          noticeId: notice.id,
          supplierId: formText(body, 'supplierId'),
          answers: readPageInput(questions, body, {}),
          price: formText(body, 'price'),
          locale: request.locale,
        },
        new Date(),
      ),
    );
    if (!outcome.ok) {
      const shown = errorView(outcome.errors, request.t);
      return reply.code(400).view(`${VIEWS}/tender.njk`, {
        notice,
        suppliers: await registered(user),
        values,
        sections: questionSections(request, notice, values, shown.fieldErrors),
        backLink: `/procurement/${notice.id}`,
        ...shown,
      });
    }
    return reply.redirect(`/procurement/${notice.id}?done=tender`, 303);
  });
}
