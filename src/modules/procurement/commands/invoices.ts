/**
 * The supplier's side of purchase orders: a member of the supplier business sees the orders
 * placed with it and sends its invoice against one; the buyer approves it (orders.ts) or rejects
 * it with a reason the supplier reads. One invoice is current per order: a rejected invoice sends
 * the order back to "received" so the supplier can send a new one.
 */
import { sql } from 'kysely';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { notFound } from '../../../platform/errors/errors.js';
import { parseDateParts, ukToday } from '../../../platform/validation/validators.js';
import type { OrderRow, OrderStatus } from '../db/tables.js';
import { penceOf } from '../notices/form.js';
import { mayManageProcurement } from '../policies/procurement.js';
import { suppliersOfPerson } from '../queries/suppliers.js';
import { auditActor, UUID, type ProcurementActor } from './actor.js';

/** An order as its supplier sees it. */
export interface SupplierOrder {
  id: string;
  reference: string;
  description: string;
  amountPence: number;
  status: OrderStatus;
  orderedAt: Date;
  receivedAt: Date | null;
  invoiceNumber: string | null;
  invoiceAmountPence: number | null;
  /** YYYY-MM-DD, the date on the invoice. */
  invoiceDate: string | null;
  invoicedAt: Date | null;
  approvedAt: Date | null;
  rejectedReason: string | null;
  rejectedAt: Date | null;
  noticeId: string;
  noticeTitle: string;
  buyerId: string;
  supplierId: string;
  supplierName: string;
}

/** The supplier registrations (id → business name) the person acts for. */
async function suppliersActedFor(db: Db, userId: string): Promise<Map<string, string>> {
  const mine = await suppliersOfPerson(db, userId);
  return new Map(mine.filter((m) => m.supplier).map((m) => [m.supplier!.id, m.businessName]));
}

function ordersQuery(db: Db) {
  return db
    .selectFrom('procurement_orders as o')
    .innerJoin('procurement_awards as a', 'a.id', 'o.award_id')
    .innerJoin('procurement_notices as n', 'n.id', 'a.notice_id')
    .select([
      'o.id',
      'o.reference',
      'o.description',
      'o.amount_pence as amountPence',
      'o.status',
      'o.ordered_at as orderedAt',
      'o.received_at as receivedAt',
      'o.invoice_number as invoiceNumber',
      'o.invoice_amount_pence as invoiceAmountPence',
      sql<string | null>`to_char(o.invoice_date, 'YYYY-MM-DD')`.as('invoiceDate'),
      'o.invoiced_at as invoicedAt',
      'o.approved_at as approvedAt',
      'o.invoice_rejected_reason as rejectedReason',
      'o.invoice_rejected_at as rejectedAt',
      'n.id as noticeId',
      'n.title as noticeTitle',
      'n.organisation_id as buyerId',
      'a.supplier_id as supplierId',
    ]);
}

/**
 * The purchase orders placed with the suppliers the person is a member of, newest first.
 * Anyone else (another supplier, a citizen) gets an empty list.
 */
export async function ordersForSupplier(db: Db, userId: string): Promise<SupplierOrder[]> {
  const suppliers = await suppliersActedFor(db, userId);
  if (suppliers.size === 0) return [];
  const rows = await ordersQuery(db)
    .where('a.supplier_id', 'in', [...suppliers.keys()])
    .orderBy('o.ordered_at', 'desc')
    .orderBy('o.id')
    .execute();
  return rows.map((r) => ({ ...r, supplierName: suppliers.get(r.supplierId) ?? '' }));
}

/** One order placed with one of the person's suppliers; 404 for anyone else's. */
export async function orderForSupplier(
  db: Db,
  userId: string,
  orderId: string,
): Promise<SupplierOrder> {
  if (!UUID.test(orderId)) throw notFound();
  const suppliers = await suppliersActedFor(db, userId);
  const row = await ordersQuery(db).where('o.id', '=', orderId).executeTakeFirst();
  if (!row || !suppliers.has(row.supplierId)) throw notFound({ order: orderId });
  return { ...row, supplierName: suppliers.get(row.supplierId)! };
}

/**
 * What is left to invoice on an order: its value less its current invoice, unless that invoice
 * was rejected. One invoice is current per order, so this is the whole value until invoiced.
 */
export function remainingPence(
  order: Pick<OrderRow, 'amount_pence' | 'invoice_amount_pence' | 'status'>,
): number {
  const invoiced =
    order.status === 'invoiced' || order.status === 'approved'
      ? (order.invoice_amount_pence ?? 0)
      : 0;
  return order.amount_pence - invoiced;
}

/**
 * The problems with an invoice's number and amount against an order: a number is needed, and
 * the supplier may not use one twice (across all its orders, a rejected invoice's number
 * included: a supplier issues a new number, or a credit note, rather than reusing one); the
 * amount is money and not above what is left to invoice.
 */
export async function invoiceProblems(
  db: Db,
  order: OrderRow,
  input: { invoiceNumber: string; invoiceAmount: string },
): Promise<{ errors: FieldError[]; number: string; amount: number | null }> {
  const errors: FieldError[] = [];
  const number = input.invoiceNumber.trim();
  if (!number)
    errors.push({ field: 'invoiceNumber', message: 'procurement.order.invoiceNumber.missing' });
  else if (number.length > 50)
    errors.push({ field: 'invoiceNumber', message: 'procurement.order.invoiceNumber.tooLong' });
  else {
    const used = await db
      .selectFrom('procurement_orders as o')
      .innerJoin('procurement_awards as a', 'a.id', 'o.award_id')
      .select('o.id')
      .where(
        'a.supplier_id',
        '=',
        db.selectFrom('procurement_awards').select('supplier_id').where('id', '=', order.award_id),
      )
      .where(sql`lower(o.invoice_number)`, '=', number.toLowerCase())
      .executeTakeFirst();
    if (used)
      errors.push({ field: 'invoiceNumber', message: 'procurement.order.invoiceNumber.used' });
  }
  const amount = penceOf(input.invoiceAmount);
  if (!amount) errors.push({ field: 'invoiceAmount', message: 'procurement.order.amount.invalid' });
  else if (amount > remainingPence(order))
    errors.push({ field: 'invoiceAmount', message: 'procurement.invoice.amount.tooMuch' });
  return { errors, number, amount };
}

/** The supplier's invoice as its form gives it. */
export interface InvoiceInput {
  orderId: string;
  invoiceNumber: string;
  invoiceAmount: string;
  'invoiceDate-day': string;
  'invoiceDate-month': string;
  'invoiceDate-year': string;
}

/**
 * A member of the supplier business sends its invoice against an order the buyer has marked
 * received: its number, amount and date (not in the future). The order row is locked so two
 * invoices sent at once cannot both be taken; anything wrong changes nothing.
 */
export async function submitInvoice(
  db: Db,
  actor: ProcurementActor,
  input: InvoiceInput,
  now: Date,
): Promise<Outcome<{ order: OrderRow }>> {
  const mine = await orderForSupplier(db, actor.user.id, input.orderId);
  const order = await db
    .selectFrom('procurement_orders')
    .selectAll()
    .where('id', '=', mine.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (order.status !== 'received')
    return {
      ok: false,
      errors: [{ field: 'invoiceNumber', message: 'procurement.invoice.notDue' }],
    };
  const { errors, number, amount } = await invoiceProblems(db, order, input);
  const date = parseDateParts(
    input['invoiceDate-day'],
    input['invoiceDate-month'],
    input['invoiceDate-year'],
  );
  if ('problem' in date)
    errors.push({ field: 'invoiceDate-day', message: `procurement.invoice.date.${date.problem}` });
  else if (date.date > ukToday(now))
    errors.push({ field: 'invoiceDate-day', message: 'procurement.invoice.date.future' });
  if (errors.length || 'problem' in date) return { ok: false, errors };
  const updated = await db
    .updateTable('procurement_orders')
    .set({
      status: 'invoiced',
      invoice_number: number,
      invoice_amount_pence: amount,
      invoice_date: date.date,
      invoiced_at: now,
      invoiced_by: actor.user.id,
      invoice_rejected_reason: null,
      invoice_rejected_at: null,
      invoice_rejected_by: null,
    })
    .where('id', '=', order.id)
    .where('status', '=', 'received')
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, auditActor(actor, 'supplier'), {
    action: 'procurement.invoice_submitted',
    resourceType: 'procurement_order',
    resourceId: order.id,
    subjectUserId: null,
    details: { reference: order.reference, invoice_number: number, amount_pence: amount },
  });
  return { ok: true, order: updated };
}

/**
 * The buyer's service owner rejects an invoice, with the reason the supplier reads; the order
 * goes back to "received" so the supplier can send a new invoice. Only an invoice waiting for
 * approval can be rejected.
 */
export async function rejectInvoice(
  db: Db,
  actor: ProcurementActor,
  input: { orderId: string; reason: string },
  now: Date,
): Promise<Outcome<{ order: OrderRow }>> {
  if (!UUID.test(input.orderId)) throw notFound();
  const found = await db
    .selectFrom('procurement_orders as o')
    .innerJoin('procurement_awards as a', 'a.id', 'o.award_id')
    .innerJoin('procurement_notices as n', 'n.id', 'a.notice_id')
    .select(['o.id', 'o.status', 'o.reference', 'n.organisation_id'])
    .where('o.id', '=', input.orderId)
    .executeTakeFirst();
  if (!found || !mayManageProcurement(actor.user, found.organisation_id))
    throw notFound({ order: input.orderId });
  const reason = input.reason.trim();
  if (!reason || reason.length > 1000)
    return {
      ok: false,
      errors: [{ field: 'reason', message: 'procurement.invoice.reason.missing' }],
    };
  const order = await db
    .updateTable('procurement_orders')
    .set({
      status: 'received',
      invoice_rejected_reason: reason,
      invoice_rejected_at: now,
      invoice_rejected_by: actor.user.id,
    })
    .where('id', '=', found.id)
    .where('status', '=', 'invoiced')
    .returningAll()
    .executeTakeFirst();
  if (!order)
    return { ok: false, errors: [{ field: 'step', message: 'procurement.order.outOfOrder' }] };
  await recordAudit(db, auditActor(actor, 'service-owner'), {
    action: 'procurement.invoice_rejected',
    resourceType: 'procurement_order',
    resourceId: order.id,
    subjectUserId: null,
    details: { reference: order.reference, invoice_number: order.invoice_number },
  });
  return { ok: true, order };
}
