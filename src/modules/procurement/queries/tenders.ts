import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { AppError, notFound } from '../../../platform/errors/errors.js';
import { findBusiness, membershipOf } from '../../agents/index.js';
import { auditActor, type ProcurementActor } from '../commands/actor.js';
import type { NoticeRow, ResponseRow } from '../db/tables.js';
import { areTendersUnsealed, mayActForSupplier, mayEvaluate } from '../policies/procurement.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/**
 * The error every read of tenders by the buying body gets before the deadline: the tenders are
 * sealed (docs/errors.md: `tenders_sealed`).
 */
export function tendersSealed(notice: NoticeRow): AppError {
  return new AppError('tenders_sealed', 403, 'Tenders stay sealed until the tender deadline', {
    notice: notice.id,
    deadline: notice.tender_deadline.toISOString(),
  });
}

/** A tender with its supplier's business name, as the buying body reads it after the deadline. */
export interface OpenedTender extends ResponseRow {
  supplierName: string;
  isSme: boolean;
}

/**
 * The tenders for a notice, for its evaluation panel — refused before the tender deadline
 * whoever asks (`tenders_sealed`), and to anyone not on the body's panel (404). Each opening is
 * audited.
 *
 * @example const tenders = await openTenders(trx, { user }, notice, new Date());
 */
export async function openTenders(
  db: Db,
  actor: ProcurementActor,
  notice: NoticeRow,
  now: Date,
): Promise<OpenedTender[]> {
  if (!mayEvaluate(actor.user, notice.organisation_id)) throw notFound({ notice: notice.id });
  if (!areTendersUnsealed(notice, now)) throw tendersSealed(notice);
  const rows = await db
    .selectFrom('procurement_responses as r')
    .innerJoin('procurement_suppliers as s', 's.id', 'r.supplier_id')
    .selectAll('r')
    .select(['s.business_id', 's.is_sme'])
    .where('r.notice_id', '=', notice.id)
    .orderBy('r.submitted_at')
    .execute();
  await recordAudit(db, auditActor(actor, 'evaluator'), {
    action: 'procurement.tenders_opened',
    resourceType: 'procurement_notice',
    resourceId: notice.id,
    subjectUserId: null,
    details: { tenders: rows.length },
  });
  const tenders: OpenedTender[] = [];
  for (const { business_id, is_sme, ...row } of rows)
    tenders.push({
      ...row,
      supplierName: (await findBusiness(db, business_id))?.name ?? '',
      isSme: is_sme,
    });
  return tenders;
}

/** One tender of a notice for its panel, under the same rules as openTenders. */
export async function openTender(
  db: Db,
  actor: ProcurementActor,
  notice: NoticeRow,
  responseId: string,
  now: Date,
): Promise<OpenedTender> {
  const tender = (await openTenders(db, actor, notice, now)).find((t) => t.id === responseId);
  if (!tender) throw notFound({ response: responseId });
  return tender;
}

/** How many tenders have arrived: the buying body may know that much before the deadline. */
export async function tenderCount(db: Db, noticeId: string): Promise<number> {
  const row = await db
    .selectFrom('procurement_responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('notice_id', '=', noticeId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A supplier's own tender for a notice, for a member of its business; undefined when it has sent
 * none. Anyone else — another supplier included — gets 404.
 */
export async function ownTender(
  db: Db,
  userId: string,
  supplierId: string,
  noticeId: string,
): Promise<ResponseRow | undefined> {
  if (!isUuid(supplierId) || !isUuid(noticeId)) throw notFound();
  const supplier = await db
    .selectFrom('procurement_suppliers')
    .select('business_id')
    .where('id', '=', supplierId)
    .executeTakeFirst();
  if (!supplier || !mayActForSupplier(await membershipOf(db, supplier.business_id, userId)))
    throw notFound({ supplier: supplierId });
  return db
    .selectFrom('procurement_responses')
    .selectAll()
    .where('supplier_id', '=', supplierId)
    .where('notice_id', '=', noticeId)
    .executeTakeFirst();
}

/**
 * A tender by its id for a supplier's member: only their own business's; another supplier's
 * tender is "not found" exactly as a tender that does not exist.
 */
export async function tenderOfSupplier(
  db: Db,
  userId: string,
  responseId: string,
): Promise<ResponseRow> {
  if (!isUuid(responseId)) throw notFound();
  const row = await db
    .selectFrom('procurement_responses as r')
    .innerJoin('procurement_suppliers as s', 's.id', 'r.supplier_id')
    .selectAll('r')
    .select('s.business_id')
    .where('r.id', '=', responseId)
    .executeTakeFirst();
  if (!row || !mayActForSupplier(await membershipOf(db, row.business_id, userId)))
    throw notFound({ response: responseId });
  const { business_id: _business, ...response } = row;
  return response;
}
