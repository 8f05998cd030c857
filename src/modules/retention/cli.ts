import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { RetentionRecordType } from '../../platform/http/types.js';
import { runRetention, type RunReport } from './commands/run.js';

/** What a command prints and its exit code (the shape `src/main/cli.ts` prints). */
export interface RetentionCommandResult {
  code: number;
  out: string[];
  err: string[];
}

/** The report as tab-separated lines: body, record type, action, count. */
export function reportLines(report: RunReport): string[] {
  const verb = report.dryRun ? 'would' : 'done';
  const lines = report.lines.map(
    (line) =>
      `${line.organisationSlug}\t${line.recordType}\t${line.action}\t${line.count}\t${verb}`,
  );
  const total = report.lines.reduce((sum, line) => sum + line.count, 0);
  lines.push(
    report.dryRun
      ? `Dry run as of ${report.asOf.toISOString()}: ${total} records would be deleted or anonymised; nothing was changed.`
      : `Run ${report.runId} as of ${report.asOf.toISOString()}: ${total} records deleted or anonymised.`,
  );
  return lines;
}

/**
 * `joinedup retention:run [--dry-run]`: runs retention now for every body (or, with
 * `--dry-run`, prints what it would do and changes nothing).
 */
export async function retentionRunCommand(
  db: Kysely<Database>,
  types: readonly RetentionRecordType[],
  args: string[],
  now = new Date(),
): Promise<RetentionCommandResult> {
  let dryRun: boolean;
  try {
    dryRun = !!parseArgs({ args, options: { 'dry-run': { type: 'boolean' } } }).values['dry-run'];
  } catch (error) {
    return { code: 64, out: [], err: [(error as Error).message] };
  }
  const report = await runRetention(db, types, {
    now,
    runKey: `cli:${now.toISOString()}`,
    dryRun,
    actor: { userId: null, organisationId: null, role: 'cli' },
  });
  return { code: 0, out: reportLines(report), err: [] };
}
