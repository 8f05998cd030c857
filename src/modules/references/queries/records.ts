import type { Db } from '../../../platform/db/database.js';
import type { RecordStatus, ReferenceRecordRow } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** A body's records of one status (the queue is `queued`), newest first, a page at a time. */
export async function recordsOf(
  db: Db,
  organisationId: string,
  statuses: readonly RecordStatus[],
  limit = 100,
): Promise<ReferenceRecordRow[]> {
  return db
    .selectFrom('reference_records')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('status', 'in', statuses)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** How many records of each status a body holds. */
export async function countsOf(db: Db, organisationId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('reference_records')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('organisation_id', '=', organisationId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** One of a body's records; another body's is not found. */
export async function recordOf(
  db: Db,
  organisationId: string,
  id: string,
): Promise<ReferenceRecordRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('reference_records')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The body's linked record of a person, by its own reference (the API's look-up). */
export async function linkedPersonByReference(db: Db, organisationId: string, reference: string) {
  return db
    .selectFrom('reference_records')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('subject', '=', 'person')
    .where('reference', '=', reference)
    .where('status', '=', 'linked')
    .executeTakeFirst();
}

/** Whether a body holds a live link to a person. */
export async function bodyHoldsLink(
  db: Db,
  organisationId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('reference_records')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('status', '=', 'linked')
    .executeTakeFirst();
  return !!row;
}

/** A person's live links: which body, since when and how (never the body's reference). */
export async function linksOfPerson(db: Db, userId: string) {
  return db
    .selectFrom('reference_records')
    .select(['id', 'organisation_id', 'link_method', 'linked_at'])
    .where('user_id', '=', userId)
    .where('status', '=', 'linked')
    .orderBy('linked_at')
    .orderBy('id')
    .execute();
}

/** Records queued with the person as the account their facts partly matched. */
export async function waitingForPerson(db: Db, userId: string) {
  return db
    .selectFrom('reference_records')
    .select(['id', 'organisation_id', 'queue_reason', 'created_at'])
    .where('candidate_user_id', '=', userId)
    .where('status', '=', 'queued')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The live links to a business account: which body and since when. */
export async function linksOfBusiness(db: Db, businessId: string) {
  return db
    .selectFrom('reference_records')
    .select(['id', 'organisation_id', 'link_method', 'linked_at'])
    .where('business_id', '=', businessId)
    .where('status', '=', 'linked')
    .orderBy('linked_at')
    .execute();
}

/** A business account's numbers. */
export async function numbersOfBusiness(db: Db, businessId: string) {
  return db
    .selectFrom('reference_business_numbers')
    .select(['scheme', 'value', 'added_at'])
    .where('business_id', '=', businessId)
    .orderBy('scheme')
    .execute();
}
