import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { TestProject } from 'vitest/node';
import type { Database } from '../../src/platform/db/database.js';
import { PGlitePool } from '../../src/platform/db/pglite-pool.js';
import { openDatabase } from '../../src/platform/db/connect.js';
import { migrate } from '../../src/platform/db/migrator.js';
import { seedDemo } from '../../src/main/seed.js';

/**
 * Migrates and seeds the demo once for the whole run, not once per test file: every file then
 * starts from a copy. On PGlite the copies are dumps of the data directory; on PostgreSQL they
 * are template databases, which `create database … template` copies in a few milliseconds.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? postgresTemplates(project, serverUrl) : pgliteDumps(project);
}

async function pgliteDumps(project: TestProject): Promise<() => Promise<void>> {
  const { PGlite } = await import('@electric-sql/pglite');
  const directory = mkdtempSync(path.join(tmpdir(), 'joinedup-test-'));
  const pglite = await PGlite.create();
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new PGlitePool(pglite) }),
  });
  const dump = async (name: string) => {
    const file = path.join(directory, `${name}.tar`);
    writeFileSync(file, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    return file;
  };
  await migrate(db);
  project.provide('migratedDatabase', await dump('migrated'));
  await seedDemo(db);
  project.provide('seededDatabase', await dump('seeded'));
  await db.destroy();
  return async () => rmSync(directory, { recursive: true, force: true });
}

async function postgresTemplates(
  project: TestProject,
  serverUrl: string,
): Promise<() => Promise<void>> {
  const suffix = randomBytes(4).toString('hex');
  const names = { migrated: `ju_tpl_${suffix}_migrated`, seeded: `ju_tpl_${suffix}_seeded` };
  await onServer(serverUrl, async (admin) => {
    for (const name of Object.values(names)) await admin.query(`create database ${name}`);
  });
  for (const [stage, name] of Object.entries(names)) {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: ':memory:' });
    await migrate(handle.db);
    if (stage === 'seeded') await seedDemo(handle.db);
    await handle.close();
  }
  project.provide('migratedDatabase', names.migrated);
  project.provide('seededDatabase', names.seeded);
  return () =>
    onServer(serverUrl, async (admin) => {
      for (const name of Object.values(names))
        await admin.query(`drop database if exists ${name} with (force)`);
    });
}

export async function onServer(
  serverUrl: string,
  work: (admin: pg.Client) => Promise<void>,
): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: the path of a dump of a migrated database; PostgreSQL: a template database's name. */
    migratedDatabase: string;
    /** The same, migrated and seeded with the demo. */
    seededDatabase: string;
  }
}
