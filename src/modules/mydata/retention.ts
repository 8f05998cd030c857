/**
 * Retention of subject access requests: the body's record that a person asked it for the
 * information it holds about them, when it was due and how it was answered. By default two
 * years after the answer (long enough to show the Information Commissioner it answered in
 * time), it is deleted. A request not yet answered is never due.
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
    .selectFrom('subject_access_requests')
    .select(['id', 'user_id as personId'])
    .where('organisation_id', '=', query.organisationId)
    .where('status', '=', 'responded')
    .where('responded_at', '<=', query.cutoff);
  if (query.heldPersonIds.length > 0)
    select = select.where('user_id', 'not in', [...query.heldPersonIds]);
  if (query.heldRecordIds.length > 0)
    select = select.where('id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select.where('reference', 'not in', [...query.heldReferences]);
  return select
    .orderBy('responded_at')
    .orderBy('id')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

async function dispose(trx: Db, _action: string, ids: readonly string[]): Promise<number> {
  return deleteRecords(trx, 'subject_access_requests', ids);
}

/** A request to the body, by its reference (`SAR-…`, as the person and staff see it). */
async function resolve(db: Db, organisationId: string, identifier: string) {
  return db
    .selectFrom('subject_access_requests')
    .select(['id', 'reference'])
    .where('organisation_id', '=', organisationId)
    .where('reference', '=', identifier.trim().toUpperCase())
    .executeTakeFirst();
}

/** The `subject-access-request` record type, for the mydata module's manifest. */
export const subjectAccessRequestRetention: RetentionRecordType = {
  key: 'subject-access-request',
  title: 'mydata.retention.title',
  clockStarts: 'mydata.retention.clock',
  defaultMonths: 24,
  minMonths: 12,
  maxMonths: 72,
  defaultAction: 'delete',
  actions: ['delete'],
  findDue,
  dispose,
  resolve,
};
