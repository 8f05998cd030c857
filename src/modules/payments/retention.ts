/**
 * Retention of payments: seven years after a payment finished by default (the accounts' six
 * years and the current one), a payment is anonymised — the payer's e-mail address, the name on
 * the card, its last four digits and expiry date and the service's metadata go; the amount,
 * description, reference, status, card brand, gateway references, refunds and ledger stay for
 * the accounts. A payment is never deleted: the ledger needs it.
 */
import type { Db } from '../../platform/db/database.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';

/** A payment that can no longer change: its clock starts at its last change. */
const FINISHED = ['success', 'failed', 'cancelled', 'error'] as const;

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('payments')
    .select(['id', 'email'])
    .where('organisation_id', '=', query.organisationId)
    .where('status', 'in', FINISHED)
    .where('updated_at', '<=', query.cutoff)
    .where((eb) =>
      eb.or([
        eb('email', 'is not', null),
        eb('cardholder_name', 'is not', null),
        eb('card_last_four', 'is not', null),
        eb('card_expiry', 'is not', null),
        eb('metadata', 'is not', null),
      ]),
    );
  if (query.heldPersonEmails.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('email', 'is', null),
        eb(eb.fn('lower', ['email']), 'not in', [...query.heldPersonEmails]),
      ]),
    );
  if (query.heldRecordIds.length > 0)
    select = select.where('id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select.where('reference', 'not in', [...query.heldReferences]);
  const rows = await select
    .orderBy('updated_at')
    .orderBy('id')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
  // A payment knows its payer only by e-mail address, not by account.
  return rows.map((row) => ({ id: row.id, personId: null }));
}

async function dispose(trx: Db, _action: string, ids: readonly string[]) {
  if (ids.length === 0) return 0;
  const changed = await trx
    .updateTable('payments')
    .set({
      email: null,
      cardholder_name: null,
      card_last_four: null,
      card_expiry: null,
      metadata: null,
    })
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  return Number(changed.numUpdatedRows);
}

async function resolve(db: Db, organisationId: string, identifier: string) {
  const wanted = identifier.trim();
  const row = await db
    .selectFrom('payments')
    .select(['id', 'reference'])
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('external_id', '=', wanted), eb('reference', '=', wanted)]))
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row;
}

/** The `payment` record type, for the payments module's manifest. */
export const paymentRetention: RetentionRecordType = {
  key: 'payment',
  title: 'payments.retention.title',
  clockStarts: 'payments.retention.clock',
  anonymiseKeeps: 'payments.retention.keeps',
  defaultMonths: 84,
  minMonths: 72,
  maxMonths: 144,
  defaultAction: 'anonymise',
  actions: ['anonymise'],
  findDue,
  dispose,
  resolve,
};
