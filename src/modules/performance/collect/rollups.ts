import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import { londonDate } from '../../../platform/time/london.js';
import type { JourneyFact, TransactionFact } from '../db/tables.js';
import { hoursBetween } from './channel.js';

/**
 * The service and body ids of the roll-up rows that add up every service of a body (service
 * ALL), and every body (service and body ALL): each fact is counted at the three levels, so a
 * national or a body's dashboard reads a few rows a day, not one per service.
 */
export const ALL = '00000000-0000-0000-0000-000000000000';

/**
 * Where a decision's hours are counted: exact in its first day, then by whole days for two
 * weeks, by weeks to thirteen weeks, then by four weeks (the start of each, in hours), so the
 * histogram stays small whatever the spread of times.
 *
 * @example decisionBucket(58) // 48
 */
export function decisionBucket(hours: number): number {
  if (hours < 24) return hours;
  const days = Math.floor(hours / 24);
  if (days < 14) return days * 24;
  const weeks = Math.floor(days / 7);
  if (weeks < 13) return weeks * 168;
  return Math.floor(days / 28) * 672;
}

/** One roll-up row's counts to add (or take away): its table, its key columns and the counts. */
export interface RollupDelta {
  table:
    | 'performance_daily_transactions'
    | 'performance_daily_decisions'
    | 'performance_daily_journeys'
    | 'performance_daily_dropoff'
    | 'performance_daily_satisfaction';
  key: Record<string, string | number>;
  counts: Record<string, number>;
}

type TransactionShape = Pick<
  TransactionFact,
  'service_id' | 'organisation_id' | 'channel' | 'submitted_at' | 'decided_at' | 'due_at'
>;

/** What one transaction adds to the roll-ups: its day's count, and its decision's hours. */
export function transactionDeltas(fact: TransactionShape): RollupDelta[] {
  const who = { service_id: fact.service_id, organisation_id: fact.organisation_id };
  const deltas: RollupDelta[] = [
    {
      table: 'performance_daily_transactions',
      key: { day: londonDate(fact.submitted_at), ...who, channel: fact.channel },
      counts: { transactions: 1 },
    },
  ];
  if (fact.decided_at) {
    const withDeadline = fact.due_at ? 1 : 0;
    const within = fact.due_at && fact.decided_at.getTime() <= fact.due_at.getTime() ? 1 : 0;
    deltas.push({
      table: 'performance_daily_decisions',
      key: {
        day: londonDate(fact.decided_at),
        ...who,
        hours: decisionBucket(hoursBetween(fact.submitted_at, fact.decided_at)),
      },
      counts: { decisions: 1, with_deadline: withDeadline, within_deadline: within },
    });
  }
  return deltas;
}

type JourneyShape = Pick<
  JourneyFact,
  'service_id' | 'organisation_id' | 'started_at' | 'last_page' | 'completed_at'
>;

/** What one journey adds: a start on the day it began, its completion, or the page it stopped on. */
export function journeyDeltas(journey: JourneyShape): RollupDelta[] {
  const key = {
    day: londonDate(journey.started_at),
    service_id: journey.service_id,
    organisation_id: journey.organisation_id,
  };
  const completed = journey.completed_at ? 1 : 0;
  const deltas: RollupDelta[] = [
    { table: 'performance_daily_journeys', key, counts: { started: 1, completed } },
  ];
  if (!completed)
    deltas.push({
      table: 'performance_daily_dropoff',
      key: { ...key, page: journey.last_page },
      counts: { journeys: 1 },
    });
  return deltas;
}

/**
 * Adds the deltas to their roll-up rows (or takes them away with sign -1), creating rows as
 * needed, in the caller's transaction: a fact and its roll-ups change together.
 */
export async function applyDeltas(trx: Db, deltas: RollupDelta[], sign: 1 | -1): Promise<void> {
  for (const { table, key, counts } of deltas.flatMap(atEveryLevel)) {
    const keyColumns = Object.keys(key);
    const countColumns = Object.keys(counts);
    const columns = [...keyColumns, ...countColumns];
    const values = [
      ...keyColumns.map((c) => key[c]),
      ...countColumns.map((c) => sign * counts[c]!),
    ];
    await sql`
      insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      values (${sql.join(values)})
      on conflict (${sql.join(keyColumns.map((c) => sql.ref(c)))}) do update set ${sql.join(
        countColumns.map(
          (c) => sql`${sql.ref(c)} = ${sql.table(table)}.${sql.ref(c)} + excluded.${sql.ref(c)}`,
        ),
      )}`.execute(trx);
  }
}

/** A delta for one service, and the same for all the body's services and for every body. */
function atEveryLevel(delta: RollupDelta): RollupDelta[] {
  return [
    delta,
    { ...delta, key: { ...delta.key, service_id: ALL } },
    { ...delta, key: { ...delta.key, service_id: ALL, organisation_id: ALL } },
  ];
}

/** Moves a fact's contribution from its old shape to its new one (either may be absent). */
export async function replaceContribution(
  trx: Db,
  before: RollupDelta[],
  after: RollupDelta[],
): Promise<void> {
  await applyDeltas(trx, before, -1);
  await applyDeltas(trx, after, 1);
}

/** Holds a transaction-wide lock on one key, so a journey and its submission are joined once. */
export async function lockKey(trx: Db, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`performance:${key}`}))`.execute(trx);
}
