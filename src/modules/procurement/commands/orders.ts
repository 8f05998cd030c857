import { randomInt } from 'node:crypto';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { OrderRow, OrderStatus } from '../db/tables.js';
import { penceOf } from '../notices/form.js';
import { mayManageProcurement } from '../policies/procurement.js';
import { auditActor, type ProcurementActor } from './actor.js';
import { approveInvoice, invoiceProblems, recordInvoice } from './invoices.js';
import { mailSupplier, money } from './mail.js';
import { isUuid } from '../../../platform/validation/uuid.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A purchase order reference, e.g. PO-7KQ2M9XD. */
function orderReference(): string {
  return `PO-${Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;
}

/** The award and its notice's body, for an order's rules. */
async function awardOfBody(db: Db, actor: ProcurementActor, awardId: string) {
  if (!isUuid(awardId)) throw notFound();
  const award = await db
    .selectFrom('procurement_awards as a')
    .innerJoin('procurement_notices as n', 'n.id', 'a.notice_id')
    .select([
      'a.id',
      'a.notice_id',
      'a.supplier_id',
      'a.response_id',
      'n.organisation_id',
      'n.title',
    ])
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
  const award = await awardOfBody(db, actor, input.awardId);
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
  // The supplier hears of the order: whoever sent the winning tender, and who registered it.
  const tender = await db
    .selectFrom('procurement_responses')
    .select('submitted_by')
    .where('id', '=', award.response_id)
    .executeTakeFirst();
  await mailSupplier(db, award.supplier_id, [tender?.submitted_by ?? null], `order:${order.id}`, {
    subject: `Purchase order ${order.reference}: ${award.title}`,
    english: `The buyer has placed purchase order ${order.reference} under the contract "${award.title}": ${description} — ${money(order.amount_pence)} (excluding VAT). You can invoice it once the buyer marks it received; see Your purchase orders.`,
    welsh: `Mae’r prynwr wedi gosod archeb brynu ${order.reference} o dan y contract "${award.title}": ${description} — ${money(order.amount_pence)} (heb TAW). Gallwch anfon anfoneb unwaith y bydd y prynwr yn nodi ei bod wedi’i derbyn.`,
  });
  return { ok: true, order };
}

/** What each step of an order needs before it: ordered → received → invoiced → approved. */
const BEFORE: Record<'received' | 'invoiced', OrderStatus> = {
  received: 'ordered',
  invoiced: 'received',
};

async function orderOfBody(db: Db, actor: ProcurementActor, orderId: string) {
  if (!isUuid(orderId)) throw notFound();
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
 * Moves an order on: the goods or services were received; an invoice arrived (the buyer records
 * it for the supplier: its number and amount, under the same rules as the supplier's own); or
 * the order's oldest invoice waiting for approval is approved for payment (see approveInvoice).
 * A step out of order, or one somebody else took first, changes nothing.
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
  if (input.step === 'approved') return approveInvoice(db, actor, { orderId: current.id }, now);
  const outOfOrder = {
    ok: false as const,
    errors: [{ field: 'step', message: 'procurement.order.outOfOrder' }],
  };
  if (current.status !== BEFORE[input.step]) return outOfOrder;
  let order: OrderRow | undefined;
  let details: Record<string, unknown> = { reference: current.reference };
  if (input.step === 'invoiced') {
    const locked = await db
      .selectFrom('procurement_orders')
      .selectAll()
      .where('id', '=', current.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.status !== 'received') return outOfOrder;
    const { errors, number, amount, supplierId } = await invoiceProblems(db, locked, input);
    if (errors.length) return { ok: false, errors };
    const recorded = await recordInvoice(db, locked, {
      supplierId,
      number,
      amount: amount!,
      date: null,
      by: actor.user.id,
      now,
    });
    if (!recorded.ok) return recorded;
    order = recorded.order;
    details = { ...details, invoice_id: recorded.invoice.id, invoice_number: number };
  } else {
    order = await db
      .updateTable('procurement_orders')
      .set({ status: 'received', received_at: now })
      .where('id', '=', current.id)
      .where('status', '=', 'ordered')
      .returningAll()
      .executeTakeFirst();
    if (!order) return outOfOrder;
  }
  await recordAudit(db, auditActor(actor, 'service-owner'), {
    action: `procurement.order_${input.step}`,
    resourceType: 'procurement_order',
    resourceId: order.id,
    subjectUserId: null,
    details,
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
