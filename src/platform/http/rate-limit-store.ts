import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

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
      const windowEnd = sql<Date>`now() + ${`${timeWindow} milliseconds`}::interval`;
      db.insertInto('rate_limits')
        .values({ key: this.prefix + key, window_ends_at: windowEnd, hits: 1 })
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
        .executeTakeFirstOrThrow()
        .then((row) => callback(null, { current: row.hits, ttl: Math.ceil(Number(row.ttl)) }))
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
