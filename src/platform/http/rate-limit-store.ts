import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../db/database.js';

export interface RateLimitTable {
  key: string;
  window_ends_at: Date;
  hits: number;
}

declare module '../db/database.js' {
  interface Database {
    rate_limits: RateLimitTable;
  }
}

/**
 * A @fastify/rate-limit store kept in the database, so every app node sharing one PostgreSQL
 * counts the same hits. One upsert per limited request: a new window starts when the old ends.
 */
export function databaseRateLimitStore(db: Kysely<Database>): FastifyRateLimitStoreCtor {
  class DatabaseStore implements FastifyRateLimitStore {
    constructor(private readonly prefix = '') {}

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      consumeRateLimit(db, this.prefix + key, Number.MAX_SAFE_INTEGER, timeWindow)
        .then((hit) => callback(null, { current: hit.hits, ttl: hit.resetInMs }))
        .catch((error: Error) => callback(error));
    }

    /** One counter per route: @fastify/rate-limit passes the route as `routeInfo`. */
    child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const route =
        (options as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      return new DatabaseStore(`${String(route.method ?? '*')} ${route.url ?? '*'}:`);
    }
  }
  return DatabaseStore as unknown as FastifyRateLimitStoreCtor;
}

/**
 * Counts one hit against `key` in the shared `rate_limits` table (so every node counts the same
 * hits) and says whether it is within `max` for the current window; a new window of `windowMs`
 * starts when the old one has ended. Works inside a transaction: a rolled-back hit is not counted.
 *
 * @example if (!(await consumeRateLimit(db, `sign-in:ip:${ip}`, 100, 60_000)).allowed) throw …
 */
export async function consumeRateLimit(
  db: Db,
  key: string,
  max: number,
  windowMs: number,
): Promise<{ allowed: boolean; hits: number; resetInMs: number }> {
  const windowEnd = sql<Date>`now() + ${`${windowMs} milliseconds`}::interval`;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_ends_at: windowEnd, hits: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql`case when rate_limits.window_ends_at <= now() then 1 else rate_limits.hits + 1 end`,
        window_ends_at: sql`case when rate_limits.window_ends_at <= now() then ${windowEnd} else rate_limits.window_ends_at end`,
      }),
    )
    .returning([
      'hits',
      sql<number>`greatest(0, extract(epoch from window_ends_at - now()) * 1000)`.as('ttl'),
    ])
    .executeTakeFirstOrThrow();
  return { allowed: row.hits <= max, hits: row.hits, resetInMs: Math.ceil(Number(row.ttl)) };
}
