import { noticeDocuments } from '../../commands/documents.js';
import { documentsView } from '../documents/routes.js';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { awardOf } from '../../commands/awards.js';
import { questionFormOf, questionTexts } from '../../notices/questions.js';
import { cpvDigits, cpvDivisions } from '../../reference/cpv.js';
import { isRegion, REGIONS } from '../../reference/regions.js';
import { findNotice, publishedClarifications, searchNotices, versionsOf } from '../../queries/notices.js';
import { suppliersOfPerson, supplierName } from '../../queries/suppliers.js';
import { bodiesOfNotices, money, noticeView, partnerNames } from '../shared.js';

const VIEWS = 'modules/procurement/pages/public';

/**
 * The public side: the search of opportunities at /procurement (also /contracts) and each
 * notice's page, with its answered clarification questions and, once awarded, its contract award
 * notice. Anyone may read them, signed in or not.
 */
export function publicProcurementRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get('/contracts', async (_request, reply) => reply.redirect('/procurement', 301));

  app.get('/procurement', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const sector = cpvDigits(query.sector ?? '') ?? undefined;
    const region = query.region && isRegion(query.region) ? query.region : undefined;
    const search = {
      text: (query.q ?? '').slice(0, 200),
      ...(sector ? { sector } : {}),
      ...(region ? { region } : {}),
      smeOnly: query.sme === 'yes',
      openOnly: query.status !== 'all',
    };
    const now = new Date();
    const notices = await searchNotices(db, search, now);
    const bodies = await bodiesOfNotices(db, notices);
    return reply.view(`${VIEWS}/search.njk`, {
      notices: notices.map((n) => noticeView(n, bodies, request.locale, now)),
      search: { q: search.text, sector: sector ?? '', region: region ?? '', sme: query.sme === 'yes', status: query.status === 'all' ? 'all' : 'open' },
      sectorItems: [
        { value: '', text: request.t('procurement.search.anySector') },
        ...cpvDivisions().map((d) => ({
          value: d.code.slice(0, 8),
          text: d.name,
          selected: sector === d.code.slice(0, 8),
        })),
      ],
      regionItems: [
        { value: '', text: request.t('procurement.search.anyRegion') },
        ...REGIONS.map((r) => ({
          value: r.gss,
          text: request.t(`procurement.region.${r.gss}`),
          selected: region === r.gss,
        })),
      ],
      signedIn: !!request.user,
    });
  });

  app.get('/procurement/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const notice = await findNotice(db, id);
    if (!notice) throw notFound({ notice: id });
    const now = new Date();
    const bodies = await bodiesOfNotices(db, [notice]);
    const award = await awardOf(db, notice.id);
    let winner: { name: string; value: string } | null = null;
    if (award) {
      const supplier = await db
        .selectFrom('procurement_suppliers')
        .select('business_id')
        .where('id', '=', award.supplier_id)
        .executeTakeFirstOrThrow();
      winner = { name: await supplierName(db, supplier), value: money(award.value_pence) };
    }
    const suppliers = request.user
      ? (await suppliersOfPerson(db, request.user.id)).filter((s) => s.supplier)
      : [];
    return reply.view(`${VIEWS}/notice.njk`, {
      notice: noticeView(notice, bodies, request.locale, now),
      partners: await partnerNames(db, notice.id, request.locale),
      questions: questionTexts(questionFormOf(notice), request.locale),
      regionKey: `procurement.region.${notice.region}`,
      clarifications: await publishedClarifications(db, notice.id),
      documents: documentsView(request, await noticeDocuments(db, notice.id)),
      versions: await versionsOf(db, notice.id),
      award,
      winner,
      isSupplier: suppliers.length > 0,
      signedIn: !!request.user,
      done: (request.query as { done?: string }).done,
    });
  });
}
