/** Reading subject access requests: a person's own, a body's, one by id. */
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { SubjectAccessRequestRow } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/**
 * Every column of a request, its dates as `YYYY-MM-DD` text (a `date` would come back as a
 * midnight in the driver's time zone): for every select and `returning`.
 */
export const REQUEST_COLUMNS = [
  'id',
  'request_group',
  'reference',
  'user_id',
  'organisation_id',
  'details',
  'received_at',
  sql<string>`received_on::text`.as('received_on'),
  sql<string>`due_on::text`.as('due_on'),
  'status',
  'extended_months',
  'extension_reason',
  'extended_by',
  'extended_at',
  'response_note',
  'responded_by',
  'responded_at',
] as const;

/** The person's requests, newest first. */
export async function requestsOf(db: Db, userId: string): Promise<SubjectAccessRequestRow[]> {
  return db
    .selectFrom('subject_access_requests')
    .select(REQUEST_COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('received_at', 'desc')
    .orderBy('reference')
    .execute();
}

/** A body's requests: those still to answer first, soonest due first; answered ones after. */
export async function requestsForBody(
  db: Db,
  organisationId: string,
  limit = 200,
): Promise<SubjectAccessRequestRow[]> {
  return db
    .selectFrom('subject_access_requests')
    .select(REQUEST_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .orderBy((eb) => eb.case().when('status', '=', 'responded').then(1).else(0).end())
    .orderBy('due_on')
    .orderBy('reference')
    .limit(limit)
    .execute();
}

export async function findRequest(
  db: Db,
  id: string,
): Promise<SubjectAccessRequestRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('subject_access_requests')
    .select(REQUEST_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}
