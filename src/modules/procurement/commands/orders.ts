import { randomInt } from 'node:crypto';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { OrderRow, OrderStatus } from '../db/tables.js';
import { penceOf } from '../notices/form.js';
import { mayManageProcurement } from '../policies/procurement.js';
import { auditActor, UUID, type ProcurementActor } from './actor.js';
import { invoiceProblems } from './invoices.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A purchase order reference, e.g. PO-7KQ2M9XD. */
function orderReference(): string {
  return `PO-${Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;
}

/** The award and its notice's body, for an order's rules. */
async function awardOfBody(db: Db, actor: ProcurementActor, awardId: string) {
  if (!UUID.test(awardId)) throw notFound();
  const award = await db
    .selectFrom('procurement_awards as a')
    .innerJoin('procurement_notices as n', 'n.id', 'a.notice_id')
    .select(['a.id', 'a.notice_id', 'n.organisation_id'])
    .where('a.id', '=', awardId)
    .executeTakeFirst();
  if (!award || !mayManageProcurement(actor.user, award.organisation_id))
    throw notFound({ award: awardId });
  return award;
}

/** The body raises a purchase order under an awarded contract. */
export async function raiseOrder(
  db: Db,
  actor: ProcurementActor,
  input: { awardId: string; description: string; amount: string },
  now: Date,
): Promise<Outcome<{ order: OrderRow }>> {
  await awardOfBody(db, actor, input.awardId);
  const errors: FieldError[] = [];
  const description = input.description.trim();
  if (!description)
    errors.push({ field: 'description', message: 'procurement.order.description.missing' });
  else if (description.length > 500)
    errors.push({ field: 'description', message: 'procurement.order.description.tooLong' });
  const amount = penceOf(input.amount);
  if (!amount) errors.push({ field: 'amount', message: 'procurement.order.amount.invalid' });
  if (errors.length) return { ok: false, errors };
  const order = await db
    .insertInto('procurement_orders')
    .values({
      award_id: input.awardId,
      reference: orderReference(),
      description,
      amount_pence: amount!,
      ordered_by: actor.user.id,
      ordered_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, auditActor(actor, 'service-owner'), {
    action: 'procurement.order_raised',
    resourceType: 'procurement_order',
    resourceId: order.id,
    subjectUserId: null,
    details: { award_id: input.awardId, amount_pence: amount },
  });
  return { ok: true, order };
}

/** What each step of an order needs before it: ordered → received → invoiced → approved. */
const BEFORE: Record<Exclude<OrderStatus, 'ordered'>, OrderStatus> = {
  received: 'ordered',
  invoiced: 'received',
  approved: 'invoiced',
};

async function orderOfBody(db: Db, actor: ProcurementActor, orderId: string) {
  if (!UUID.test(orderId)) throw notFound();
  const order = await db
    .selectFrom('procurement_orders')
    .selectAll()
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!order) throw notFound({ order: orderId });
  await awardOfBody(db, actor, order.award_id);
  return order;
}

/**
 * Moves an order one step on: the goods or services were received, the supplier's invoice
 * arrived (its number and amount), or the invoice is approved for payment. A step out of order,
 * or one somebody else took first, changes nothing.
 */
export async function advanceOrder(
  db: Db,
  actor: ProcurementActor,
  input:
    | { orderId: string; step: 'received' | 'approved' }
    | { orderId: string; step: 'invoiced'; invoiceNumber: string; invoiceAmount: string },
  now: Date,
): Promise<Outcome<{ order: OrderRow }>> {
  const current = await orderOfBody(db, actor, input.orderId);
  if (current.status !== BEFORE[input.step])
    return { ok: false, errors: [{ field: 'step', message: 'procurement.order.outOfOrder' }] };
  let changes: Partial<Record<string, unknown>>;
  if (input.step === 'invoiced') {
    // The same rules as a supplier's own invoice: a number the supplier has not used, and no
    // more than is left to invoice.
    const { errors, number, amount } = await invoiceProblems(db, current, input);
    if (errors.length) return { ok: false, errors };
    changes = {
      invoice_number: number,
      invoice_amount_pence: amount,
      invoiced_at: now,
      invoice_rejected_reason: null,
      invoice_rejected_at: null,
      invoice_rejected_by: null,
    };
  } else if (input.step === 'received') changes = { received_at: now };
  else changes = { approved_at: now, approved_by: actor.user.id };
  const order = await db
    .updateTable('procurement_orders')
    .set({ ...changes, status: input.step })
    .where('id', '=', current.id)
    .where('status', '=', BEFORE[input.step])
    .returningAll()
    .executeTakeFirst();
  if (!order)
    return { ok: false, errors: [{ field: 'step', message: 'procurement.order.outOfOrder' }] };
  await recordAudit(db, auditActor(actor, 'service-owner'), {
    action: `procurement.order_${input.step}`,
    resourceType: 'procurement_order',
    resourceId: order.id,
    subjectUserId: null,
    details: { reference: order.reference },
  });
  return { ok: true, order };
}

/** A contract's orders, oldest first. */
export async function ordersOf(db: Db, awardId: string): Promise<OrderRow[]> {
  return db
    .selectFrom('procurement_orders')
    .selectAll()
    .where('award_id', '=', awardId)
    .orderBy('ordered_at')
    .execute();
}
