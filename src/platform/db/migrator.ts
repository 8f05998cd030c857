import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { projectPath } from '../paths.js';

/** Any key that is the same on every node: it serialises migrations across app nodes. */
const MIGRATION_LOCK = 7_263_411;

export interface MigrationResult {
  applied: string[];
}

/**
 * Applies every `migrations/*.sql` file not yet applied, in name order, each in its own
 * transaction, under an advisory lock so that several nodes starting at once migrate once.
 */
export async function migrate(
  db: Kysely<Database>,
  directory = projectPath('migrations'),
): Promise<MigrationResult> {
  const files = (await readdir(directory)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    await sql`create table if not exists schema_migrations (
      name text primary key,
      applied_at timestamptz not null default now()
    )`.execute(trx);
    const done = await sql<{ name: string }>`select name from schema_migrations`.execute(trx);
    const seen = new Set(done.rows.map((r) => r.name));
    for (const file of files) {
      if (seen.has(file)) continue;
      const text = await readFile(path.join(directory, file), 'utf8');
      await sql.raw(text).execute(trx);
      await sql`insert into schema_migrations (name) values (${file})`.execute(trx);
      applied.push(file);
    }
  });
  return { applied };
}
