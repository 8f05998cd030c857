import type { Db } from '../../../platform/db/database.js';

/**
 * A page of the ids of submissions sent since an instant (all, without one), in id order after
 * `after`: the performance module's back-fill measures each one it was never told of.
 *
 * @example const ids = await submissionIdsSince(db, { since: null, after: null, limit: 500 });
 */
export async function submissionIdsSince(
  db: Db,
  page: { since: Date | null; after: string | null; limit: number },
): Promise<string[]> {
  let query = db.selectFrom('submissions').select('id').orderBy('id').limit(page.limit);
  if (page.since) query = query.where('submitted_at', '>=', page.since);
  if (page.after) query = query.where('id', '>', page.after);
  return (await query.execute()).map((row) => row.id);
}
