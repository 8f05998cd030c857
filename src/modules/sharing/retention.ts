/**
 * Retention of tell-us-once records, per body: two years after a body's delivery of a change
 * reached its final state (acknowledged, updated, failed or not sent), it is anonymised — the
 * body's own reference for the person goes, its status, dates and reason stay for the body's
 * figures. When every delivery of a change has been anonymised, the change loses what the
 * person told (the new address, names, dates of birth): its kind, reference, status and dates
 * stay, so the person's and the bodies' counts still add up.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';

const FINAL = ['acknowledged', 'updated', 'failed', 'not-sent'] as const;

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('sharing_deliveries as d')
    .innerJoin('sharing_changes as c', 'c.id', 'd.change_id')
    .select(['d.id', 'c.user_id as personId'])
    .where('d.organisation_id', '=', query.organisationId)
    .where('d.anonymised_at', 'is', null)
    .where('d.status', 'in', FINAL)
    .where(sql<Date>`coalesce(d.answered_at, d.updated_at)`, '<=', query.cutoff);
  if (query.heldPersonIds.length > 0)
    select = select.where('c.user_id', 'not in', [...query.heldPersonIds]);
  if (query.heldRecordIds.length > 0)
    select = select.where('d.id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select.where('c.reference', 'not in', [...query.heldReferences]);
  return select
    .orderBy(sql`coalesce(d.answered_at, d.updated_at)`)
    .orderBy('d.id')
    .limit(query.limit)
    .forUpdate('d')
    .skipLocked()
    .execute();
}

/** Anonymises the deliveries, then the changes none of whose deliveries still name the person. */
async function dispose(trx: Db, _action: string, ids: readonly string[], now: Date) {
  if (ids.length === 0) return 0;
  const done = await trx
    .updateTable('sharing_deliveries')
    .set({ body_reference: null, anonymised_at: now })
    .where('id', 'in', [...ids])
    .where('anonymised_at', 'is', null)
    .returning('change_id')
    .execute();
  const changeIds = [...new Set(done.map((row) => row.change_id))];
  if (changeIds.length > 0)
    await trx
      .updateTable('sharing_changes as c')
      .set({ details: JSON.stringify({}), verification_note: null, anonymised_at: now })
      .where('c.id', 'in', changeIds)
      .where('c.anonymised_at', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('sharing_deliveries as d')
              .select('d.id')
              .whereRef('d.change_id', '=', 'c.id')
              .where('d.anonymised_at', 'is', null),
          ),
        ),
      )
      .execute();
  return done.length;
}

/** A body's delivery of the change staff know by its reference (TUO-…), for a legal hold. */
async function resolve(db: Db, organisationId: string, identifier: string) {
  const reference = identifier.trim().toUpperCase();
  if (!/^TUO-[A-Z0-9]{8}$/.test(reference)) return undefined;
  const row = await db
    .selectFrom('sharing_deliveries as d')
    .innerJoin('sharing_changes as c', 'c.id', 'd.change_id')
    .select(['d.id', 'c.reference'])
    .where('d.organisation_id', '=', organisationId)
    .where('c.reference', '=', reference)
    .executeTakeFirst();
  return row && { id: row.id, reference: row.reference };
}

/** The `tell-us-once-delivery` record type, for the sharing module's manifest. */
export const sharingDeliveryRetention: RetentionRecordType = {
  key: 'tell-us-once-delivery',
  title: 'sharing.retention.title',
  clockStarts: 'sharing.retention.clock',
  anonymiseKeeps: 'sharing.retention.keeps',
  defaultMonths: 24,
  minMonths: 6,
  maxMonths: 120,
  defaultAction: 'anonymise',
  actions: ['anonymise'],
  findDue,
  dispose,
  resolve,
};
