import type { Db } from '../../../platform/db/database.js';
import type {
  CorrespondenceKind,
  CorrespondenceRow,
  CorrespondenceSettingsRow,
} from '../db/tables.js';

/** One piece of correspondence by its reference (no policy: callers check who may see it). */
export async function findByReference(
  db: Db,
  reference: string,
): Promise<CorrespondenceRow | undefined> {
  return db
    .selectFrom('correspondence')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirst();
}

/** The same, locked for a change in the caller's transaction. */
export async function lockByReference(
  trx: Db,
  reference: string,
): Promise<CorrespondenceRow | undefined> {
  return trx
    .selectFrom('correspondence')
    .selectAll()
    .where('reference', '=', reference)
    .forUpdate()
    .executeTakeFirst();
}

/** A body's time limits, or the defaults (10 and 20 working days; 15 for members' letters). */
export async function settingsOf(
  db: Db,
  organisationId: string,
): Promise<
  Pick<
    CorrespondenceSettingsRow,
    'complaint_stage1_days' | 'complaint_stage2_days' | 'member_reply_days'
  >
> {
  const row = await db
    .selectFrom('correspondence_settings')
    .select(['complaint_stage1_days', 'complaint_stage2_days', 'member_reply_days'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row ?? { complaint_stage1_days: 10, complaint_stage2_days: 20, member_reply_days: 15 };
}

/** Which of a body's correspondence the queue shows. */
export interface QueueFilter {
  kind: CorrespondenceKind;
  /** Open work only (the default), or answered and closed work too. */
  closed: boolean;
  overdueAt?: Date;
}

/** States in which nothing more is owed. */
export const FINISHED_STATES = ['responded', 'closed', 'sent'] as const;

/**
 * A body's queue of one kind, most urgent first (a stopped clock last). Only what the list shows:
 * no requester's name or e-mail address, so reading the queue reads no one's personal data.
 */
export async function queueOf(db: Db, organisationId: string, filter: QueueFilter) {
  let query = db
    .selectFrom('correspondence')
    .select([
      'correspondence.reference',
      'correspondence.kind',
      'correspondence.subject',
      'correspondence.state',
      'correspondence.stage',
      'correspondence.received_at',
      'correspondence.due_at',
      'correspondence.extension_days',
      'correspondence.published_at',
      'correspondence.outcome',
      'correspondence.owner_id',
    ])
    .where('correspondence.organisation_id', '=', organisationId)
    .where('correspondence.kind', '=', filter.kind);
  if (!filter.closed) query = query.where('correspondence.state', 'not in', [...FINISHED_STATES]);
  if (filter.overdueAt) query = query.where('correspondence.due_at', '<', filter.overdueAt);
  return query
    .orderBy(
      ({ fn, ref }) => fn.coalesce(ref('correspondence.due_at'), ref('correspondence.received_at')),
      'asc',
    )
    .orderBy('correspondence.reference')
    .limit(200)
    .execute();
}

/** How many pieces of each kind a body has open, and how many of those are overdue. */
export async function queueCounts(db: Db, organisationId: string, now: Date) {
  const rows = await db
    .selectFrom('correspondence')
    .select(({ fn }) => [
      'kind',
      fn.countAll<string>().as('open'),
      fn.count<string>('due_at').filterWhere('due_at', '<', now).as('overdue'),
    ])
    .where('organisation_id', '=', organisationId)
    .where('state', 'not in', [...FINISHED_STATES])
    .groupBy('kind')
    .execute();
  const counts = {
    complaint: { open: 0, overdue: 0 },
    foi: { open: 0, overdue: 0 },
    review: { open: 0, overdue: 0 },
    member: { open: 0, overdue: 0 },
  };
  for (const row of rows)
    counts[row.kind] = { open: Number(row.open), overdue: Number(row.overdue) };
  return counts;
}

/** What one person made while signed in, newest first. */
export async function itemsOfAccount(db: Db, accountId: string): Promise<CorrespondenceRow[]> {
  return db
    .selectFrom('correspondence')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('received_at', 'desc')
    .execute();
}

/** The internal review of an FOI request, if one was asked for (one per answer). */
export async function reviewOf(db: Db, requestId: string): Promise<CorrespondenceRow | undefined> {
  return db
    .selectFrom('correspondence')
    .selectAll()
    .where('review_of', '=', requestId)
    .executeTakeFirst();
}

/** One piece of correspondence by its id (no policy: callers check who may see it). */
export async function findById(db: Db, id: string): Promise<CorrespondenceRow | undefined> {
  return db.selectFrom('correspondence').selectAll().where('id', '=', id).executeTakeFirst();
}
