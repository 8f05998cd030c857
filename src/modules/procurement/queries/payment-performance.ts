import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';

/**
 * The public-sector prompt-payment target: undisputed invoices paid within 30 days of receipt
 * (Public Contracts Regulations 2015, regulation 113). Joinedup records approval for payment,
 * the step a body controls, so that is what is measured against it.
 */
export const PROMPT_PAYMENT_DAYS = 30;

/** One body's purchasing over a period, in pence, for the performance dashboards. */
export interface BodyFinance {
  organisationId: string;
  /** Purchase orders placed in the period, and their value. */
  orders: number;
  orderedPence: number;
  /** Invoices received in the period, and their value. */
  invoices: number;
  invoicedPence: number;
  /** The value of invoices approved for payment in the period. */
  approvedPence: number;
  /**
   * Invoices received in the period that have been approved or whose 30 days are over (those
   * still inside their 30 days are not yet late or on time), and of them those approved within 30.
   */
  invoicesDue: number;
  approvedWithinTarget: number;
}

/**
 * Each body's orders, invoices and approvals between two instants (`to` excluded), for some
 * bodies or (without `organisationIds`) every body with any; invoices' 30 days run to `now`.
 *
 * @example await financeByBody(db, { from, to, organisationIds: [stroudId] });
 */
export async function financeByBody(
  db: Db,
  filter: { from: Date; to: Date; organisationIds?: readonly string[]; now?: Date },
): Promise<BodyFinance[]> {
  const now = filter.now ?? new Date();
  const target = sql.lit(`${PROMPT_PAYMENT_DAYS} days`);
  const inRange = (column: string) =>
    sql`${sql.ref(column)} >= ${filter.from} and ${sql.ref(column)} < ${filter.to}`;
  const bodies = filter.organisationIds?.length
    ? sql`and n.organisation_id in (${sql.join([...filter.organisationIds])})`
    : sql``;
  // Orders by when they were placed; invoices (each of an order's part invoices, a rejected
  // one left out: it is disputed) by when they arrived and when they were approved.
  const result = await sql<{
    organisation_id: string;
    orders: number | null;
    ordered: string | number | null;
    invoices: number | null;
    invoiced: string | number | null;
    approved: string | number | null;
    due: number | null;
    within: number | null;
  }>`
    with placed as (
      select n.organisation_id,
        count(*)::int as orders,
        coalesce(sum(o.amount_pence), 0) as ordered
      from procurement_orders o
      join procurement_awards a on a.id = o.award_id
      join procurement_notices n on n.id = a.notice_id
      where ${inRange('o.ordered_at')} ${bodies}
      group by n.organisation_id
    ), billed as (
      select n.organisation_id,
        (count(*) filter (where ${inRange('i.submitted_at')}))::int as invoices,
        coalesce(sum(i.amount_pence) filter (where ${inRange('i.submitted_at')}), 0) as invoiced,
        coalesce(sum(i.amount_pence) filter (where ${inRange('i.approved_at')}), 0) as approved,
        (count(*) filter (where ${inRange('i.submitted_at')} and (i.approved_at is not null
          or i.submitted_at + ${target}::interval <= ${now})))::int as due,
        (count(*) filter (where ${inRange('i.submitted_at')}
          and i.approved_at <= i.submitted_at + ${target}::interval))::int as within
      from procurement_invoices i
      join procurement_orders o on o.id = i.order_id
      join procurement_awards a on a.id = o.award_id
      join procurement_notices n on n.id = a.notice_id
      where i.status <> 'rejected'
        and (${inRange('i.submitted_at')} or ${inRange('i.approved_at')}) ${bodies}
      group by n.organisation_id
    )
    select organisation_id, placed.orders, placed.ordered, billed.invoices, billed.invoiced,
      billed.approved, billed.due, billed.within
    from placed full join billed using (organisation_id)`.execute(db);
  return result.rows.map((row) => ({
    organisationId: row.organisation_id,
    orders: Number(row.orders ?? 0),
    orderedPence: Number(row.ordered ?? 0),
    invoices: Number(row.invoices ?? 0),
    invoicedPence: Number(row.invoiced ?? 0),
    approvedPence: Number(row.approved ?? 0),
    invoicesDue: Number(row.due ?? 0),
    approvedWithinTarget: Number(row.within ?? 0),
  }));
}
