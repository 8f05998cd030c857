/**
 * Retention of cases: six years after the case closed by default, a case is anonymised — the
 * applicant's account, name and the place, what caseworkers and the applicant wrote (event
 * comments and details, notes, questions and answers, referral reasons and responses) and the
 * files listed go; the reference, service, workflow, states, deadlines and dates stay.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';

/** What stands for removed text where a column must hold some (questions, referral reasons). */
export const REMOVED = '-';

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('cases')
    .select(['id', 'applicant_user_id as personId'])
    .where('organisation_id', '=', query.organisationId)
    .where('closed_at', 'is not', null)
    .where('closed_at', '<=', query.cutoff)
    .where('anonymised_at', 'is', null);
  if (query.heldPersonIds.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('applicant_user_id', 'is', null),
        eb('applicant_user_id', 'not in', [...query.heldPersonIds]),
      ]),
    );
  if (query.heldRecordIds.length > 0)
    select = select.where('id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select.where('reference', 'not in', [...query.heldReferences]);
  return select
    .orderBy('closed_at')
    .orderBy('id')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

async function dispose(trx: Db, _action: string, ids: readonly string[], now: Date) {
  if (ids.length === 0) return 0;
  const changed = await sql<{ id: string }>`
    update cases set applicant_user_id = null, applicant_name = null, location = null,
      anonymised_at = ${now}
    where id in (${sql.join([...ids])}) and anonymised_at is null
    returning id`.execute(trx);
  const done = changed.rows.map((row) => row.id);
  if (done.length === 0) return 0;
  const list = sql.join(done);
  await sql`
    update case_events set comment = null, details = '{}'::jsonb, documents = '[]'::jsonb
    where case_id in (${list})`.execute(trx);
  await sql`delete from case_notes where case_id in (${list})`.execute(trx);
  await sql`
    update information_requests set question = ${REMOVED}, answer = null, attachment_ids = '[]'::jsonb
    where case_id in (${list})`.execute(trx);
  await sql`
    update case_referrals set reason = ${REMOVED}, response = null, consent = consent - 'note'
    where case_id in (${list})`.execute(trx);
  return done.length;
}

async function resolve(db: Db, organisationId: string, identifier: string) {
  const row = await db
    .selectFrom('cases')
    .select(['id', 'reference'])
    .where('organisation_id', '=', organisationId)
    .where('reference', '=', identifier.trim().toUpperCase())
    .executeTakeFirst();
  return row;
}

/** The `case` record type, for casework's manifest. */
export const caseRetention: RetentionRecordType = {
  key: 'case',
  title: 'casework.retention.title',
  clockStarts: 'casework.retention.clock',
  anonymiseKeeps: 'casework.retention.keeps',
  defaultMonths: 72,
  minMonths: 12,
  maxMonths: 180,
  defaultAction: 'anonymise',
  actions: ['anonymise'],
  findDue,
  dispose,
  resolve,
};
