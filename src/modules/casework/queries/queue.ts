/**
 * A body's queue of cases: filtered, sorted, counted by state and paged in the database, so it
 * stays quick with a million cases (the partial index `cases_open_queue` serves the open queue).
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database, Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { addWorkingDays, DUE_SOON_WORKING_DAYS } from '../calendar/index.js';
import type { CaseRow } from '../db/tables.js';
import { canWorkCase } from '../policies/cases.js';

export const QUEUE_PAGE_SIZE = 50;
export const QUEUE_RISKS = ['overdue', 'due-soon', 'on-track', 'none'] as const;
export const QUEUE_SORTS = ['due', 'opened', 'reference'] as const;
export const QUEUE_AGES = [2, 5, 10, 20, 60] as const;

export interface QueueFilter {
  serviceId?: string | undefined;
  state?: string | undefined;
  /** Opened more than this many days ago. */
  olderThanDays?: number | undefined;
  risk?: (typeof QUEUE_RISKS)[number] | undefined;
  assigned: 'me' | 'unassigned' | 'anyone';
  show: 'open' | 'closed' | 'all';
  sort: (typeof QUEUE_SORTS)[number];
  order: 'asc' | 'desc';
  /** From 1. */
  page: number;
}

export type QueueRow = Pick<
  CaseRow,
  | 'id'
  | 'reference'
  | 'service_id'
  | 'applicant_name'
  | 'workflow_id'
  | 'state'
  | 'due_at'
  | 'paused_at'
  | 'escalated_at'
  | 'assigned_to'
  | 'opened_at'
  | 'closed_at'
  | 'version'
>;

export interface Queue {
  rows: QueueRow[];
  total: number;
  /** Cases in each state (of each workflow version) under every filter but the state's. */
  counts: { workflowId: string; state: string; count: number }[];
}

type CaseQuery = SelectQueryBuilder<Database, 'cases', object>;

function filtered(
  db: Db,
  organisationId: string,
  user: CurrentUser,
  filter: QueueFilter,
  now: Date,
  withState: boolean,
): CaseQuery {
  let query = db.selectFrom('cases').where('organisation_id', '=', organisationId) as CaseQuery;
  if (filter.show === 'open') query = query.where('closed_at', 'is', null);
  if (filter.show === 'closed') query = query.where('closed_at', 'is not', null);
  if (filter.serviceId) query = query.where('service_id', '=', filter.serviceId);
  if (withState && filter.state) query = query.where('state', '=', filter.state);
  if (filter.olderThanDays)
    query = query.where(
      'opened_at',
      '<',
      new Date(now.getTime() - filter.olderThanDays * 24 * 3600 * 1000),
    );
  if (filter.assigned === 'me') query = query.where('assigned_to', '=', user.id);
  if (filter.assigned === 'unassigned') query = query.where('assigned_to', 'is', null);
  if (filter.risk) {
    const soon = addWorkingDays(now, DUE_SOON_WORKING_DAYS);
    if (filter.risk === 'none')
      query = query.where((eb) =>
        eb.or([eb('due_at', 'is', null), eb('paused_at', 'is not', null)]),
      );
    else {
      query = query.where('paused_at', 'is', null);
      if (filter.risk === 'overdue') query = query.where('due_at', '<', now);
      if (filter.risk === 'due-soon')
        query = query.where('due_at', '>=', now).where('due_at', '<=', soon);
      if (filter.risk === 'on-track') query = query.where('due_at', '>', soon);
    }
  }
  return query;
}

/**
 * The page of the user's body's queue the filter asks for, with the total and the counts per
 * state. Nobody but the body's caseworkers and team leaders has a queue: anyone else gets none.
 */
export async function listQueue(
  db: Db,
  user: CurrentUser,
  filter: QueueFilter,
  now = new Date(),
): Promise<Queue> {
  const organisationId = user.organisationId;
  if (!organisationId || !canWorkCase(user, { organisation_id: organisationId }))
    return { rows: [], total: 0, counts: [] };
  const base = filtered(db, organisationId, user, filter, now, true);
  const direction = filter.order;
  let rows = base.select([
    'id',
    'reference',
    'service_id',
    'applicant_name',
    'workflow_id',
    'state',
    'due_at',
    'paused_at',
    'escalated_at',
    'assigned_to',
    'opened_at',
    'closed_at',
    'version',
  ]);
  if (filter.sort === 'due')
    rows = rows.orderBy(sql`due_at ${sql.raw(direction)} nulls last`).orderBy('opened_at');
  else if (filter.sort === 'opened') rows = rows.orderBy('opened_at', direction);
  rows = rows.orderBy('reference', direction);
  const [page, counts] = await Promise.all([
    rows
      .limit(QUEUE_PAGE_SIZE)
      .offset((filter.page - 1) * QUEUE_PAGE_SIZE)
      .execute(),
    filtered(db, organisationId, user, filter, now, false)
      .select(['workflow_id', 'state', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(['workflow_id', 'state'])
      .execute(),
  ]);
  const perState = counts.map((c) => ({
    workflowId: c.workflow_id,
    state: c.state,
    count: Number(c.n),
  }));
  // The counts are under every filter but the state's, so the total is theirs: one scan fewer.
  const total = perState
    .filter((c) => !filter.state || c.state === filter.state)
    .reduce((sum, c) => sum + c.count, 0);
  return { rows: page, total, counts: perState };
}

/**
 * The services a body has cases of, for the queue's filter. A skip scan over
 * `cases_organisation_service` (one index probe per service) rather than a DISTINCT over every
 * case the body ever had, which grows with the years.
 */
export async function servicesWithCases(db: Db, organisationId: string): Promise<string[]> {
  const { rows } = await sql<{ service_id: string }>`
    with recursive found (service_id) as (
      (select service_id from cases where organisation_id = ${organisationId}
        order by service_id limit 1)
      union all
      select (select c.service_id from cases c
               where c.organisation_id = ${organisationId} and c.service_id > found.service_id
               order by c.service_id limit 1)
      from found where found.service_id is not null
    )
    select service_id from found where service_id is not null`.execute(db);
  return rows.map((r) => r.service_id);
}
