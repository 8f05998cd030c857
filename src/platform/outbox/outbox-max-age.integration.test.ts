import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.js';
import type { DatabaseHandle } from '../db/connect.js';
import { enqueue, OutboxWorker, PermanentFailure, type OutboxHandler } from './outbox.js';

const silent = pino({ level: 'silent' });
let database: DatabaseHandle;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database?.close();
});

const HOUR = 3600 * 1000;

async function message(key: string) {
  return database.db
    .selectFrom('outbox')
    .selectAll()
    .where('idempotency_key', '=', key)
    .executeTakeFirstOrThrow();
}

async function age(key: string, hours: number) {
  await database.db
    .updateTable('outbox')
    .set({
      created_at: sql`now() - ${`${hours} hours`}::interval`,
      available_at: sql`now()`,
    })
    .where('idempotency_key', '=', key)
    .execute();
}

function workerFor(topic: string, handler: OutboxHandler) {
  return new OutboxWorker(database.db, new Map([[topic, handler]]), silent, {
    pollMs: 50,
    maxAttempts: 2,
    // Long enough that one drain makes one attempt; `age` makes the message due again.
    backoffBaseMs: 60_000,
  });
}

describe('a topic retried by age (maxAgeMs) rather than by attempts', () => {
  it('keeps a failing message past OUTBOX_MAX_ATTEMPTS until it is older than its age, then calls onDead once before it dies', async () => {
    const dead: unknown[] = [];
    const handler: OutboxHandler = Object.assign(
      async () => {
        throw new Error('receiver down');
      },
      {
        maxAgeMs: 72 * HOUR,
        onDead: async (payload: Record<string, unknown>) => void dead.push(payload),
      },
    );
    await enqueue(database.db, { topic: 'test.age', payload: { n: 1 }, idempotencyKey: 'age-1' });
    const worker = workerFor('test.age', handler);
    for (let i = 0; i < 4; i++) {
      await age('age-1', 1);
      await worker.drain();
    }
    expect(await message('age-1')).toMatchObject({ status: 'pending', attempts: 4 });
    expect(dead).toEqual([]);
    await age('age-1', 73);
    await worker.drain();
    expect(await message('age-1')).toMatchObject({ status: 'dead', attempts: 5 });
    expect(dead).toEqual([{ n: 1 }]);
  });

  it('leaves the message pending when onDead fails, so the alert is not lost', async () => {
    let calls = 0;
    const handler: OutboxHandler = Object.assign(
      async () => {
        throw new Error('receiver down');
      },
      {
        maxAgeMs: HOUR,
        onDead: async () => {
          calls++;
          if (calls === 1) throw new Error('mail table unavailable');
        },
      },
    );
    await enqueue(database.db, { topic: 'test.age2', payload: {}, idempotencyKey: 'age-2' });
    const worker = workerFor('test.age2', handler);
    await age('age-2', 2);
    await worker.drain();
    expect((await message('age-2')).status).toBe('pending');
    await age('age-2', 2);
    await worker.drain();
    expect((await message('age-2')).status).toBe('dead');
    expect(calls).toBe(2);
  });

  it('lets a message die at its first attempt when the handler says trying again cannot help, giving onDead the error', async () => {
    const errors: unknown[] = [];
    const refusal = new PermanentFailure('Refused: a private address');
    const handler: OutboxHandler = Object.assign(
      async () => {
        throw refusal;
      },
      {
        maxAgeMs: 72 * HOUR,
        onDead: async (_p: unknown, { error }: { error?: unknown }) => void errors.push(error),
      },
    );
    await enqueue(database.db, { topic: 'test.perm', payload: {}, idempotencyKey: 'perm-1' });
    await workerFor('test.perm', handler).drain();
    expect(await message('perm-1')).toMatchObject({
      status: 'dead',
      attempts: 1,
      last_error: 'Refused: a private address',
    });
    expect(errors).toEqual([refusal]);
  });

  it('leaves topics without an age to OUTBOX_MAX_ATTEMPTS as before', async () => {
    await enqueue(database.db, { topic: 'test.count', payload: {}, idempotencyKey: 'count-1' });
    const worker = workerFor('test.count', async () => {
      throw new Error('nope');
    });
    await worker.drain();
    await age('count-1', 0);
    await worker.drain();
    expect(await message('count-1')).toMatchObject({ status: 'dead', attempts: 2 });
  });
});
