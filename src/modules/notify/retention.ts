/**
 * Retention of notifications: as GOV.UK Notify does (it keeps a service's notifications 7 days
 * by default, at most 90), a body's e-mails, text messages and letters are deleted once their
 * time is over, and then the API answers for them as Notify does for one past its retention:
 * not found. The period here is in months, as for every record type: 3 by default (about
 * Notify's longest), so a caseworker can still see that a letter went out, 1 to 24.
 *
 * Only a finished notification is due: one still being sent (or waiting for its letter to be
 * printed) would be looked for again by its delivery.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';
import { deleteRecords } from '../../platform/db/records.js';
import { uuidAsTyped } from '../../platform/validation/uuid.js';
import { SETTLED } from './commands/deliver.js';
import type { NotificationStatus } from './db/tables.js';

/**
 * Statuses nothing changes any more: those after which a notification is not delivered again,
 * and the failures its delivery gave up on or a provider reported (only an admin's retry of its
 * dead outbox message would try again, and that finds nothing to send once it is deleted).
 */
const FINISHED_STATUSES: readonly NotificationStatus[] = [
  ...SETTLED,
  'technical-failure',
  'temporary-failure',
];

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('notify_notifications as n')
    .innerJoin('notify_services as s', 's.id', 'n.service_id')
    .select(['n.id', sql<null>`null`.as('personId')])
    .where('s.organisation_id', '=', query.organisationId)
    .where('n.status', 'in', [...FINISHED_STATUSES])
    .where('n.created_at', '<=', query.cutoff);
  // A person hold keeps what was sent to the account's address or number, as "My data" finds it.
  const recipients = [...query.heldPersonEmails, ...query.heldPersonPhones];
  if (recipients.length > 0)
    select = select.where((eb) => eb(eb.fn('lower', ['n.recipient']), 'not in', recipients));
  if (query.heldRecordIds.length > 0)
    select = select.where('n.id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('n.reference', 'is', null),
        eb('n.reference', 'not in', [...query.heldReferences]),
      ]),
    );
  return select
    .orderBy('n.created_at')
    .orderBy('n.id')
    .limit(query.limit)
    .forUpdate('n')
    .skipLocked()
    .execute();
}

async function dispose(trx: Db, _action: string, ids: readonly string[]): Promise<number> {
  return deleteRecords(trx, 'notify_notifications', ids);
}

/** A notification of the body, by the id its API gave (staff hold one by that id). */
async function resolve(db: Db, organisationId: string, identifier: string) {
  const id = uuidAsTyped(identifier);
  if (!id) return undefined;
  const row = await db
    .selectFrom('notify_notifications as n')
    .innerJoin('notify_services as s', 's.id', 'n.service_id')
    .select('n.id')
    .where('n.id', '=', id)
    .where('s.organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row ? { id: row.id, reference: row.id } : undefined;
}

/** The `notification` record type, for the notify module's manifest. */
export const notificationRetention: RetentionRecordType = {
  key: 'notification',
  title: 'notify.retention.title',
  clockStarts: 'notify.retention.clock',
  defaultMonths: 3,
  minMonths: 1,
  maxMonths: 24,
  defaultAction: 'delete',
  actions: ['delete'],
  findDue,
  dispose,
  resolve,
};
