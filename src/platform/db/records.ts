import { sql } from 'kysely';
import type { Database, Db } from './database.js';

/**
 * Deletes the rows of `table` with these ids and says how many went: what a retention record
 * type that deletes does with the records its `findDue` found (in the run's transaction).
 */
export async function deleteRecords(
  trx: Db,
  table: keyof Database & string,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const result =
    await sql`delete from ${sql.table(table)} where id in (${sql.join([...ids])})`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
