import { sql, type ColumnType, type Generated, type Kysely, type Selectable } from 'kysely';
import type { Logger } from 'pino';
import type { Database, Db } from '../db/database.js';

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  idempotency_key: string;
  status: ColumnType<
    'pending' | 'done' | 'dead',
    'pending' | undefined,
    'pending' | 'done' | 'dead'
  >;
  attempts: Generated<number>;
  available_at: ColumnType<Date, Date | undefined, Date | ReturnType<typeof sql>>;
  locked_until: ColumnType<Date | null, never, Date | null | ReturnType<typeof sql>>;
  last_error: string | null;
  created_at: Generated<Date>;
  processed_at: ColumnType<Date | null, never, Date | null | ReturnType<typeof sql>>;
}

declare module '../db/database.js' {
  interface Database {
    outbox: OutboxTable;
  }
}

export type OutboxMessage = Selectable<OutboxTable>;

/** Context a handler gets: the key to send with any delivery so a receiver can drop repeats. */
export interface DeliveryContext {
  db: Kysely<Database>;
  idempotencyKey: string;
  attempt: number;
  logger: Logger;
}

/**
 * Thrown by a handler when trying again cannot help (a webhook address Joinedup refuses to send
 * to): the message is dead at once, with its `onDead` hook called, instead of being retried.
 * A platform admin can still retry it from /admin/outbox once the cause is fixed.
 */
export class PermanentFailure extends Error {}

/** Handles one topic. It must be idempotent: after a crash the same message may come again. */
export type OutboxHandler = ((
  payload: Record<string, unknown>,
  context: DeliveryContext,
) => Promise<void>) & {
  /**
   * Retry until the message is this old (ms since it was enqueued) instead of for
   * OUTBOX_MAX_ATTEMPTS: a webhook to a body's system is retried for 72 hours.
   */
  maxAgeMs?: number;
  /**
   * Called when the message is about to die, before it is marked dead (e.g. to alert someone),
   * with the error of its last attempt. Must be idempotent; if it throws, the message stays
   * pending and is tried again.
   */
  onDead?: (
    payload: Record<string, unknown>,
    context: DeliveryContext & { error?: unknown },
  ) => Promise<void>;
};

/**
 * Writes a message to the outbox in the caller's transaction, so it exists if and only if the
 * change it announces was committed. A repeated idempotency key is ignored (while the message
 * is kept: a handled one is pruned after OUTBOX_KEEP_DONE_DAYS). With `availableAt` the worker
 * leaves the message until then (it claims only messages whose time has come).
 *
 * @example await enqueue(trx, { topic: 'submission.submitted', payload: { submissionId }, idempotencyKey: `submission.submitted:${id}` });
 */
export async function enqueue(
  db: Db,
  message: {
    topic: string;
    payload: Record<string, unknown>;
    idempotencyKey: string;
    /** Not before this instant (a reminder's due time); now when absent. */
    availableAt?: Date;
  },
): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      topic: message.topic,
      payload: JSON.stringify(message.payload),
      idempotency_key: message.idempotencyKey,
      ...(message.availableAt ? { available_at: message.availableAt } : {}),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

/** Exponential backoff with full jitter: attempt 1 waits up to base, then 2×, 4× … capped at an hour. */
export function backoffMs(attempt: number, baseMs: number, random = Math.random): number {
  const ceiling = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface OutboxWorkerOptions {
  pollMs: number;
  maxAttempts: number;
  /** How long a claimed message stays invisible to other workers while one handles it. */
  leaseMs?: number;
  backoffBaseMs?: number;
  batchSize?: number;
  /**
   * How many messages of a claimed batch are handled at once (default 4; 1 handles them one
   * after another in id order). Each message is still handled once per claim and marked done or
   * failed on its own. Safe on PGlite too: its one connection is queued (PGlitePool), handlers
   * use `db` between transactions, never inside one, so they wait for each other, never deadlock.
   */
  concurrency?: number;
  /**
   * How long a handled message is kept before the worker prunes it (its idempotency key turns a
   * repeat away only while it is kept). Absent: handled messages are never pruned.
   */
  keepDoneMs?: number;
}

/** Messages of a claimed batch handled at once when the options do not say. */
export const OUTBOX_CONCURRENCY = 4;

/** How often a worker prunes handled messages (each node on its own; it is safe at once). */
export const PRUNE_EVERY_MS = 3_600_000;

/**
 * Deletes messages handled more than `keepMs` ago, oldest first, in batches of `batchSize` (rows
 * another node is deleting are skipped, not waited for), at most `maxBatches` of them, so one
 * pass over a large backlog stays short. Returns how many went and whether more are due.
 */
export async function pruneDoneMessages(
  db: Db,
  keepMs: number,
  { batchSize = 1_000, maxBatches = 10 } = {},
): Promise<{ pruned: number; more: boolean }> {
  let pruned = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await sql<{ id: string }>`
      delete from outbox where id in (
        select id from outbox
        where status = 'done' and processed_at < now() - ${`${keepMs} milliseconds`}::interval
        order by processed_at
        limit ${batchSize}
        for update skip locked)
      returning id`.execute(db);
    pruned += result.rows.length;
    if (result.rows.length < batchSize) return { pruned, more: false };
  }
  return { pruned, more: true };
}

/**
 * Drains the outbox. Each node may run one; claims use FOR UPDATE SKIP LOCKED and a lease, so
 * nodes never handle the same message at once, and a message a dead node had claimed is
 * handled again once its lease runs out.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Not polling (never started, or stopped); wake() does nothing then. */
  private stopped = true;
  /** stop() was called: a drain in progress ends after its current batch. */
  private stopRequested = false;
  private wakeRequested = false;
  /** When this worker last pruned handled messages (0: not yet). */
  private prunedAt = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly handlers: ReadonlyMap<string, OutboxHandler>,
    private readonly logger: Logger,
    private readonly options: OutboxWorkerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.stopRequested = false;
    this.schedule(0);
  }

  /** Ask for a pass now, e.g. just after a request committed a message. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .then(() => this.pruneIfDue())
        .catch((error: unknown) => this.logger.error({ err: error }, 'outbox pass failed'))
        .finally(() => {
          this.running = undefined;
          if (this.stopped) return;
          const again = this.wakeRequested;
          this.wakeRequested = false;
          this.schedule(again ? 0 : this.options.pollMs);
        });
    }, delay);
  }

  /**
   * Prunes handled messages past their keeping, once every PRUNE_EVERY_MS; while a backlog is
   * left, again at the next pass, so draining goes on between its parts.
   */
  private async pruneIfDue(): Promise<void> {
    if (this.options.keepDoneMs === undefined || this.stopRequested) return;
    if (Date.now() - this.prunedAt < PRUNE_EVERY_MS) return;
    const { pruned, more } = await pruneDoneMessages(this.db, this.options.keepDoneMs);
    this.prunedAt = more ? 0 : Date.now();
    if (pruned > 0) this.logger.info({ pruned, more }, 'outbox: handled messages pruned');
  }

  /** Handles every message now due; returns how many were handled (successfully or not). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await this.claim();
      if (batch.length === 0) return total;
      await this.handleAll(batch);
      total += batch.length;
      if (this.stopRequested) return total;
    }
  }

  /**
   * Handles a claimed batch, a few messages at a time, in id order as each slot frees. Waits for
   * every message even if one throws (a failure to record an outcome), so none is left in
   * flight when drain() returns, then rethrows the first error.
   */
  private async handleAll(batch: OutboxMessage[]): Promise<void> {
    let next = 0;
    const slots = Math.max(
      1,
      Math.min(this.options.concurrency ?? OUTBOX_CONCURRENCY, batch.length),
    );
    const results = await Promise.allSettled(
      Array.from({ length: slots }, async () => {
        while (next < batch.length) await this.handle(batch[next++]!);
      }),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async claim(): Promise<OutboxMessage[]> {
    const leaseMs = this.options.leaseMs ?? 60_000;
    return this.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('available_at', '<=', sql<Date>`now()`)
        .where((eb) =>
          eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]),
        )
        .orderBy('id')
        .limit(this.options.batchSize ?? 20)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return [];
      return trx
        .updateTable('outbox')
        .set({
          locked_until: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
          attempts: sql`attempts + 1`,
        })
        .where(
          'id',
          'in',
          due.map((row) => row.id),
        )
        .returningAll()
        .execute();
    });
  }

  private async handle(message: OutboxMessage): Promise<void> {
    const handler = this.handlers.get(message.topic);
    const log = this.logger.child({
      outboxId: message.id,
      topic: message.topic,
      attempt: message.attempts,
    });
    try {
      if (!handler) throw new Error(`No handler for topic ${message.topic}`);
      await handler(message.payload, {
        db: this.db,
        idempotencyKey: message.idempotency_key,
        attempt: message.attempts,
        logger: log,
      });
      await this.db
        .updateTable('outbox')
        .set({ status: 'done', processed_at: sql`now()`, locked_until: null, last_error: null })
        .where('id', '=', message.id)
        .execute();
      log.info('outbox message delivered');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      let dead =
        error instanceof PermanentFailure ||
        (handler?.maxAgeMs !== undefined
          ? Date.now() - new Date(message.created_at).getTime() >= handler.maxAgeMs
          : message.attempts >= this.options.maxAttempts);
      if (dead && handler?.onDead) {
        try {
          await handler.onDead(message.payload, {
            db: this.db,
            idempotencyKey: message.idempotency_key,
            attempt: message.attempts,
            logger: log,
            error,
          });
        } catch (deadError) {
          dead = false;
          log.error(
            { err: deadError },
            'outbox dead-letter hook failed; the message stays pending',
          );
        }
      }
      const wait = backoffMs(message.attempts, this.options.backoffBaseMs ?? 1000);
      await this.db
        .updateTable('outbox')
        .set({
          status: dead ? 'dead' : 'pending',
          last_error: reason.slice(0, 2000),
          locked_until: null,
          available_at: sql`now() + ${`${wait} milliseconds`}::interval`,
        })
        .where('id', '=', message.id)
        .execute();
      log[dead ? 'error' : 'warn']({ err: error, dead }, 'outbox message failed');
    }
  }
}

/** Dead letters and pending counts, for the admin page and /metrics. */
export async function outboxSummary(
  db: Db,
): Promise<{ pending: number; dead: number; done: number }> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.count ?? 0);
  return { pending: count('pending'), dead: count('dead'), done: count('done') };
}

export async function listDeadLetters(db: Db, limit = 100): Promise<OutboxMessage[]> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'dead')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Puts a dead letter back in the queue for a fresh set of attempts. */
export async function retryDeadLetter(db: Db, id: number): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, available_at: sql`now()`, locked_until: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * How the outbox is keeping up, for /metrics: how long the oldest due message has waited (0 when
 * none is due), and by topic the messages being retried after a failure and the dead ones.
 */
export async function outboxHealth(db: Db): Promise<{
  oldestDueSeconds: number;
  failing: { topic: string; retrying: number; dead: number }[];
}> {
  const oldest = await db
    .selectFrom('outbox')
    .select(
      sql<number>`coalesce(extract(epoch from now() - min(available_at)), 0)::float8`.as('age'),
    )
    .where('status', '=', 'pending')
    .where('available_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  const failing = await db
    .selectFrom('outbox')
    .select([
      'topic',
      sql<number>`(count(*) filter (where status = 'pending'))::int`.as('retrying'),
      sql<number>`(count(*) filter (where status = 'dead'))::int`.as('dead'),
    ])
    .where((eb) =>
      eb.or([
        eb('status', '=', 'dead'),
        eb.and([eb('status', '=', 'pending'), eb('last_error', 'is not', null)]),
      ]),
    )
    .groupBy('topic')
    .execute();
  return { oldestDueSeconds: Math.max(0, Number(oldest?.age ?? 0)), failing };
}
