import { parseArgs } from 'node:util';
import type { Db } from '../../../platform/db/database.js';
import { isIsoDate, londonTime } from '../../../platform/time/london.js';
import { changeIdsSince } from '../../sharing/index.js';
import { submissionIdsSince } from '../../submissions/index.js';
import { measureChange } from '../collect/sharing.js';
import { measureSubmission } from '../collect/transactions.js';

/** How many ids are read at a time: each is then measured in its own short transaction. */
const PAGE = 500;

/** What a back-fill measured. */
export interface BackfillReport {
  submissions: number;
  changes: number;
}

/**
 * Records the facts of what happened before the performance module was installed (or while its
 * messages were lost): every submission — sent, released after its fee, decided — and every
 * change of circumstances told, since `since` (everything without it). It measures each one the
 * way the outbox handlers do, reading it as it stands, so running it again changes nothing and a
 * fact already kept is not counted twice.
 *
 * @example await backfillPerformance(db, { since: londonTime('2026-01-01', 0) });
 */
export async function backfillPerformance(
  db: Db,
  options: { since: Date | null },
): Promise<BackfillReport> {
  const report: BackfillReport = { submissions: 0, changes: 0 };
  report.submissions = await walk(
    (after) => submissionIdsSince(db, { since: options.since, after, limit: PAGE }),
    (id) => db.transaction().execute((trx) => measureSubmission(trx, id)),
  );
  report.changes = await walk(
    (after) => changeIdsSince(db, { since: options.since, after, limit: PAGE }),
    (id) => db.transaction().execute((trx) => measureChange(trx, id)),
  );
  return report;
}

/** Measures every id of a paged list, page after page; returns how many. */
async function walk(
  pageAfter: (after: string | null) => Promise<string[]>,
  measure: (id: string) => Promise<void>,
): Promise<number> {
  let after: string | null = null;
  let measured = 0;
  for (;;) {
    const ids = await pageAfter(after);
    for (const id of ids) await measure(id);
    measured += ids.length;
    if (ids.length < PAGE) return measured;
    after = ids[ids.length - 1]!;
  }
}

/** What a command prints and its exit code. */
export interface BackfillCommandResult {
  code: number;
  out: string[];
  err: string[];
}

/**
 * `joinedup performance:backfill [--since YYYY-MM-DD]`: the back-fill from the command line. A
 * bad date is refused before anything is read (exit 64).
 */
export async function performanceBackfillCommand(
  db: Db,
  args: string[],
): Promise<BackfillCommandResult> {
  let since: string | undefined;
  try {
    since = parseArgs({ args, options: { since: { type: 'string' } } }).values.since;
  } catch (error) {
    return { code: 64, out: [], err: [(error as Error).message] };
  }
  if (since !== undefined && !isIsoDate(since))
    return { code: 64, out: [], err: [`--since must be a date written YYYY-MM-DD, not ${since}`] };
  const report = await backfillPerformance(db, { since: since ? londonTime(since, 0) : null });
  return {
    code: 0,
    out: [
      `Measured${since ? ` since ${since}` : ''}: submissions ${report.submissions}, changes of circumstances ${report.changes}`,
    ],
    err: [],
  };
}
