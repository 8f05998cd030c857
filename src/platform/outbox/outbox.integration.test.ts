import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { pino } from 'pino';
import { freshDatabase } from '../../../test/helpers/database.js';
import type { DatabaseHandle } from '../db/connect.js';
import {
  backoffMs,
  enqueue,
  listDeadLetters,
  OutboxWorker,
  outboxSummary,
  pruneDoneMessages,
  retryDeadLetter,
  type OutboxHandler,
} from './outbox.js';

const silent = pino({ level: 'silent' });
let database: DatabaseHandle;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database?.close();
});

function worker(handlers: Record<string, OutboxHandler>, maxAttempts = 3) {
  return new OutboxWorker(database.db, new Map(Object.entries(handlers)), silent, {
    pollMs: 50,
    maxAttempts,
    backoffBaseMs: 1,
  });
}

const waitForBackoff = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the transactional outbox', () => {
  it('writes a message only if the transaction that announces it commits', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await enqueue(trx, { topic: 'test.rollback', payload: {}, idempotencyKey: 'rollback-1' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const found = await database.db
      .selectFrom('outbox')
      .select('id')
      .where('idempotency_key', '=', 'rollback-1')
      .execute();
    expect(found).toHaveLength(0);
  });

  it('ignores a second message with the same idempotency key', async () => {
    await enqueue(database.db, { topic: 'test.once', payload: { n: 1 }, idempotencyKey: 'once-1' });
    await enqueue(database.db, { topic: 'test.once', payload: { n: 2 }, idempotencyKey: 'once-1' });
    const seen: unknown[] = [];
    await worker({
      'test.once': async (payload, context) => void seen.push([payload, context.idempotencyKey]),
    }).drain();
    expect(seen).toEqual([[{ n: 1 }, 'once-1']]);
  });

  it('retries a failing delivery with backoff, then keeps it as a dead letter an admin can retry', async () => {
    let calls = 0;
    let healthy = false;
    const flaky = worker({
      'test.flaky': async () => {
        calls++;
        if (!healthy) throw new Error('receiver is down');
      },
    });
    await enqueue(database.db, { topic: 'test.flaky', payload: {}, idempotencyKey: 'flaky-1' });
    for (let i = 0; i < 3; i++) {
      await flaky.drain();
      await waitForBackoff();
    }
    expect(calls).toBe(3);
    const dead = await listDeadLetters(database.db);
    expect(dead.map((m) => [m.idempotency_key, m.attempts, m.last_error])).toEqual([
      ['flaky-1', 3, 'receiver is down'],
    ]);
    expect((await outboxSummary(database.db)).dead).toBe(1);

    await flaky.drain();
    expect(calls).toBe(3); // dead letters are left alone

    healthy = true;
    expect(await retryDeadLetter(database.db, dead[0]!.id)).toBe(true);
    await flaky.drain();
    expect(calls).toBe(4);
    expect(await listDeadLetters(database.db)).toEqual([]);
  });

  it('hands each message to one worker only, even with several draining at once', async () => {
    for (let i = 0; i < 40; i++)
      await enqueue(database.db, {
        topic: 'test.count',
        payload: { i },
        idempotencyKey: `count-${i}`,
      });
    const handled: number[] = [];
    const handler: OutboxHandler = async (payload) => {
      handled.push(Number(payload.i));
      await new Promise((resolve) => setTimeout(resolve, 1));
    };
    await Promise.all([
      worker({ 'test.count': handler }).drain(),
      worker({ 'test.count': handler }).drain(),
      worker({ 'test.count': handler }).drain(),
    ]);
    expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('handles a claimed batch a few messages at a time, each once, and one failing leaves the others done', async () => {
    for (let i = 0; i < 12; i++)
      await enqueue(database.db, {
        topic: 'test.parallel',
        payload: { n: i },
        idempotencyKey: `parallel-${i}`,
      });
    let inFlight = 0;
    let most = 0;
    const handled: number[] = [];
    const drained = await new OutboxWorker(
      database.db,
      new Map<string, OutboxHandler>([
        [
          'test.parallel',
          async (payload) => {
            inFlight++;
            most = Math.max(most, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 5));
            inFlight--;
            if (payload.n === 7) throw new Error('seven fails');
            handled.push(payload.n as number);
          },
        ],
      ]),
      silent,
      { pollMs: 50, maxAttempts: 3, backoffBaseMs: 60_000, concurrency: 3 },
    ).drain();
    expect(drained).toBe(12);
    expect(most).toBe(3);
    expect(handled.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11]);
    const rows = await database.db
      .selectFrom('outbox')
      .select(['idempotency_key', 'status', 'attempts'])
      .where('topic', '=', 'test.parallel')
      .execute();
    expect(rows.filter((row) => row.status === 'done')).toHaveLength(11);
    expect(rows.find((row) => row.idempotency_key === 'parallel-7')).toMatchObject({
      status: 'pending',
      attempts: 1,
    });
  });

  it('marks a message with no handler as failed rather than losing it', async () => {
    await enqueue(database.db, { topic: 'test.unknown', payload: {}, idempotencyKey: 'unknown-1' });
    await worker({}, 1).drain();
    const [row] = await database.db
      .selectFrom('outbox')
      .selectAll()
      .where('idempotency_key', '=', 'unknown-1')
      .execute();
    expect(row).toMatchObject({ status: 'dead', last_error: 'No handler for topic test.unknown' });
  });
});

describe('pruning handled messages', () => {
  const DAY = 86_400_000;
  /** A message in `status`, handled (or last tried) `daysAgo` days ago; returns its key. */
  async function aMessage(status: 'pending' | 'done' | 'dead', daysAgo: number): Promise<string> {
    const key = `prune-${status}-${Math.random()}`;
    await enqueue(database.db, { topic: 'test.prune', payload: {}, idempotencyKey: key });
    await database.db
      .updateTable('outbox')
      .set({
        status,
        processed_at: status === 'done' ? sql`now() - ${`${daysAgo} days`}::interval` : null,
        created_at: sql`now() - ${`${daysAgo} days`}::interval`,
        available_at: sql`now() + interval '1 day'`,
      } as never)
      .where('idempotency_key', '=', key)
      .execute();
    return key;
  }
  const kept = async (keys: string[]) =>
    (
      await database.db
        .selectFrom('outbox')
        .select('idempotency_key')
        .where('idempotency_key', 'in', keys)
        .execute()
    )
      .map((row) => row.idempotency_key)
      .sort();

  it('deletes handled messages past their keeping, oldest first, and never a pending or dead one', async () => {
    await database.db.deleteFrom('outbox').where('status', '=', 'done').execute();
    const old = [
      await aMessage('done', 40),
      await aMessage('done', 35),
      await aMessage('done', 31),
    ];
    const recent = await aMessage('done', 29);
    const pending = await aMessage('pending', 400);
    const dead = await aMessage('dead', 400);
    // Two batches of two at most: the two oldest go, and it says more are due.
    expect(await pruneDoneMessages(database.db, 30 * DAY, { batchSize: 2, maxBatches: 1 })).toEqual(
      { pruned: 2, more: true },
    );
    expect(await kept(old)).toEqual([old[2]]);
    expect(await pruneDoneMessages(database.db, 30 * DAY, { batchSize: 2 })).toEqual({
      pruned: 1,
      more: false,
    });
    expect(await kept([...old, recent, pending, dead])).toEqual([recent, pending, dead].sort());
  });

  it('is done by the worker as it drains, and a pruned message’s key may be used again', async () => {
    const old = await aMessage('done', 31);
    const recent = await aMessage('done', 1);
    const seen: unknown[] = [];
    const draining = new OutboxWorker(
      database.db,
      new Map([
        ['test.prune', async (payload: Record<string, unknown>) => void seen.push(payload)],
      ]),
      silent,
      { pollMs: 20, maxAttempts: 3, keepDoneMs: 30 * DAY },
    );
    draining.start();
    try {
      await expect.poll(() => kept([old]), { timeout: 5_000 }).toEqual([]);
      expect(await kept([recent])).toEqual([recent]);
      // The key no longer turns the message away: enqueued again, it is delivered again.
      await enqueue(database.db, {
        topic: 'test.prune',
        payload: { again: true },
        idempotencyKey: old,
      });
      await expect.poll(() => seen, { timeout: 5_000 }).toEqual([{ again: true }]);
    } finally {
      await draining.stop();
    }
  });

  it('is not done by a worker not asked to keep them for a time', async () => {
    const old = await aMessage('done', 365);
    await worker({}).drain();
    const idle = worker({});
    idle.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await idle.stop();
    expect(await kept([old])).toEqual([old]);
  });
});

describe('backoff', () => {
  it('doubles each attempt, with jitter, and never exceeds an hour', () => {
    expect(backoffMs(1, 1000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, () => 1)).toBe(8000);
    expect(backoffMs(40, 1000, () => 1)).toBe(3_600_000);
  });
});
