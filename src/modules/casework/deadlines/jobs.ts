/**
 * The deadline jobs as outbox messages that schedule their own next run. No cron and no leader
 * election: each run is a message whose idempotency key names its slot (the sweep) or day (the
 * digest), so any number of nodes may schedule the same run and the outbox keeps one. Every
 * sweep also makes sure the next digest is queued, so neither chain can stay broken for long.
 */
import type { Db } from '../../../platform/db/database.js';
import type { AppContext } from '../../../platform/http/types.js';
import type { Locale, Translate } from '../../../platform/i18n/i18n.js';
import { enqueue, type OutboxHandler } from '../../../platform/outbox/outbox.js';
import { londonDate } from '../../../platform/time/london.js';
import { sendDigest } from './digest.js';
import { escalateOverdue } from './escalate.js';
import { bothLanguages } from './words.js';
import { digestTime, nextDigestDate, nextSweepSlot, sweepSlot } from './schedule.js';

/** Escalates overdue cases; payload `{ slot }` (ISO instant of its five-minute slot). */
export const SWEEP_TOPIC = 'casework.deadlines.sweep';
/** E-mails team leaders their body's overdue work; payload `{ date }` (YYYY-MM-DD, London). */
export const DIGEST_TOPIC = 'casework.deadlines.digest';

async function queueSweep(db: Db, slot: Date): Promise<void> {
  const iso = slot.toISOString();
  await enqueue(db, {
    topic: SWEEP_TOPIC,
    payload: { slot: iso },
    idempotencyKey: `${SWEEP_TOPIC}:${iso}`,
    availableAt: slot,
  });
}

async function queueDigest(db: Db, date: string): Promise<void> {
  await enqueue(db, {
    topic: DIGEST_TOPIC,
    payload: { date },
    idempotencyKey: `${DIGEST_TOPIC}:${date}`,
    availableAt: digestTime(date),
  });
}

/**
 * Queues the sweep of the current slot and the next digest, unless already queued (or done).
 * Called when a node with an outbox worker starts; safe from every node at once.
 */
export async function startDeadlineJobs(db: Db, now = new Date()): Promise<void> {
  await queueSweep(db, sweepSlot(now));
  await queueDigest(db, nextDigestDate(now));
}

/**
 * Queues the runs after `now`: the next slot's sweep and the next digest. From the clock, not
 * from the message being handled, so a worker back after a long stop does not replay every
 * missed slot.
 */
async function scheduleNext(db: Db, now: Date): Promise<void> {
  await queueSweep(db, nextSweepSlot(now));
  await queueDigest(db, nextDigestDate(now));
}

/** The sweep's handler: schedule the next run first, so a failing sweep still has successors. */
export function sweepHandler(
  config: AppContext['config'],
  languages: () => Promise<Record<Locale, Translate>>,
): OutboxHandler {
  return async (_payload, context) => {
    const now = new Date();
    await scheduleNext(context.db, now);
    const escalated = await escalateOverdue(context.db, config, await languages(), now);
    if (escalated > 0) context.logger.info({ escalated }, 'overdue cases escalated');
  };
}

/**
 * The digest's handler. A digest found late on its own day still goes; one found on a later day
 * (the worker was down) is dropped, since that day's own digest says the same, up to date.
 */
export function digestHandler(
  config: AppContext['config'],
  languages: () => Promise<Record<Locale, Translate>>,
): OutboxHandler {
  return async (payload, context) => {
    const now = new Date();
    await scheduleNext(context.db, now);
    const date = String(payload.date);
    if (date !== londonDate(now)) {
      context.logger.warn({ date }, 'overdue digest of a past day dropped');
      return;
    }
    const queued = await sendDigest(context.db, config, await languages(), date, now);
    context.logger.info({ date, queued }, 'overdue digest queued');
  };
}

/**
 * The deadline topics' handlers, for casework's manifest (`outboxHandlers`).
 *
 * @example outboxHandlers: (context) => ({ ...deadlineHandlers(context) })
 */
export function deadlineHandlers(context: AppContext): Record<string, OutboxHandler> {
  let loading: Promise<Record<Locale, Translate>> | undefined;
  const languages = () => (loading ??= bothLanguages());
  return {
    [SWEEP_TOPIC]: sweepHandler(context.config, languages),
    [DIGEST_TOPIC]: digestHandler(context.config, languages),
  };
}
