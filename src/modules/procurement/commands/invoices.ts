/**
 * Invoices against purchase orders. An order takes several invoices (part invoices), up to its
 * value; each is approved for payment, or rejected with a reason the supplier reads, on its own.
 * A member of the supplier business sends them from the order's page (or the buyer records one
 * for it, orders.ts). The order's status sums its invoices up: `received` while some of its value
 * is left to invoice, `invoiced` once live invoices cover it, `approved` once approved ones do.
 * A supplier's invoice numbers are unique whatever their letter case — checked here for a clear
 * message, and enforced by the database (migration 0058) for two sent at once.
 */
import { sql } from 'kysely';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { notFound } from '../../../platform/errors/errors.js';
import { parseDateParts, ukToday } from '../../../platform/validation/validators.js';
import type { InvoiceRow, InvoiceStatus, OrderRow, OrderStatus } from '../db/tables.js';
import { penceOf } from '../notices/form.js';
import { mayManageProcurement } from '../policies/procurement.js';
import { suppliersOfPerson } from '../queries/suppliers.js';
import { auditActor, type ProcurementActor } from './actor.js';
import { mailSupplier, money } from './mail.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** One invoice as the pages show it. */
export interface InvoiceView {
  id: string;
  invoiceNumber: string;
  amountPence: number;
  /** YYYY-MM-DD, the date on the invoice (null for one the buyer recorded without it). */
  invoiceDate: string | null;
  status: InvoiceStatus;
  submittedAt: Date;
  approvedAt: Date | null;
  rejectedReason: string | null;
  rejectedAt: Date | null;
}

/** An order as its supplier sees it. */
export interface SupplierOrder {
  id: string;
  reference: string;
  description: string;
  amountPence: number;
  status: OrderStatus;
  orderedAt: Date;
  receivedAt: Date | null;
  approvedAt: Date | null;
  /** Its invoices, oldest first. */
  invoices: InvoiceView[];
  /** What is left to invoice: its value less its invoices not rejected. */
  remainingPence: number;
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
      'o.approved_at as approvedAt',
      'n.id as noticeId',
      'n.title as noticeTitle',
      'n.organisation_id as buyerId',
      'a.supplier_id as supplierId',
    ]);
}

/** The invoices of some orders, oldest first, by order id. */
export async function invoicesOfOrders(
  db: Db,
  orderIds: readonly string[],
): Promise<Map<string, InvoiceView[]>> {
  const byOrder = new Map<string, InvoiceView[]>(orderIds.map((id) => [id, []]));
  if (orderIds.length === 0) return byOrder;
  const rows = await db
    .selectFrom('procurement_invoices')
    .select([
      'id',
      'order_id',
      'invoice_number as invoiceNumber',
      'amount_pence as amountPence',
      sql<string | null>`to_char(invoice_date, 'YYYY-MM-DD')`.as('invoiceDate'),
      'status',
      'submitted_at as submittedAt',
      'approved_at as approvedAt',
      'rejected_reason as rejectedReason',
      'rejected_at as rejectedAt',
    ])
    .where('order_id', 'in', [...orderIds])
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
  for (const { order_id, ...invoice } of rows) byOrder.get(order_id)?.push(invoice);
  return byOrder;
}

/** What is left to invoice, given an order's value and its invoices. */
function leftToInvoice(
  amountPence: number,
  invoices: readonly { status: string; amountPence: number }[],
) {
  return (
    amountPence -
    invoices.filter((i) => i.status !== 'rejected').reduce((sum, i) => sum + i.amountPence, 0)
  );
}

async function withInvoices<T extends { id: string; amountPence: number }>(
  db: Db,
  orders: T[],
): Promise<(T & { invoices: InvoiceView[]; remainingPence: number })[]> {
  const invoices = await invoicesOfOrders(
    db,
    orders.map((o) => o.id),
  );
  return orders.map((o) => {
    const list = invoices.get(o.id) ?? [];
    return { ...o, invoices: list, remainingPence: leftToInvoice(o.amountPence, list) };
  });
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
  return (await withInvoices(db, rows)).map((r) => ({
    ...r,
    supplierName: suppliers.get(r.supplierId) ?? '',
  }));
}

/** One order placed with one of the person's suppliers; 404 for anyone else's. */
export async function orderForSupplier(
  db: Db,
  userId: string,
  orderId: string,
): Promise<SupplierOrder> {
  if (!isUuid(orderId)) throw notFound();
  const suppliers = await suppliersActedFor(db, userId);
  const row = await ordersQuery(db).where('o.id', '=', orderId).executeTakeFirst();
  if (!row || !suppliers.has(row.supplierId)) throw notFound({ order: orderId });
  const [order] = await withInvoices(db, [row]);
  return { ...order!, supplierName: suppliers.get(row.supplierId)! };
}

/** A contract's orders with their invoices, oldest first (for the buyer's pages). */
export async function ordersWithInvoices(db: Db, awardId: string) {
  const rows = await ordersQuery(db)
    .where('o.award_id', '=', awardId)
    .orderBy('o.ordered_at')
    .orderBy('o.id')
    .execute();
  return withInvoices(db, rows);
}

/** What is left to invoice on an order: its value less its invoices that were not rejected. */
export async function remainingPence(
  db: Db,
  order: Pick<OrderRow, 'id' | 'amount_pence'>,
): Promise<number> {
  const invoices = await invoicesOfOrders(db, [order.id]);
  return leftToInvoice(order.amount_pence, invoices.get(order.id) ?? []);
}

/** The supplier an order was placed with. */
async function supplierOfOrder(db: Db, order: Pick<OrderRow, 'award_id'>): Promise<string> {
  const award = await db
    .selectFrom('procurement_awards')
    .select('supplier_id')
    .where('id', '=', order.award_id)
    .executeTakeFirstOrThrow();
  return award.supplier_id;
}

/**
 * The problems with an invoice's number and amount against an order: a number is needed, and
 * the supplier may not use one twice (across all its orders, a rejected invoice's number
 * included: a supplier issues a new number, or a credit note, rather than reusing one); the
 * amount is money and not above what is left to invoice on the order.
 */
export async function invoiceProblems(
  db: Db,
  order: OrderRow,
  input: { invoiceNumber: string; invoiceAmount: string },
): Promise<{ errors: FieldError[]; number: string; amount: number | null; supplierId: string }> {
  const errors: FieldError[] = [];
  const supplierId = await supplierOfOrder(db, order);
  const number = input.invoiceNumber.trim();
  if (!number)
    errors.push({ field: 'invoiceNumber', message: 'procurement.order.invoiceNumber.missing' });
  else if (number.length > 50)
    errors.push({ field: 'invoiceNumber', message: 'procurement.order.invoiceNumber.tooLong' });
  else if (await numberUsed(db, supplierId, number))
    errors.push({ field: 'invoiceNumber', message: 'procurement.order.invoiceNumber.used' });
  const amount = penceOf(input.invoiceAmount);
  if (!amount) errors.push({ field: 'invoiceAmount', message: 'procurement.order.amount.invalid' });
  else if (amount > (await remainingPence(db, order)))
    errors.push({ field: 'invoiceAmount', message: 'procurement.invoice.amount.tooMuch' });
  return { errors, number, amount, supplierId };
}

async function numberUsed(db: Db, supplierId: string, number: string): Promise<boolean> {
  const used = await db
    .selectFrom('procurement_invoices')
    .select('id')
    .where('supplier_id', '=', supplierId)
    .where(sql`lower(invoice_number)`, '=', number.toLowerCase())
    .executeTakeFirst();
  return used !== undefined;
}

/**
 * Records an invoice that passed {@link invoiceProblems} and sums the order up again. Two
 * invoices with one number sent at once: the database's unique index takes one, and the other
 * is told the number is used (nothing of it is kept).
 */
export async function recordInvoice(
  db: Db,
  order: OrderRow,
  values: {
    supplierId: string;
    number: string;
    amount: number;
    date: string | null;
    by: string;
    now: Date;
  },
): Promise<Outcome<{ invoice: InvoiceRow; order: OrderRow }>> {
  const invoice = await db
    .insertInto('procurement_invoices')
    .values({
      order_id: order.id,
      supplier_id: values.supplierId,
      invoice_number: values.number,
      amount_pence: values.amount,
      invoice_date: values.date,
      submitted_by: values.by,
      submitted_at: values.now,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!invoice)
    return {
      ok: false,
      errors: [{ field: 'invoiceNumber', message: 'procurement.order.invoiceNumber.used' }],
    };
  return { ok: true, invoice, order: await settleOrder(db, order.id, values.by, values.now) };
}

/**
 * Sums an order (already received) up from its invoices: `approved` once approved invoices cover
 * its value, `invoiced` once invoices not rejected do, otherwise `received`.
 */
export async function settleOrder(
  db: Db,
  orderId: string,
  by: string,
  now: Date,
): Promise<OrderRow> {
  const order = await db
    .selectFrom('procurement_orders')
    .selectAll()
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const invoices = (await invoicesOfOrders(db, [orderId])).get(orderId) ?? [];
  const approved = invoices
    .filter((i) => i.status === 'approved')
    .reduce((sum, i) => sum + i.amountPence, 0);
  const live = order.amount_pence - leftToInvoice(order.amount_pence, invoices);
  const status: OrderStatus =
    approved >= order.amount_pence
      ? 'approved'
      : live >= order.amount_pence
        ? 'invoiced'
        : 'received';
  if (status === order.status) return order;
  return db
    .updateTable('procurement_orders')
    .set({
      status,
      approved_at: status === 'approved' ? now : null,
      approved_by: status === 'approved' ? by : null,
    })
    .where('id', '=', orderId)
    .returningAll()
    .executeTakeFirstOrThrow();
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
 * A member of the supplier business sends an invoice against an order the buyer has marked
 * received and that has some value left to invoice: its number, amount (up to what is left) and
 * date (not in the future). The order row is locked so two invoices sent at once cannot together
 * pass its value; anything wrong changes nothing.
 */
export async function submitInvoice(
  db: Db,
  actor: ProcurementActor,
  input: InvoiceInput,
  now: Date,
): Promise<Outcome<{ order: OrderRow; invoice: InvoiceRow }>> {
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
  const { errors, number, amount, supplierId } = await invoiceProblems(db, order, input);
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
  const recorded = await recordInvoice(db, order, {
    supplierId,
    number,
    amount: amount!,
    date: date.date,
    by: actor.user.id,
    now,
  });
  if (!recorded.ok) return recorded;
  await recordAudit(db, auditActor(actor, 'supplier'), {
    action: 'procurement.invoice_submitted',
    resourceType: 'procurement_order',
    resourceId: order.id,
    subjectUserId: null,
    details: {
      reference: order.reference,
      invoice_id: recorded.invoice.id,
      invoice_number: number,
      amount_pence: amount,
    },
  });
  return recorded;
}

/**
 * The buyer's invoice: the one named, or (without `invoiceId`) the order's oldest invoice
 * waiting for approval. Locks the order; 404 unless the person manages the buyer's procurement.
 */
async function invoiceOfBody(
  db: Db,
  actor: ProcurementActor,
  input: { orderId: string; invoiceId?: string | undefined },
) {
  if (!isUuid(input.orderId) || (input.invoiceId && !isUuid(input.invoiceId))) throw notFound();
  const found = await db
    .selectFrom('procurement_orders as o')
    .innerJoin('procurement_awards as a', 'a.id', 'o.award_id')
    .innerJoin('procurement_notices as n', 'n.id', 'a.notice_id')
    .select(['o.id', 'n.organisation_id', 'n.title', 'a.supplier_id', 'a.response_id'])
    .where('o.id', '=', input.orderId)
    .executeTakeFirst();
  if (!found || !mayManageProcurement(actor.user, found.organisation_id))
    throw notFound({ order: input.orderId });
  const order = await db
    .selectFrom('procurement_orders')
    .selectAll()
    .where('id', '=', found.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  let query = db.selectFrom('procurement_invoices').selectAll().where('order_id', '=', order.id);
  query = input.invoiceId
    ? query.where('id', '=', input.invoiceId)
    : query.where('status', '=', 'submitted').orderBy('submitted_at').orderBy('id').limit(1);
  const invoice = await query.executeTakeFirst();
  if (input.invoiceId && !invoice) throw notFound({ invoice: input.invoiceId });
  return { order, invoice, found };
}

/**
 * The buyer's service owner approves one invoice for payment; the order is approved once its
 * approved invoices cover its value. Only an invoice waiting for approval can be approved; the
 * supplier is e-mailed (once per invoice).
 */
export async function approveInvoice(
  db: Db,
  actor: ProcurementActor,
  input: { orderId: string; invoiceId?: string | undefined },
  now: Date,
): Promise<Outcome<{ order: OrderRow; invoice: InvoiceRow }>> {
  const { order, invoice, found } = await invoiceOfBody(db, actor, input);
  const approved = invoice
    ? await db
        .updateTable('procurement_invoices')
        .set({ status: 'approved', approved_at: now, approved_by: actor.user.id })
        .where('id', '=', invoice.id)
        .where('status', '=', 'submitted')
        .returningAll()
        .executeTakeFirst()
    : undefined;
  if (!approved)
    return { ok: false, errors: [{ field: 'step', message: 'procurement.order.outOfOrder' }] };
  const settled = await settleOrder(db, order.id, actor.user.id, now);
  await recordAudit(db, auditActor(actor, 'service-owner'), {
    action: 'procurement.invoice_approved',
    resourceType: 'procurement_order',
    resourceId: order.id,
    subjectUserId: null,
    details: {
      reference: order.reference,
      invoice_id: approved.id,
      invoice_number: approved.invoice_number,
      amount_pence: approved.amount_pence,
    },
  });
  await mailSupplier(
    db,
    found.supplier_id,
    [approved.submitted_by],
    `invoice-approved:${approved.id}`,
    {
      subject: `Invoice ${approved.invoice_number} approved for payment`,
      english: `Your invoice ${approved.invoice_number} for ${money(approved.amount_pence)} against purchase order ${order.reference} ("${found.title}") has been approved for payment.`,
      welsh: `Mae eich anfoneb ${approved.invoice_number} am ${money(approved.amount_pence)} yn erbyn archeb brynu ${order.reference} ("${found.title}") wedi’i chymeradwyo i’w thalu.`,
    },
  );
  return { ok: true, order: settled, invoice: approved };
}

/**
 * The buyer's service owner rejects one invoice, with the reason the supplier reads (e-mailed to
 * it, once per invoice); its amount is free to invoice again, under a new number. Only an
 * invoice waiting for approval can be rejected.
 */
export async function rejectInvoice(
  db: Db,
  actor: ProcurementActor,
  input: { orderId: string; invoiceId?: string | undefined; reason: string },
  now: Date,
): Promise<Outcome<{ order: OrderRow; invoice: InvoiceRow }>> {
  const { order, invoice, found } = await invoiceOfBody(db, actor, input);
  const reason = input.reason.trim();
  if (!reason || reason.length > 1000)
    return {
      ok: false,
      errors: [{ field: 'reason', message: 'procurement.invoice.reason.missing' }],
    };
  const rejected = invoice
    ? await db
        .updateTable('procurement_invoices')
        .set({
          status: 'rejected',
          rejected_reason: reason,
          rejected_at: now,
          rejected_by: actor.user.id,
        })
        .where('id', '=', invoice.id)
        .where('status', '=', 'submitted')
        .returningAll()
        .executeTakeFirst()
    : undefined;
  if (!rejected)
    return { ok: false, errors: [{ field: 'step', message: 'procurement.order.outOfOrder' }] };
  const settled = await settleOrder(db, order.id, actor.user.id, now);
  await recordAudit(db, auditActor(actor, 'service-owner'), {
    action: 'procurement.invoice_rejected',
    resourceType: 'procurement_order',
    resourceId: order.id,
    subjectUserId: null,
    details: {
      reference: order.reference,
      invoice_id: rejected.id,
      invoice_number: rejected.invoice_number,
    },
  });
  await mailSupplier(
    db,
    found.supplier_id,
    [rejected.submitted_by],
    `invoice-rejected:${rejected.id}`,
    {
      subject: `Invoice ${rejected.invoice_number} rejected`,
      english: `Your invoice ${rejected.invoice_number} for ${money(rejected.amount_pence)} against purchase order ${order.reference} ("${found.title}") was rejected.\n\nWhy: ${reason}\n\nYou can send a new invoice, with a new number, from the order's page.`,
      welsh: `Gwrthodwyd eich anfoneb ${rejected.invoice_number} am ${money(rejected.amount_pence)} yn erbyn archeb brynu ${order.reference} ("${found.title}").\n\nPam: ${reason}\n\nGallwch anfon anfoneb newydd, â rhif newydd, o dudalen yr archeb.`,
    },
  );
  return { ok: true, order: settled, invoice: rejected };
}
