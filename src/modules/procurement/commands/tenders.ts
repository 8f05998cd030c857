import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { notFound } from '../../../platform/errors/errors.js';
import { formatDateTime, type Locale } from '../../../platform/i18n/i18n.js';
import { membershipOf } from '../../agents/index.js';
import { ukToday, validateAnswers, type Question } from '../../forms/index.js';
import type { ResponseRow } from '../db/tables.js';
import { penceOf } from '../notices/form.js';
import { questionFormOf, questionsOf } from '../notices/questions.js';
import { isTenderOpen, mayActForSupplier } from '../policies/procurement.js';
import { auditActor, type ProcurementActor } from './actor.js';
import { mailAccount } from './mail.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/**
 * A tender as its form gives it: the answers to the notice's questions by question name, as the
 * forms engine reads them from a posted page (`readPageInput`), and the price. `locale` is the
 * language of the answers' error messages.
 */
export interface TenderInput {
  noticeId: string;
  supplierId: string;
  answers: Record<string, unknown>;
  price: string;
  locale?: Locale;
}

/** The input on the page that an answer's problem points at ("when.day" → "when-day"). */
export function inputIdOf(question: Question | undefined, field: string): string {
  if (!question) return field.split('.')[0] ?? field;
  if (question.type === 'date') return `${question.name}-day`;
  if (question.type === 'address') {
    const part = field.split('.')[1];
    return part && /^(line1|line2|town|postcode)$/.test(part)
      ? `${question.name}-${part}`
      : `${question.name}-line1`;
  }
  return question.name;
}

/**
 * A supplier sends (or replaces) its tender for a notice. It must arrive before the tender
 * deadline — one second late is late — judged on `now` read in the same transaction as the
 * notice row, which is locked so a change to the deadline cannot race it. Any member of the
 * supplier's business may send it; the person who sends it gets a receipt by e-mail.
 */
export async function submitTender(
  db: Db,
  actor: ProcurementActor,
  input: TenderInput,
  now: Date,
): Promise<Outcome<{ response: ResponseRow }>> {
  if (!isUuid(input.noticeId) || !isUuid(input.supplierId)) throw notFound();
  const notice = await db
    .selectFrom('procurement_notices')
    .selectAll()
    .where('id', '=', input.noticeId)
    .forUpdate()
    .executeTakeFirst();
  if (!notice) throw notFound({ notice: input.noticeId });
  const supplier = await db
    .selectFrom('procurement_suppliers')
    .selectAll()
    .where('id', '=', input.supplierId)
    .executeTakeFirst();
  if (!supplier || !mayActForSupplier(await membershipOf(db, supplier.business_id, actor.user.id)))
    throw notFound({ supplier: input.supplierId });
  if (!isTenderOpen(notice, now))
    return { ok: false, errors: [{ field: 'price', message: 'procurement.tender.late' }] };
  const errors: FieldError[] = [];
  // The notice's questions (a forms-engine definition), checked by the forms engine's validator:
  // the same rules whatever sends the tender.
  const definition = questionFormOf(notice);
  const byName = new Map(questionsOf(definition).map((q) => [q.name, q]));
  const checked = validateAnswers(definition, input.answers, { today: ukToday(now) });
  if (!checked.ok)
    for (const problem of checked.errors) {
      const field = inputIdOf(byName.get(problem.field.split('.')[0] ?? ''), problem.field);
      if (!errors.some((e) => e.field === field))
        errors.push({ field, message: problem.message[input.locale ?? 'en'] });
    }
  const price = penceOf(input.price);
  if (price === null || price === 0)
    errors.push({ field: 'price', message: 'procurement.tender.price.invalid' });
  if (errors.length || !checked.ok) return { ok: false, errors };
  const values = {
    answers: JSON.stringify(checked.answers),
    price_pence: price!,
    notice_version: notice.version,
    submitted_by: actor.user.id,
    submitted_at: now,
  };
  const response = await db
    .insertInto('procurement_responses')
    .values({ notice_id: notice.id, supplier_id: supplier.id, ...values })
    .onConflict((oc) => oc.columns(['notice_id', 'supplier_id']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, auditActor(actor, 'supplier'), {
    action: 'procurement.tender_submitted',
    resourceType: 'procurement_response',
    resourceId: response.id,
    subjectUserId: actor.user.id,
    details: { notice_id: notice.id, supplier_id: supplier.id, notice_version: notice.version },
  });
  await mailAccount(db, actor.user.id, `tender:${response.id}:${now.getTime()}`, {
    subject: `Tender received: ${notice.title}`,
    english: `We received your tender for "${notice.title}" at ${formatDateTime(now, 'en')}. It stays sealed until the deadline (${formatDateTime(notice.tender_deadline, 'en')}); you can replace it until then.`,
    welsh: `Cawsom eich tendr ar gyfer "${notice.title}" am ${formatDateTime(now, 'cy')}. Mae’n aros dan sêl tan y dyddiad cau (${formatDateTime(notice.tender_deadline, 'cy')}); gallwch ei newid tan hynny.`,
  });
  return { ok: true, response };
}
