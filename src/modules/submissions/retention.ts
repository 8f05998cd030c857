/**
 * Retention of applications: six years after the decision by default, an application is
 * anonymised — its answers, who sent it and for whom, its events' details and its files go;
 * its reference, service, body, channel, form version, status and dates stay for statistics.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';
import { eraseAttachmentsOfSubmissions } from '../attachments/index.js';
import type { SubmittedAnswers } from './db/tables.js';
import { parseReference } from './reference.js';

/** A decided application's status: its clock starts at its last change, the decision. */
const DECIDED = ['approved', 'rejected', 'decided'] as const;
const NO_ANSWERS: SubmittedAnswers = { values: {}, summary: { en: [], cy: [] } };

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('submissions')
    .select(['id', 'applicant_user_id as personId'])
    .where('organisation_id', '=', query.organisationId)
    .where('status', 'in', DECIDED)
    .where('updated_at', '<=', query.cutoff)
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
    .orderBy('updated_at')
    .orderBy('id')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Anonymises the applications in place; their events' details and their files go with them. */
async function dispose(trx: Db, _action: string, ids: readonly string[], now: Date) {
  if (ids.length === 0) return 0;
  const list = sql.join([...ids]);
  const changed = await sql<{ id: string }>`
    update submissions set
      answers = ${JSON.stringify(NO_ANSWERS)}::jsonb,
      applicant_user_id = null, submitted_by_user_id = null, applicant = null,
      on_behalf_of = null, applicant_business_id = null, applicant_business = null,
      anonymised_at = ${now}
    where id in (${list}) and anonymised_at is null
    returning id`.execute(trx);
  const done = changed.rows.map((row) => row.id);
  if (done.length === 0) return 0;
  await sql`
    update submission_events set details = '{}'::jsonb, actor_user_id = null
    where submission_id in (${sql.join(done)})`.execute(trx);
  await eraseAttachmentsOfSubmissions(trx, done);
  return done.length;
}

async function resolve(db: Db, organisationId: string, identifier: string) {
  const row = await db
    .selectFrom('submissions')
    .select(['id', 'reference'])
    .where('organisation_id', '=', organisationId)
    .where('reference', '=', parseReference(identifier) ?? identifier.trim().toUpperCase())
    .executeTakeFirst();
  return row;
}

/** The `submission` record type, for the submissions module's manifest. */
export const submissionRetention: RetentionRecordType = {
  key: 'submission',
  title: 'submissions.retention.title',
  clockStarts: 'submissions.retention.clock',
  anonymiseKeeps: 'submissions.retention.keeps',
  defaultMonths: 72,
  minMonths: 12,
  maxMonths: 180,
  defaultAction: 'anonymise',
  actions: ['anonymise'],
  findDue,
  dispose,
  resolve,
};
