/**
 * The nightly retention job as outbox messages that schedule their own next run, as casework's
 * deadline jobs do: each night's run is one message whose idempotency key names its date, so any
 * number of nodes may schedule it and the outbox keeps one; the outbox's lease stops two nodes
 * handling it at once, and a run that failed half-way is tried again and finishes the rest.
 */
import type { Db } from '../../platform/db/database.js';
import type { AppContext } from '../../platform/http/types.js';
import { enqueue, type OutboxHandler } from '../../platform/outbox/outbox.js';
import { addDays, londonDate, londonTime } from '../../platform/time/london.js';
import { runRetention } from './commands/run.js';

/** Runs one night's retention; payload `{ date }` (YYYY-MM-DD, London). */
export const NIGHTLY_TOPIC = 'retention.nightly';
/** Hour (London time) the nightly run starts, when the platform is quiet. */
export const NIGHTLY_HOUR = 2;

/** The date of the next nightly run not yet due at `now`: tonight's, or tomorrow's once 2am passed. */
export function nextNightlyDate(now: Date): string {
  const today = londonDate(now);
  return now.getTime() < londonTime(today, NIGHTLY_HOUR).getTime() ? today : addDays(today, 1);
}

async function queueNightly(db: Db, date: string): Promise<void> {
  await enqueue(db, {
    topic: NIGHTLY_TOPIC,
    payload: { date },
    idempotencyKey: `${NIGHTLY_TOPIC}:${date}`,
    availableAt: londonTime(date, NIGHTLY_HOUR),
  });
}

/** Queues the next nightly run unless already queued (or done); safe from every node at once. */
export async function startRetentionJob(db: Db, now = new Date()): Promise<void> {
  await queueNightly(db, nextNightlyDate(now));
}

/**
 * The nightly run's handler: it queues the next night's first, so a failing run still has a
 * successor, then runs (or resumes) the run named after its date.
 */
export function nightlyHandler(context: AppContext, clock = () => new Date()): OutboxHandler {
  return async (payload, delivery) => {
    const now = clock();
    await queueNightly(delivery.db, nextNightlyDate(now));
    const date = String(payload.date);
    const report = await runRetention(delivery.db, context.retentionRecordTypes(), {
      now,
      runKey: `nightly:${date}`,
    });
    delivery.logger.info({ date, runId: report.runId, lines: report.lines }, 'retention run done');
  };
}
