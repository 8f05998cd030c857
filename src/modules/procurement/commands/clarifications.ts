import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { Outcome } from '../../../platform/errors/errors.js';
import { notFound } from '../../../platform/errors/errors.js';
import { membershipOf } from '../../agents/index.js';
import type { ClarificationRow } from '../db/tables.js';
import {
  mayActForSupplier,
  mayAskClarification,
  mayManageProcurement,
} from '../policies/procurement.js';
import { findNotice } from '../queries/notices.js';
import { auditActor, type ProcurementActor } from './actor.js';
import { mailAccount } from './mail.js';
import { isUuid } from '../../../platform/validation/uuid.js';

async function supplierRow(db: Db, supplierId: string) {
  if (!isUuid(supplierId)) return undefined;
  return db
    .selectFrom('procurement_suppliers')
    .selectAll()
    .where('id', '=', supplierId)
    .executeTakeFirst();
}

/**
 * A supplier asks the buyer a clarification question before the clarification deadline. The
 * buyer sees who asked; the answer is published to everyone without it.
 */
export async function askClarification(
  db: Db,
  actor: ProcurementActor,
  input: { noticeId: string; supplierId: string; question: string },
  now: Date,
): Promise<Outcome<{ clarification: ClarificationRow }>> {
  const notice = await findNotice(db, input.noticeId);
  if (!notice) throw notFound({ notice: input.noticeId });
  const supplier = await supplierRow(db, input.supplierId);
  if (!supplier || !mayActForSupplier(await membershipOf(db, supplier.business_id, actor.user.id)))
    throw notFound({ supplier: input.supplierId });
  const question = input.question.trim();
  if (!mayAskClarification(notice, now))
    return {
      ok: false,
      errors: [{ field: 'question', message: 'procurement.clarification.closed' }],
    };
  if (!question)
    return {
      ok: false,
      errors: [{ field: 'question', message: 'procurement.clarification.missing' }],
    };
  if (question.length > 2000)
    return {
      ok: false,
      errors: [{ field: 'question', message: 'procurement.clarification.tooLong' }],
    };
  const clarification = await db
    .insertInto('procurement_clarifications')
    .values({
      notice_id: notice.id,
      supplier_id: supplier.id,
      asked_by: actor.user.id,
      question,
      asked_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, auditActor(actor, 'supplier'), {
    action: 'procurement.clarification_asked',
    resourceType: 'procurement_clarification',
    resourceId: clarification.id,
    subjectUserId: actor.user.id,
    details: { notice_id: notice.id, supplier_id: supplier.id },
  });
  return { ok: true, clarification };
}

/**
 * The buyer answers a clarification question: question and answer are published on the notice
 * for every supplier, anonymised, and the supplier who asked is told.
 */
export async function answerClarification(
  db: Db,
  actor: ProcurementActor,
  input: { clarificationId: string; answer: string },
  now: Date,
): Promise<Outcome<{ clarification: ClarificationRow }>> {
  if (!isUuid(input.clarificationId)) throw notFound();
  const existing = await db
    .selectFrom('procurement_clarifications')
    .selectAll()
    .where('id', '=', input.clarificationId)
    .executeTakeFirst();
  const notice = existing && (await findNotice(db, existing.notice_id));
  if (!existing || !notice || !mayManageProcurement(actor.user, notice.organisation_id))
    throw notFound({ clarification: input.clarificationId });
  const answer = input.answer.trim();
  if (!answer)
    return {
      ok: false,
      errors: [{ field: 'answer', message: 'procurement.clarification.answerMissing' }],
    };
  if (answer.length > 5000)
    return {
      ok: false,
      errors: [{ field: 'answer', message: 'procurement.clarification.tooLong' }],
    };
  const clarification = await db
    .updateTable('procurement_clarifications')
    .set({ answer, answered_by: actor.user.id, answered_at: now })
    .where('id', '=', existing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, auditActor(actor, 'service-owner'), {
    action: 'procurement.clarification_answered',
    resourceType: 'procurement_clarification',
    resourceId: existing.id,
    subjectUserId: existing.asked_by,
    details: { notice_id: notice.id },
  });
  await mailAccount(db, existing.asked_by, `clarification:${existing.id}`, {
    subject: `Your question about ${notice.title} has been answered`,
    english: `The buyer has answered your clarification question about "${notice.title}". The question and answer are published on the notice without your name: ${actor.baseUrl ?? ''}/procurement/${notice.id}`,
    welsh: `Mae’r prynwr wedi ateb eich cwestiwn eglurhad am "${notice.title}". Mae’r cwestiwn a’r ateb wedi’u cyhoeddi ar yr hysbysiad heb eich enw: ${actor.baseUrl ?? ''}/procurement/${notice.id}`,
  });
  return { ok: true, clarification };
}
