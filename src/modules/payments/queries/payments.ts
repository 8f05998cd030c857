import type { Db } from '../../../platform/db/database.js';
import type { PaymentEventRow, PaymentRefundRow, PaymentRow } from '../db/tables.js';
import { nextUrlPath } from '../commands/card.js';
import { refundSummary } from '../commands/refunds.js';
import { CARD_BRANDS, type CardBrand } from '../gateway/cards.js';
import type { PayCaller } from '../keys.js';
import { mayActOnPayment } from '../policies/payments.js';
import { isFinished, stateView, type PaymentStatus } from '../state.js';

/** Where links point and how next_url's token is made. */
export interface LinkContext {
  baseUrl: string;
  secret: string;
}

/**
 * The calling body's payment with Pay's id, or undefined (another body's, or one another module
 * asked for, is not there for it).
 */
export async function findPayment(
  db: Db,
  caller: PayCaller,
  paymentExternalId: string,
): Promise<PaymentRow | undefined> {
  const row = await db
    .selectFrom('payments')
    .selectAll()
    .where('external_id', '=', paymentExternalId)
    .where('purpose_kind', 'is', null)
    .executeTakeFirst();
  return row && mayActOnPayment(caller, row) ? row : undefined;
}

const link = (href: string, method = 'GET') => ({ href, method });

function cardDetails(row: PaymentRow) {
  if (!row.card_last_four) return undefined;
  const brand = row.card_brand as CardBrand | null;
  return {
    last_digits_card_number: row.card_last_four,
    cardholder_name: row.cardholder_name,
    expiry_date: row.card_expiry,
    card_brand: brand ? CARD_BRANDS[brand] : '',
    card_type: null,
  };
}

/** A payment as Pay's API shows it, with `_links` (next_url only while it can still be used). */
export function serializePayment(row: PaymentRow, refunded: number, links: LinkContext) {
  const self = `${links.baseUrl}/v1/payments/${row.external_id}`;
  const payable = row.status === 'created' && !row.next_url_used_at;
  const nextUrl = `${links.baseUrl}${nextUrlPath(links.secret, row.external_id)}`;
  return {
    amount: row.amount,
    description: row.description,
    reference: row.reference,
    language: row.language,
    ...(row.email ? { email: row.email } : {}),
    ...(row.metadata ? { metadata: row.metadata } : {}),
    state: stateView(row.status, row.state_code),
    payment_id: row.external_id,
    payment_provider: row.gateway,
    created_date: row.created_at.toISOString(),
    return_url: row.return_url,
    refund_summary: refundSummary(row, refunded),
    settlement_summary: {},
    ...(cardDetails(row) ? { card_details: cardDetails(row) } : {}),
    delayed_capture: false,
    moto: row.moto,
    authorisation_mode: 'web',
    ...(row.gateway_transaction_id ? { provider_id: row.gateway_transaction_id } : {}),
    _links: {
      self: link(self),
      ...(payable ? { next_url: link(nextUrl) } : {}),
      events: link(`${self}/events`),
      refunds: link(`${self}/refunds`),
      ...(isFinished(row.status) ? {} : { cancel: link(`${self}/cancel`, 'POST') }),
    },
  };
}

/** What was refunded of each of these payments (error refunds gave nothing back). */
export async function refundedByPayment(
  db: Db,
  paymentIds: string[],
): Promise<Map<string, number>> {
  if (paymentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('payment_refunds')
    .select(['payment_id', (eb) => eb.fn.sum<number>('amount').as('total')])
    .where('payment_id', 'in', paymentIds)
    .where('status', '!=', 'error')
    .groupBy('payment_id')
    .execute();
  return new Map(rows.map((r) => [r.payment_id, Number(r.total)]));
}

export interface SearchFilters {
  reference?: string;
  email?: string;
  state?: PaymentStatus;
  fromDate?: Date;
  toDate?: Date;
  page: number;
  displaySize: number;
}

/** One page of the calling body's payments, newest first, and how many match in all. */
export async function searchPayments(
  db: Db,
  caller: PayCaller,
  filters: SearchFilters,
): Promise<{ total: number; rows: PaymentRow[] }> {
  // Other modules' payments are theirs to act on, not the body's API's.
  let query = db
    .selectFrom('payments')
    .where('organisation_id', '=', caller.organisationId)
    .where('purpose_kind', 'is', null);
  if (filters.reference) query = query.where('reference', '=', filters.reference);
  if (filters.email) query = query.where('email', '=', filters.email);
  if (filters.state) query = query.where('status', '=', filters.state);
  if (filters.fromDate) query = query.where('created_at', '>=', filters.fromDate);
  if (filters.toDate) query = query.where('created_at', '<', filters.toDate);
  const { total } = await query
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filters.displaySize)
    .offset((filters.page - 1) * filters.displaySize)
    .execute();
  return { total: Number(total), rows };
}

export async function paymentEvents(db: Db, paymentId: string): Promise<PaymentEventRow[]> {
  return db
    .selectFrom('payment_events')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('id')
    .execute();
}

export async function paymentRefunds(db: Db, paymentId: string): Promise<PaymentRefundRow[]> {
  return db
    .selectFrom('payment_refunds')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('created_at')
    .execute();
}

/** A refund as Pay shows it. */
export function serializeRefund(
  refund: PaymentRefundRow,
  paymentExternalId: string,
  baseUrl: string,
) {
  const payment = `${baseUrl}/v1/payments/${paymentExternalId}`;
  return {
    refund_id: refund.external_id,
    created_date: refund.created_at.toISOString(),
    amount: refund.amount,
    status: refund.status,
    settlement_summary: {},
    _links: {
      self: link(`${payment}/refunds/${refund.external_id}`),
      payment: link(payment),
    },
  };
}
