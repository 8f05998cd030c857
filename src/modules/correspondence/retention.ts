/**
 * Retention of complaints, FOI requests and members' letters: by default three years after the
 * answer (the ICO's retention schedule for FOI casework; bodies with a six-year complaints rule
 * set their own), then anonymised: the people in it and what they wrote go; the kind, the
 * body, the dates, the outcome, the exemptions and any published disclosure stay, so the
 * body's statistics and its disclosure log stand.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  RetentionAction,
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';
import { FINISHED_STATES } from './queries/items.js';
import { parseReference } from './commands/reference.js';

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('correspondence')
    .select(['id', 'account_id as personId'])
    .where('organisation_id', '=', query.organisationId)
    .where('state', 'in', [...FINISHED_STATES])
    .where('responded_at', '<=', query.cutoff);
  if (query.action === 'anonymise') select = select.where('anonymised_at', 'is', null);
  if (query.heldPersonIds.length > 0)
    select = select.where((eb) =>
      eb.or([eb('account_id', 'is', null), eb('account_id', 'not in', [...query.heldPersonIds])]),
    );
  if (query.heldPersonEmails.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('requester_email', 'is', null),
        eb(sql<string>`lower(requester_email)`, 'not in', [...query.heldPersonEmails]),
      ]),
    );
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

async function dispose(
  trx: Db,
  action: RetentionAction,
  ids: readonly string[],
  now: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  if (action === 'delete') {
    const deleted = await trx
      .deleteFrom('correspondence')
      .where('id', 'in', [...ids])
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }
  const updated = await trx
    .updateTable('correspondence')
    .set({
      account_id: null,
      requester_name: '—',
      // Complaints and requests must keep an address (the table says so): an empty one.
      requester_email: sql<string | null>`case when kind = 'member' then null else '' end`,
      constituent_name: null,
      subject: '—',
      details: '—',
      clarification: null,
      response: null,
      draft: null,
      anonymised_at: now,
    })
    .where('id', 'in', [...ids])
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

async function resolve(db: Db, organisationId: string, identifier: string) {
  const reference = parseReference(identifier);
  if (!reference) return undefined;
  const row = await db
    .selectFrom('correspondence')
    .select(['id', 'reference'])
    .where('organisation_id', '=', organisationId)
    .where('reference', '=', reference)
    .executeTakeFirst();
  return row ?? undefined;
}

/** The `correspondence` record type, for the module's manifest. */
export const correspondenceRetention: RetentionRecordType = {
  key: 'correspondence',
  title: 'correspondence.retention.title',
  clockStarts: 'correspondence.retention.clockStarts',
  anonymiseKeeps: 'correspondence.retention.anonymiseKeeps',
  defaultMonths: 36,
  minMonths: 12,
  maxMonths: 120,
  defaultAction: 'anonymise',
  actions: ['anonymise', 'delete'],
  findDue,
  dispose,
  resolve,
};
