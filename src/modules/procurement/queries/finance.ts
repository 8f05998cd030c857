import type { Db } from '../../../platform/db/database.js';
import type { OrderStatus } from '../db/tables.js';

/** The money figures of a body's contracts, in pence, for the performance measures. */
export interface ProcurementFigures {
  contractsAwarded: number;
  awardedValuePence: number;
  awardedToSmesPence: number;
  ordersRaised: number;
  orderedPence: number;
  receivedPence: number;
  invoicedPence: number;
  approvedForPaymentPence: number;
}

/**
 * What a body (or every body, without `organisationId`) awarded and ordered between two instants:
 * contracts awarded and their value (and how much went to SMEs), then its purchase orders by the
 * step they reached — ordered, received, invoiced (the amounts of its invoices not rejected,
 * however many part invoices) and approved for payment (its approved invoices).
 *
 * @example const figures = await procurementFigures(db, { organisationId, from, to });
 */
export async function procurementFigures(
  db: Db,
  filter: { organisationId?: string; from: Date; to: Date },
): Promise<ProcurementFigures> {
  let awards = db
    .selectFrom('procurement_awards as a')
    .innerJoin('procurement_notices as n', 'n.id', 'a.notice_id')
    .innerJoin('procurement_suppliers as s', 's.id', 'a.supplier_id')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.coalesce(eb.fn.sum<number>('a.value_pence'), eb.lit(0)).as('value'),
      eb.fn
        .coalesce(
          eb.fn.sum<number>(
            eb.case().when('s.is_sme', '=', true).then(eb.ref('a.value_pence')).else(0).end(),
          ),
          eb.lit(0),
        )
        .as('sme'),
    ])
    .where('a.awarded_at', '>=', filter.from)
    .where('a.awarded_at', '<', filter.to);
  if (filter.organisationId) awards = awards.where('n.organisation_id', '=', filter.organisationId);
  // Each order with its invoices summed: those not rejected (invoiced, however many part
  // invoices) and those approved for payment.
  const invoiceSums = db
    .selectFrom('procurement_invoices')
    .select((eb) => [
      'order_id',
      eb.fn
        .sum<number>(
          eb.case().when('status', '<>', 'rejected').then(eb.ref('amount_pence')).else(0).end(),
        )
        .as('live'),
      eb.fn
        .sum<number>(
          eb.case().when('status', '=', 'approved').then(eb.ref('amount_pence')).else(0).end(),
        )
        .as('approved'),
    ])
    .groupBy('order_id')
    .as('i');
  let orders = db
    .selectFrom('procurement_orders as o')
    .innerJoin('procurement_awards as a', 'a.id', 'o.award_id')
    .innerJoin('procurement_notices as n', 'n.id', 'a.notice_id')
    .leftJoin(invoiceSums, 'i.order_id', 'o.id')
    .select((eb) => {
      const sumWhen = (statuses: OrderStatus[]) =>
        eb.fn.coalesce(
          eb.fn.sum<number>(
            eb.case().when('o.status', 'in', statuses).then(eb.ref('o.amount_pence')).else(0).end(),
          ),
          eb.lit(0),
        );
      return [
        eb.fn.countAll<number>().as('count'),
        eb.fn.coalesce(eb.fn.sum<number>('o.amount_pence'), eb.lit(0)).as('ordered'),
        sumWhen(['received', 'invoiced', 'approved']).as('received'),
        eb.fn.coalesce(eb.fn.sum<number>('i.live'), eb.lit(0)).as('invoiced'),
        eb.fn.coalesce(eb.fn.sum<number>('i.approved'), eb.lit(0)).as('approved'),
      ];
    })
    .where('o.ordered_at', '>=', filter.from)
    .where('o.ordered_at', '<', filter.to);
  if (filter.organisationId) orders = orders.where('n.organisation_id', '=', filter.organisationId);
  const a = await awards.executeTakeFirstOrThrow();
  const o = await orders.executeTakeFirstOrThrow();
  return {
    contractsAwarded: Number(a.count),
    awardedValuePence: Number(a.value),
    awardedToSmesPence: Number(a.sme),
    ordersRaised: Number(o.count),
    orderedPence: Number(o.ordered),
    receivedPence: Number(o.received),
    invoicedPence: Number(o.invoiced),
    approvedForPaymentPence: Number(o.approved),
  };
}
