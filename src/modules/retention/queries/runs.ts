import type { Db } from '../../../platform/db/database.js';
import type { RetentionAction } from '../../../platform/http/types.js';

/** A run as the admin page shows it for one body: when, and what it did per record type. */
export interface RunSummary {
  id: string;
  runKey: string;
  startedAt: Date;
  finishedAt: Date | null;
  counts: { recordType: string; action: RetentionAction; count: number }[];
}

/** The latest runs (newest first) with this body's counts; a run that did nothing shows none. */
export async function recentRuns(
  db: Db,
  organisationId: string,
  limit = 10,
): Promise<RunSummary[]> {
  const runs = await db
    .selectFrom('retention_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  if (runs.length === 0) return [];
  const counts = await db
    .selectFrom('retention_run_counts')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where(
      'run_id',
      'in',
      runs.map((run) => run.id),
    )
    .orderBy('record_type')
    .execute();
  return runs.map((run) => ({
    id: run.id,
    runKey: run.run_key,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    counts: counts
      .filter((c) => c.run_id === run.id)
      .map((c) => ({ recordType: c.record_type, action: c.action, count: c.count })),
  }));
}
