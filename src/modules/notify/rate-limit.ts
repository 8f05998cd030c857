import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';

/**
 * Counts one hit against `key` in the shared `rate_limits` table (so every node counts the same
 * hits) and says whether it is within `max` for the current window; a new window of `windowMs`
 * starts when the old one has ended. Works inside a transaction: a rolled-back hit is not counted.
 *
 * @example if (!(await consumeRateLimit(db, `notify:${serviceId}:normal`, 3000, 60_000)).allowed) throw …
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
