import type { FastifyInstance } from 'fastify';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { listOrganisationsByIds } from '../../../organisations/index.js';
import {
  orderForSupplier,
  ordersForSupplier,
  submitInvoice,
  type InvoiceInput,
  type SupplierOrder,
} from '../../commands/invoices.js';
import { actorOf, money } from '../shared.js';
import { requireSignIn } from '../../../identity/index.js';

const VIEWS = 'modules/procurement/pages/supplier';

/** The order's status as its supplier reads it: a rejected invoice is its own state. */
function supplierStatus(order: SupplierOrder): string {
  const last = order.invoices.at(-1);
  if (order.status === 'received' && last?.status === 'rejected') return 'rejected';
  return order.status;
}

/** What the order pages show of each order, with the buyer's name in the page's language. */
async function ordersView(context: AppContext, orders: SupplierOrder[], locale: Locale) {
  const bodies = new Map(
    (await listOrganisationsByIds(context.db, [...new Set(orders.map((o) => o.buyerId))])).map(
      (o) => [o.id, (locale === 'cy' && o.name_cy) || o.name],
    ),
  );
  return orders.map((o) => ({
    ...o,
    amount: money(o.amountPence),
    remaining: money(o.remainingPence),
    invoices: o.invoices.map((i) => ({ ...i, amount: money(i.amountPence) })),
    lastRejected: o.invoices.filter((i) => i.status === 'rejected').at(-1) ?? null,
    buyerName: bodies.get(o.buyerId) ?? '',
    supplierStatus: supplierStatus(o),
  }));
}

const INVOICE_FIELDS = [
  'invoiceNumber',
  'invoiceAmount',
  'invoiceDate-day',
  'invoiceDate-month',
  'invoiceDate-year',
] as const;

/**
 * The supplier's purchase orders: the list of orders placed with the person's supplier
 * businesses, one order with its status, and sending an invoice against it. Another supplier's
 * order, or anyone who is not a member of the supplier, gets 404 (checked in the commands).
 */
export function supplierOrderRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get('/procurement/orders', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const orders = await ordersView(context, await ordersForSupplier(db, user.id), request.locale);
    return reply.view(`${VIEWS}/orders.njk`, { orders, backLink: '/procurement/suppliers' });
  });

  async function orderPage(orderId: string, userId: string, locale: Locale) {
    const [order] = await ordersView(
      context,
      [await orderForSupplier(db, userId, orderId)],
      locale,
    );
    return { order: order!, backLink: '/procurement/orders' };
  }

  app.get('/procurement/orders/:orderId', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { orderId } = request.params as { orderId: string };
    return reply.view(`${VIEWS}/order.njk`, {
      ...(await orderPage(orderId, user.id, request.locale)),
      values: {},
      done: (request.query as { done?: string }).done,
    });
  });

  app.post('/procurement/orders/:orderId/invoice', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { orderId } = request.params as { orderId: string };
    const values = Object.fromEntries(
      INVOICE_FIELDS.map((name) => [name, formText(request.body, name)]),
    ) as Omit<InvoiceInput, 'orderId'>;
    const outcome = await db
      .transaction()
      .execute((trx) =>
        submitInvoice(trx, actorOf(request, user, context), { orderId, ...values }, new Date()),
      );
    if (!outcome.ok)
      return reply.code(400).view(`${VIEWS}/order.njk`, {
        ...(await orderPage(orderId, user.id, request.locale)),
        values,
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/procurement/orders/${orderId}?done=invoiced`, 303);
  });
}
