import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { askClarification } from '../../commands/clarifications.js';
import {
  registerSupplier,
  supplierFormValues,
  type SupplierForm,
} from '../../commands/suppliers.js';
import { submitTender } from '../../commands/tenders.js';
import type { NoticeRow } from '../../db/tables.js';
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

  app.get('/procurement/:id/tender', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await noticeOf(request);
    const suppliers = await registered(user);
    if (suppliers.length === 0) return reply.redirect('/procurement/suppliers', 303);
    const supplierId = (request.query as { supplier?: string }).supplier ?? suppliers[0]!.id;
    if (!suppliers.some((s) => s.id === supplierId)) throw notFound();
    const existing = await ownTender(db, user.id, supplierId, notice.id);
    const values: Record<string, string> = {
      supplierId,
      price: existing ? String(existing.price_pence / 100) : '',
    };
    notice.questions.forEach((_, i) => (values[`answer-${i + 1}`] = existing?.answers[i] ?? ''));
    return reply.view(`${VIEWS}/tender.njk`, {
      notice,
      suppliers,
      values,
      existing,
      changedSince: !!existing && existing.notice_version !== notice.version,
      backLink: `/procurement/${notice.id}`,
    });
  });

  app.post('/procurement/:id/tender', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const notice = await noticeOf(request);
    const values: Record<string, string> = {
      supplierId: formText(request.body, 'supplierId'),
      price: formText(request.body, 'price'),
    };
    notice.questions.forEach(
      (_, i) => (values[`answer-${i + 1}`] = formText(request.body, `answer-${i + 1}`)),
    );
    const outcome = await db.transaction().execute((trx) =>
      submitTender(
        trx,
        actorOf(request, user, context),
        {
          noticeId: notice.id,
          supplierId: values.supplierId!,
          answers: notice.questions.map((_, i) => values[`answer-${i + 1}`]!),
          price: values.price!,
        },
        new Date(),
      ),
    );
    if (!outcome.ok)
      return reply.code(400).view(`${VIEWS}/tender.njk`, {
        notice,
        suppliers: await registered(user),
        values,
        backLink: `/procurement/${notice.id}`,
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/procurement/${notice.id}?done=tender`, 303);
  });
}
