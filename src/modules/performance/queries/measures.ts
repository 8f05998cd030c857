import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database, Db } from '../../../platform/db/database.js';
import { ALL } from '../collect/rollups.js';
import { TRANSACTION_CHANNELS, type TransactionChannel } from '../db/tables.js';
import {
  completion,
  cost,
  satisfaction,
  takeUp,
  timeToDecision,
  type BodyVolumes,
  type ChannelCounts,
  type Completion,
  type Cost,
  type Satisfaction,
  type TakeUp,
  type TimeToDecision,
} from '../measures/measures.js';

/**
 * What a set of figures is about: a date range (London dates, both included) and, optionally,
 * only some services or bodies (an area is its bodies). Empty lists mean "all".
 */
export interface Scope {
  from: string;
  to: string;
  serviceIds?: readonly string[];
  organisationIds?: readonly string[];
}

/** Every measure for one scope, read from the daily roll-ups (never from the facts). */
export interface Measures {
  scope: Scope;
  takeUp: TakeUp;
  completion: Completion;
  timeToDecision: TimeToDecision;
  satisfaction: Satisfaction;
  cost: Cost;
  /** Transactions by month (or day, for a range of two months or less), by channel. */
  trend: TrendPoint[];
}

export interface TrendPoint {
  period: string;
  total: number;
  digital: number;
  takeUp: number | null;
}

type RollupTable =
  | 'performance_daily_transactions'
  | 'performance_daily_decisions'
  | 'performance_daily_journeys'
  | 'performance_daily_dropoff'
  | 'performance_daily_satisfaction';

/**
 * The roll-up rows of a table in scope, at the level that answers it with the fewest rows: the
 * services' own rows when services are chosen, the bodies' totals (service ALL) when bodies are,
 * the national totals otherwise.
 */
function inScope<T extends RollupTable>(db: Db, table: T, scope: Scope) {
  let query = db
    .selectFrom(table as RollupTable)
    .where('day', '>=', scope.from)
    .where('day', '<=', scope.to) as unknown as SelectQueryBuilder<Database, RollupTable, object>;
  if (scope.serviceIds?.length) {
    query = query.where('service_id', 'in', [...scope.serviceIds]);
    if (scope.organisationIds?.length)
      query = query.where('organisation_id', 'in', [...scope.organisationIds]);
    return query;
  }
  query = query.where('service_id', '=', ALL);
  return scope.organisationIds?.length
    ? query.where('organisation_id', 'in', [...scope.organisationIds])
    : query.where('organisation_id', '=', ALL);
}

/** The rows of each service (or, with `level: 'body'`, of each body's total) in scope. */
function byPart<T extends RollupTable>(db: Db, table: T, scope: Scope, level: 'service' | 'body') {
  let query = db
    .selectFrom(table as RollupTable)
    .where('day', '>=', scope.from)
    .where('day', '<=', scope.to) as unknown as SelectQueryBuilder<Database, RollupTable, object>;
  if (scope.serviceIds?.length) query = query.where('service_id', 'in', [...scope.serviceIds]);
  else query = query.where('service_id', level === 'service' ? '<>' : '=', ALL);
  query = query.where('organisation_id', '<>', ALL);
  if (scope.organisationIds?.length)
    query = query.where('organisation_id', 'in', [...scope.organisationIds]);
  return query;
}

/** Transactions by body and channel in scope. */
export async function volumesByBody(
  db: Db,
  scope: Scope,
): Promise<{ organisation_id: string; channel: TransactionChannel; transactions: number }[]> {
  const rows = await byPart(db, 'performance_daily_transactions', scope, 'body')
    .select(['organisation_id', 'channel', sql<number>`sum(transactions)::int`.as('transactions')])
    .groupBy(['organisation_id', 'channel'])
    .execute();
  return rows as { organisation_id: string; channel: TransactionChannel; transactions: number }[];
}

/** Transactions by service and channel in scope: the open data and the services table. */
export async function volumesByService(
  db: Db,
  scope: Scope,
): Promise<
  {
    service_id: string;
    organisation_id: string;
    channel: TransactionChannel;
    transactions: number;
  }[]
> {
  const rows = await byPart(db, 'performance_daily_transactions', scope, 'service')
    .select([
      'service_id',
      'organisation_id',
      'channel',
      sql<number>`sum(transactions)::int`.as('transactions'),
    ])
    .groupBy(['service_id', 'organisation_id', 'channel'])
    .execute();
  return rows as {
    service_id: string;
    organisation_id: string;
    channel: TransactionChannel;
    transactions: number;
  }[];
}

/** Each body's unit costs by channel, in pence. */
export async function unitCostsOf(
  db: Db,
  organisationIds: readonly string[],
): Promise<Map<string, ChannelCounts>> {
  const costs = new Map<string, ChannelCounts>();
  if (organisationIds.length === 0) return costs;
  const rows = await db
    .selectFrom('performance_unit_costs')
    .select(['organisation_id', 'channel', 'pence'])
    .where('organisation_id', 'in', [...organisationIds])
    .execute();
  for (const row of rows) {
    const body = costs.get(row.organisation_id) ?? {};
    body[row.channel] = row.pence;
    costs.set(row.organisation_id, body);
  }
  return costs;
}

/** The trend's period: months, or days when the range is two months or shorter. */
export function periodOf(scope: Scope): 'day' | 'month' {
  const days = (Date.parse(scope.to) - Date.parse(scope.from)) / 86_400_000;
  return days <= 62 ? 'day' : 'month';
}

/** Reads every measure of a scope from the roll-ups. */
export async function loadMeasures(db: Db, scope: Scope): Promise<Measures> {
  const volumes = await volumesByBody(db, scope);
  const counts: ChannelCounts = {};
  const bodies = new Map<string, ChannelCounts>();
  for (const row of volumes) {
    counts[row.channel] = (counts[row.channel] ?? 0) + row.transactions;
    const body = bodies.get(row.organisation_id) ?? {};
    body[row.channel] = (body[row.channel] ?? 0) + row.transactions;
    bodies.set(row.organisation_id, body);
  }
  const unitCosts = await unitCostsOf(db, [...bodies.keys()]);
  const costed: BodyVolumes[] = [...bodies].map(([organisationId, channelVolumes]) => ({
    organisationId,
    volumes: channelVolumes,
    unitCosts: unitCosts.get(organisationId) ?? {},
  }));

  const journeys = await inScope(db, 'performance_daily_journeys', scope)
    .select([
      sql<number>`coalesce(sum(started), 0)::int`.as('started'),
      sql<number>`coalesce(sum(completed), 0)::int`.as('completed'),
    ])
    .executeTakeFirstOrThrow();
  const dropoff = (await inScope(db, 'performance_daily_dropoff', scope)
    .select(['page', sql<number>`sum(journeys)::int`.as('journeys')])
    .groupBy('page')
    .execute()) as { page: string; journeys: number }[];
  const decisions = (await inScope(db, 'performance_daily_decisions', scope)
    .select([
      'hours',
      sql<number>`sum(decisions)::int`.as('decisions'),
      sql<number>`sum(with_deadline)::int`.as('with_deadline'),
      sql<number>`sum(within_deadline)::int`.as('within_deadline'),
    ])
    .groupBy('hours')
    .execute()) as {
    hours: number;
    decisions: number;
    with_deadline: number;
    within_deadline: number;
  }[];
  const ratings = (await inScope(db, 'performance_daily_satisfaction', scope)
    .select(['rating', sql<number>`sum(responses)::int`.as('responses')])
    .groupBy('rating')
    .execute()) as { rating: number; responses: number }[];

  return {
    scope,
    takeUp: takeUp(counts),
    completion: completion(journeys.started, journeys.completed, dropoff),
    timeToDecision: timeToDecision(decisions),
    satisfaction: satisfaction(ratings),
    cost: cost(costed),
    trend: await trend(db, scope),
  };
}

/** Transactions and digital take-up by period, for the line chart. */
async function trend(db: Db, scope: Scope): Promise<TrendPoint[]> {
  const period = periodOf(scope);
  const format = period === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM';
  const rows = (await inScope(db, 'performance_daily_transactions', scope)
    .select([
      sql<string>`to_char(day, ${sql.lit(format)})`.as('period'),
      sql<number>`sum(transactions)::int`.as('total'),
      sql<number>`(sum(transactions) filter (where channel in ('online', 'online-agent')))::int`.as(
        'digital',
      ),
    ])
    .groupBy(sql`to_char(day, ${sql.lit(format)})`)
    .orderBy(sql`to_char(day, ${sql.lit(format)})`)
    .execute()) as { period: string; total: number; digital: number | null }[];
  return rows.map((r) => ({
    period: r.period,
    total: r.total,
    digital: r.digital ?? 0,
    takeUp: r.total > 0 ? (r.digital ?? 0) / r.total : null,
  }));
}

export { TRANSACTION_CHANNELS };
