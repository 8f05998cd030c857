/**
 * Retention of bookings: two years after the booked time ended by default, a booking is deleted
 * (its name, e-mail address and account link cannot be kept apart from it). Its payment is the
 * payments module's record and is kept, anonymised, for the accounts.
 */
import type { Db } from '../../platform/db/database.js';
import { deleteRecords } from '../../platform/db/records.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('bookings')
    .select(['id', 'user_id as personId'])
    .where('organisation_id', '=', query.organisationId)
    .where('ends_at', '<=', query.cutoff);
  if (query.heldPersonIds.length > 0)
    select = select.where('user_id', 'not in', [...query.heldPersonIds]);
  if (query.heldPersonEmails.length > 0)
    select = select.where((eb) =>
      eb(eb.fn('lower', ['email']), 'not in', [...query.heldPersonEmails]),
    );
  if (query.heldRecordIds.length > 0)
    select = select.where('id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select.where('reference', 'not in', [...query.heldReferences]);
  return select
    .orderBy('ends_at')
    .orderBy('id')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

async function dispose(trx: Db, _action: string, ids: readonly string[]) {
  return deleteRecords(trx, 'bookings', ids);
}

async function resolve(db: Db, organisationId: string, identifier: string) {
  const row = await db
    .selectFrom('bookings')
    .select(['id', 'reference'])
    .where('organisation_id', '=', organisationId)
    .where('reference', '=', identifier.trim().toUpperCase())
    .executeTakeFirst();
  return row;
}

/** The `booking` record type, for the bookings module's manifest. */
export const bookingRetention: RetentionRecordType = {
  key: 'booking',
  title: 'bookings.retention.title',
  clockStarts: 'bookings.retention.clock',
  defaultMonths: 24,
  minMonths: 1,
  maxMonths: 84,
  defaultAction: 'delete',
  actions: ['delete'],
  findDue,
  dispose,
  resolve,
};
