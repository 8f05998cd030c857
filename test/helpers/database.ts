import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js';
import { onServer } from './global-setup.js';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new
 * throw-away database on the PostgreSQL server named by DATABASE_URL (dropped on close).
 * With `seeded`, it also holds the demo (`seedDemo`). Both are copies of what the run's global
 * set-up migrated once (test/helpers/global-setup.ts).
 */
export async function freshDatabase(
  options: { seeded?: boolean } = {},
): Promise<DatabaseHandle & { url?: string }> {
  const source = inject(options.seeded ? 'seededDatabase' : 'migratedDatabase');
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const loadDataDir = new Blob([await readFile(source)]);
    return openDatabase({ dataDir: ':memory:', loadDataDir });
  }
  const name = `ju_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (admin) => copyTemplate(admin, name, source));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: ':memory:' });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      await onServer(serverUrl, async (admin) => {
        await admin.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}

/** PostgreSQL refuses to copy a template another copy is reading; a moment later it can. */
export async function copyTemplate(
  admin: { query(sql: string): Promise<unknown> },
  name: string,
  template: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${template}`);
      return;
    } catch (error) {
      const busy = /being accessed by other users/.test(String(error));
      if (!busy || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
}
