/**
 * The retention job: for every body and every record type, the records whose period is over are
 * deleted or anonymised, a batch per transaction. Each batch finds its records with their rows
 * locked (skipping rows another worker holds), disposes of them, adds to the run's counts and
 * writes one audit entry — all in one transaction — so a crash loses at most the batch in hand,
 * a run resumed with the same key finishes the rest without counting anything twice, and two
 * workers running at once never handle the same record.
 */
import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Database } from '../../../platform/db/database.js';
import type {
  RetentionAction,
  RetentionQuery,
  RetentionRecordType,
} from '../../../platform/http/types.js';
import { listOrganisations, type OrganisationRow } from '../../organisations/index.js';
import { heldSet, type HeldSet } from '../queries/holds.js';
import { effectivePolicies, monthsBefore } from '../queries/policies.js';

/** Records disposed of in one transaction. */
export const RETENTION_BATCH_SIZE = 200;
/** A dry run counts up to this many due records per body and record type. */
export const DRY_RUN_LIMIT = 100_000;
/** The audit action of one batch. */
export const BATCH_AUDIT_ACTION = 'retention.batch';

export interface RunOptions {
  /** The time now: holds are checked against it, and a new run's periods end at it. */
  now: Date;
  /** Names the run: the same key resumes the same run (`nightly:2026-11-26`, `cli:…`). */
  runKey: string;
  dryRun?: boolean;
  batchSize?: number;
  /** Who runs it, for the audit log: the platform (the nightly job) unless told. */
  actor?: Actor;
}

/** One line of a run's report: what was (or would be) done to one body's records of one type. */
export interface ReportLine {
  organisationId: string;
  organisationSlug: string;
  recordType: string;
  action: RetentionAction;
  count: number;
}

export interface RunReport {
  /** Null for a dry run, which writes nothing. */
  runId: string | null;
  asOf: Date;
  dryRun: boolean;
  lines: ReportLine[];
}

const PLATFORM: Actor = { userId: null, organisationId: null, role: 'platform' };

/**
 * Runs (or resumes) the run named `runKey`; with `dryRun`, only counts what is due. Returns the
 * counts of this call (a resumed run's report shows what the resumption did; the admin page
 * shows the run's totals).
 *
 * @example await runRetention(db, context.retentionRecordTypes(), { now: new Date(), runKey: 'nightly:2026-11-26' });
 */
export async function runRetention(
  db: Kysely<Database>,
  types: readonly RetentionRecordType[],
  options: RunOptions,
): Promise<RunReport> {
  const dryRun = options.dryRun ?? false;
  const run = dryRun ? null : await openRun(db, options.runKey, options.now);
  const asOf = run?.as_of ?? options.now;
  const lines: ReportLine[] = [];
  for (const organisation of await listOrganisations(db)) {
    for (const policy of await effectivePolicies(db, organisation.id, types)) {
      const cutoff = monthsBefore(asOf, policy.periodMonths);
      const count = run
        ? await disposeDue(
            db,
            run.id,
            organisation,
            policy.recordType,
            policy.action,
            cutoff,
            options,
          )
        : await countDue(db, organisation, policy.recordType, policy.action, cutoff, options.now);
      if (count > 0)
        lines.push({
          organisationId: organisation.id,
          organisationSlug: organisation.slug,
          recordType: policy.recordType.key,
          action: policy.action,
          count,
        });
    }
  }
  if (run)
    await db
      .updateTable('retention_runs')
      .set({ finished_at: options.now })
      .where('id', '=', run.id)
      .execute();
  return { runId: run?.id ?? null, asOf, dryRun, lines };
}

async function openRun(db: Kysely<Database>, runKey: string, now: Date) {
  await db
    .insertInto('retention_runs')
    .values({ run_key: runKey, as_of: now, started_at: now })
    .onConflict((oc) => oc.column('run_key').doNothing())
    .execute();
  return db
    .selectFrom('retention_runs')
    .selectAll()
    .where('run_key', '=', runKey)
    .executeTakeFirstOrThrow();
}

async function countDue(
  db: Kysely<Database>,
  organisation: OrganisationRow,
  type: RetentionRecordType,
  action: RetentionAction,
  cutoff: Date,
  now: Date,
): Promise<number> {
  // In a transaction rolled back at once, so the rows findDue locks are let go and nothing changes.
  return db
    .transaction()
    .execute(async (trx) => {
      const held = await heldSet(trx, organisation.id, now);
      const due = await type.findDue(
        trx,
        dueQuery(organisation.id, type, action, cutoff, DRY_RUN_LIMIT, held),
      );
      throw new DryRunCount(due.length);
    })
    .catch((error: unknown) => {
      if (error instanceof DryRunCount) return error.count;
      throw error;
    });
}

/** What `findDue` is asked for: the body's due records of the type, leaving out what is held. */
function dueQuery(
  organisationId: string,
  type: RetentionRecordType,
  action: RetentionAction,
  cutoff: Date,
  limit: number,
  held: HeldSet,
): RetentionQuery {
  return {
    organisationId,
    action,
    cutoff,
    limit,
    heldPersonIds: held.personIds,
    heldPersonEmails: held.personEmails,
    heldPersonPhones: held.personPhones,
    heldRecordIds: held.recordIds.get(type.key) ?? [],
    heldReferences: held.references,
  };
}

class DryRunCount extends Error {
  constructor(readonly count: number) {
    super('dry run');
  }
}

async function disposeDue(
  db: Kysely<Database>,
  runId: string,
  organisation: OrganisationRow,
  type: RetentionRecordType,
  action: RetentionAction,
  cutoff: Date,
  options: RunOptions,
): Promise<number> {
  const limit = options.batchSize ?? RETENTION_BATCH_SIZE;
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      // Read in the batch's transaction, so a hold placed since the last batch is obeyed.
      const held = await heldSet(trx, organisation.id, options.now);
      const due = await type.findDue(
        trx,
        dueQuery(organisation.id, type, action, cutoff, limit, held),
      );
      if (due.length === 0) return { found: 0, changed: 0 };
      const ids = due.map((record) => record.id);
      const changed = await type.dispose(trx, action, ids, options.now);
      if (changed > 0) {
        await trx
          .insertInto('retention_run_counts')
          .values({
            run_id: runId,
            organisation_id: organisation.id,
            record_type: type.key,
            action,
            count: changed,
          })
          .onConflict((oc) =>
            oc
              .columns(['run_id', 'organisation_id', 'record_type', 'action'])
              .doUpdateSet({ count: sql`retention_run_counts.count + excluded.count` }),
          )
          .execute();
        await recordAudit(trx, options.actor ?? PLATFORM, {
          action: BATCH_AUDIT_ACTION,
          resourceType: 'retention-run',
          resourceId: runId,
          subjectUserId: null,
          details: {
            organisationId: organisation.id,
            recordType: type.key,
            action,
            count: changed,
            cutoff: cutoff.toISOString(),
            recordIds: ids,
          },
        });
      }
      return { found: due.length, changed };
    });
    total += done.changed;
    // A short batch was the last; a batch that changed nothing would loop for ever.
    if (done.found < limit || done.changed === 0) return total;
  }
}
