/**
 * Retention of procurement records about suppliers and the people who act for them.
 *
 * - **Unsuccessful tenders** are deleted (with their scores and their documents, whose files are
 *   erased from the file store) six years after the contract was
 *   awarded, or after the opportunity was cancelled. The Procurement Act 2023, section 98(3)–(4),
 *   requires records of communications with suppliers before the contract (tenders and
 *   clarifications among them) to be kept for three years from the day the contract is entered
 *   into, or awarded if it is not entered into (Public Contracts Regulations 2015, regulation 84,
 *   had three years from award) — the minimum a body may set; six years is the default because a
 *   claim in contract may be brought for six years (Limitation Act 1980, section 5), the period
 *   councils' retention schedules commonly use for tender records. The winning tender is the
 *   contract's record and is never deleted here.
 * - **Clarification questions** are anonymised on the same clock, six years after the award: which
 *   supplier and which person asked go; the question and its answer stay, as they are published
 *   on the notice.
 *
 * A legal hold on a tender (by its id) or on the contracting process (by its OCID, e.g.
 * `ocds-jndup1-…`) keeps it; so does a hold on the person who sent it or asked.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';
import { eraseBodyAttachment } from '../attachments/index.js';
import { isUuid } from '../../platform/validation/uuid.js';

/**
 * When a tender's or question's clock starts: the award, or the cancellation of the notice. A
 * notice still open, or closed but not yet awarded, has not started it. (The award stands for
 * the contract being entered into, which Joinedup does not record.)
 */
const CLOCK = sql<Date>`coalesce(a.awarded_at, case when n.status = 'cancelled' then n.updated_at end)`;

async function findDueTenders(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('procurement_responses as r')
    .innerJoin('procurement_notices as n', 'n.id', 'r.notice_id')
    .leftJoin('procurement_awards as a', 'a.notice_id', 'n.id')
    .select(['r.id', 'r.submitted_by as personId'])
    .where('n.organisation_id', '=', query.organisationId)
    .where(CLOCK, '<=', query.cutoff)
    // The winning tender stays with the contract.
    .where((eb) =>
      eb.or([eb('a.response_id', 'is', null), eb('a.response_id', '!=', eb.ref('r.id'))]),
    );
  if (query.heldPersonIds.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('r.submitted_by', 'is', null),
        eb('r.submitted_by', 'not in', [...query.heldPersonIds]),
      ]),
    );
  if (query.heldRecordIds.length > 0)
    select = select.where('r.id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select.where('n.ocid', 'not in', [...query.heldReferences]);
  return select
    .orderBy(CLOCK)
    .orderBy('r.id')
    .limit(query.limit)
    .forUpdate('r')
    .skipLocked()
    .execute();
}

async function disposeTenders(trx: Db, _action: string, ids: readonly string[]) {
  if (ids.length === 0) return 0;
  // The tender's documents go with it: each file is erased from the store (once this
  // transaction commits) and its record with it (on delete cascade from the attachment).
  const documents = await trx
    .selectFrom('procurement_tender_documents as d')
    .innerJoin('procurement_responses as r', (join) =>
      join.onRef('r.notice_id', '=', 'd.notice_id').onRef('r.supplier_id', '=', 'd.supplier_id'),
    )
    .innerJoin('procurement_notices as n', 'n.id', 'r.notice_id')
    .select(['d.attachment_id', 'n.organisation_id'])
    .where('r.id', 'in', [...ids])
    .execute();
  for (const document of documents)
    await eraseBodyAttachment(trx, document.attachment_id, document.organisation_id);
  // Their evaluations go with them (on delete cascade).
  const deleted = await trx
    .deleteFrom('procurement_responses')
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

async function resolveTender(db: Db, organisationId: string, identifier: string) {
  const wanted = identifier.trim();
  if (!isUuid(wanted)) return undefined;
  return db
    .selectFrom('procurement_responses as r')
    .innerJoin('procurement_notices as n', 'n.id', 'r.notice_id')
    .select(['r.id', 'n.ocid as reference'])
    .where('n.organisation_id', '=', organisationId)
    .where('r.id', '=', wanted)
    .executeTakeFirst();
}

/** The `procurement_tender` record type: unsuccessful tenders. */
export const tenderRetention: RetentionRecordType = {
  key: 'procurement_tender',
  title: 'procurement.retention.tender.title',
  clockStarts: 'procurement.retention.tender.clock',
  defaultMonths: 72,
  minMonths: 36,
  maxMonths: 180,
  defaultAction: 'delete',
  actions: ['delete'],
  findDue: findDueTenders,
  dispose: disposeTenders,
  resolve: resolveTender,
};

async function findDueClarifications(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('procurement_clarifications as c')
    .innerJoin('procurement_notices as n', 'n.id', 'c.notice_id')
    .leftJoin('procurement_awards as a', 'a.notice_id', 'n.id')
    .select(['c.id', 'c.asked_by as personId'])
    .where('n.organisation_id', '=', query.organisationId)
    .where(CLOCK, '<=', query.cutoff)
    .where((eb) => eb.or([eb('c.asked_by', 'is not', null), eb('c.supplier_id', 'is not', null)]));
  if (query.heldPersonIds.length > 0)
    select = select.where((eb) =>
      eb.or([eb('c.asked_by', 'is', null), eb('c.asked_by', 'not in', [...query.heldPersonIds])]),
    );
  if (query.heldRecordIds.length > 0)
    select = select.where('c.id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select.where('n.ocid', 'not in', [...query.heldReferences]);
  return select
    .orderBy(CLOCK)
    .orderBy('c.id')
    .limit(query.limit)
    .forUpdate('c')
    .skipLocked()
    .execute();
}

async function anonymiseClarifications(trx: Db, _action: string, ids: readonly string[]) {
  if (ids.length === 0) return 0;
  const changed = await trx
    .updateTable('procurement_clarifications')
    .set({ asked_by: null, supplier_id: null })
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  return Number(changed.numUpdatedRows);
}

async function resolveClarification(db: Db, organisationId: string, identifier: string) {
  const wanted = identifier.trim();
  if (!isUuid(wanted)) return undefined;
  return db
    .selectFrom('procurement_clarifications as c')
    .innerJoin('procurement_notices as n', 'n.id', 'c.notice_id')
    .select(['c.id', 'n.ocid as reference'])
    .where('n.organisation_id', '=', organisationId)
    .where('c.id', '=', wanted)
    .executeTakeFirst();
}

/** The `procurement_clarification` record type: who asked a clarification question. */
export const clarificationRetention: RetentionRecordType = {
  key: 'procurement_clarification',
  title: 'procurement.retention.clarification.title',
  clockStarts: 'procurement.retention.clarification.clock',
  anonymiseKeeps: 'procurement.retention.clarification.keeps',
  defaultMonths: 72,
  minMonths: 36,
  maxMonths: 180,
  defaultAction: 'anonymise',
  actions: ['anonymise'],
  findDue: findDueClarifications,
  dispose: anonymiseClarifications,
  resolve: resolveClarification,
};
