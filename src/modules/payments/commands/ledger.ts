import type { Db } from '../../../platform/db/database.js';
import type { LedgerAccount, PaymentRefundRow, PaymentRow } from '../db/tables.js';

/**
 * The double-entry ledger. Money a card gateway took for a body is a debit to `card_clearing`
 * (the gateway holds it for the body) and a credit to `income`; a refund is the reverse; a
 * refund the gateway then failed to pay is put back. Each posting has a key, so posting the
 * same thing twice (an outbox job run again) writes nothing the second time.
 */
async function post(
  trx: Db,
  posting: string,
  entry: { organisationId: string; paymentId: string; refundId: string | null },
  debit: LedgerAccount,
  credit: LedgerAccount,
  amount: number,
): Promise<void> {
  const base = {
    posting,
    organisation_id: entry.organisationId,
    payment_id: entry.paymentId,
    refund_id: entry.refundId,
  };
  await trx
    .insertInto('ledger_entries')
    .values([
      { ...base, account: debit, debit: amount, credit: 0 },
      { ...base, account: credit, debit: 0, credit: amount },
    ])
    .onConflict((oc) => oc.columns(['posting', 'account']).doNothing())
    .execute();
}

/** A payment succeeded: the body has taken its amount. */
export async function postPayment(trx: Db, payment: PaymentRow): Promise<void> {
  await post(
    trx,
    `payment:${payment.id}`,
    { organisationId: payment.organisation_id, paymentId: payment.id, refundId: null },
    'card_clearing',
    'income',
    payment.amount,
  );
}

/** A refund was made: posted when it is asked for, as it counts against the payment at once. */
export async function postRefund(
  trx: Db,
  payment: Pick<PaymentRow, 'id' | 'organisation_id'>,
  refund: PaymentRefundRow,
): Promise<void> {
  await post(
    trx,
    `refund:${refund.id}`,
    { organisationId: payment.organisation_id, paymentId: payment.id, refundId: refund.id },
    'income',
    'card_clearing',
    refund.amount,
  );
}

/** The gateway could not pay a refund back: its posting is reversed. */
export async function postFailedRefund(
  trx: Db,
  payment: Pick<PaymentRow, 'id' | 'organisation_id'>,
  refund: PaymentRefundRow,
): Promise<void> {
  await post(
    trx,
    `refund-failed:${refund.id}`,
    { organisationId: payment.organisation_id, paymentId: payment.id, refundId: refund.id },
    'card_clearing',
    'income',
    refund.amount,
  );
}
