/**
 * Retention of evidence requests, the requesting body's record of a check it made with another
 * body instead of asking the person for evidence: by default two years after the check ended,
 * it is anonymised. Who it was about, what was sent to identify them and the answer go; the
 * evidence type, the two bodies, the consent given, how it went and the dates stay, for the
 * exchange's statistics. The application keeps its own signed copy of the answer (and checks
 * it without this record), so it follows the application's period, not this one.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';
import { uuidAsTyped } from '../../platform/validation/uuid.js';

/**
 * When a check ended: its answer; its time to answer running out while still waiting (no answer
 * is taken after that); otherwise its last change (failed, or not sent at all).
 */
const ENDED = sql<Date>`case
  when status = 'answered' then answered_at
  when status in ('waiting', 'sent') then due_at
  else updated_at end`;

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('evidence_requests')
    .select(['id', 'user_id as personId'])
    .where('requesting_organisation_id', '=', query.organisationId)
    .where('anonymised_at', 'is', null)
    .where(ENDED, '<=', query.cutoff);
  if (query.heldPersonIds.length > 0)
    select = select.where((eb) =>
      eb.or([eb('user_id', 'is', null), eb('user_id', 'not in', [...query.heldPersonIds])]),
    );
  if (query.heldRecordIds.length > 0)
    select = select.where('id', 'not in', [...query.heldRecordIds]);
  return select
    .orderBy('created_at')
    .orderBy('id')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

async function dispose(
  trx: Db,
  _action: string,
  ids: readonly string[],
  now: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  const updated = await trx
    .updateTable('evidence_requests')
    .set({
      user_id: null,
      subject: '{}',
      subject_key: '',
      subject_digest: '',
      answer: null,
      signature: null,
      anonymised_at: now,
    })
    .where('id', 'in', [...ids])
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

/** A request the body made, by its id (as its staff pages and the access log show it). */
async function resolve(db: Db, organisationId: string, identifier: string) {
  const id = uuidAsTyped(identifier);
  if (!id) return undefined;
  const row = await db
    .selectFrom('evidence_requests')
    .select('id')
    .where('id', '=', id)
    .where('requesting_organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row ? { id: row.id, reference: row.id } : undefined;
}

/** The `evidence-request` record type, for the evidence module's manifest. */
export const evidenceRequestRetention: RetentionRecordType = {
  key: 'evidence-request',
  title: 'evidence.retention.title',
  clockStarts: 'evidence.retention.clock',
  anonymiseKeeps: 'evidence.retention.keeps',
  defaultMonths: 24,
  minMonths: 6,
  maxMonths: 84,
  defaultAction: 'anonymise',
  actions: ['anonymise'],
  findDue,
  dispose,
  resolve,
};
