import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { TestProject } from 'vitest/node';
import type { Database } from '../../src/platform/db/database.js';
import { PGlitePool } from '../../src/platform/db/pglite-pool.js';
import { openDatabase } from '../../src/platform/db/connect.js';
import { migrate } from '../../src/platform/db/migrator.js';
import { seedDemo } from '../../src/main/seed.js';
import { useCheapHashesForTests } from '../../src/modules/identity/index.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

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
  const { migrated, seeded } = await preparePgliteDumps();
  project.provide('migratedDatabase', migrated);
  project.provide('seededDatabase', seeded);
  return async () => {};
}

/**
 * The PGlite dumps every test file starts from, made if missing. CI makes them beside the type
 * check (`npx tsx test/helpers/prepare-dumps.ts`), so the test run finds them ready.
 */
export async function preparePgliteDumps(): Promise<{ migrated: string; seeded: string }> {
  // The demo's accounts at the test suite's password cost (see useCheapHashesForTests).
  useCheapHashesForTests();
  // Kept between runs while nothing they are made from changes (CI's browser pass, a developer
  // running tests again): making them takes PGlite most of twenty seconds.
  const directory = path.join(
    PROJECT_ROOT,
    'node_modules',
    '.cache',
    'joinedup-test',
    sourceDigest(),
  );
  const migrated = path.join(directory, 'migrated.tar');
  const seeded = path.join(directory, 'seeded.tar');
  if (!existsSync(seeded)) {
    forgetOldDumps(path.dirname(directory));
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create();
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new PGlitePool(pglite) }),
    });
    const dump = async (file: string) => {
      // A checkpoint first, so each copy starts without replaying the seed's write-ahead log.
      await pglite.query('checkpoint');
      const current = await pglite.query<{ segment: string }>(
        'select pg_walfile_name(pg_current_wal_insert_lsn()) as segment',
      );
      const tar = withoutPreallocatedWal(
        Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()),
        current.rows[0]!.segment,
      );
      mkdirSync(directory, { recursive: true });
      // Written aside and renamed, so a run that stops half way never leaves half a dump.
      writeFileSync(`${file}.${process.pid}`, tar);
      renameSync(`${file}.${process.pid}`, file);
    };
    await migrate(db);
    await dump(migrated);
    await seedDemo(db);
    await dump(seeded);
    await db.destroy();
  }
  return { migrated, seeded };
}

/**
 * The dump without the write-ahead log segments PostgreSQL made ready for later (named after the
 * one in use): 16 MiB each of nothing a copy needs, which every test file would load again.
 * PostgreSQL makes new ones when it needs them. A tar is a 512-byte header (the name first, the
 * size in octal at byte 124) and the content padded to 512 bytes.
 */
export function withoutPreallocatedWal(tar: Buffer, currentSegment: string): Buffer {
  const kept: Buffer[] = [];
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    const size =
      parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/, ''), 8) || 0;
    const length = 512 + Math.ceil(size / 512) * 512;
    const name = header.subarray(0, 100).toString('latin1').replace(/\0.*$/, '');
    const segment = /(?:^|\/)pg_wal\/([0-9A-F]{24})$/.exec(name)?.[1];
    if (!segment || segment <= currentSegment) kept.push(tar.subarray(offset, offset + length));
    offset += length;
  }
  return Buffer.concat(kept);
}

/**
 * Dumps of older sources are no use any more, but a run started a moment ago (another terminal,
 * a source edited since) may still be reading its own: only those untouched for an hour go.
 */
function forgetOldDumps(cache: string): void {
  if (!existsSync(cache)) return;
  const hourAgo = Date.now() - 3_600_000;
  for (const entry of readdirSync(cache, { withFileTypes: true })) {
    const full = path.join(cache, entry.name);
    if (statSync(full).mtimeMs < hourAgo) rmSync(full, { recursive: true, force: true });
  }
}

/** A digest of everything the dumps are made from: the migrations, the source (seeds included) and this file. */
function sourceDigest(): string {
  const digest = createHash('sha256');
  const add = (directory: string) => {
    for (const item of readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(directory, item.name);
      if (item.isDirectory()) add(full);
      else if (!item.name.endsWith('.test.ts')) {
        digest.update(path.relative(PROJECT_ROOT, full));
        digest.update(readFileSync(full));
      }
    }
  };
  add(path.join(PROJECT_ROOT, 'migrations'));
  add(path.join(PROJECT_ROOT, 'src'));
  // How the dumps are made.
  digest.update(readFileSync(fileURLToPath(import.meta.url)));
  digest.update(readFileSync(path.join(PROJECT_ROOT, 'package-lock.json')));
  return digest.digest('hex').slice(0, 16);
}

async function postgresTemplates(
  project: TestProject,
  serverUrl: string,
): Promise<() => Promise<void>> {
  useCheapHashesForTests();
  const suffix = randomBytes(4).toString('hex');
  const names = { migrated: `ju_tpl_${suffix}_migrated`, seeded: `ju_tpl_${suffix}_seeded` };
  const open = (name: string) => {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return openDatabase({ databaseUrl: url.toString(), dataDir: ':memory:' });
  };
  // Migrated once; the seeded template starts as a copy of the migrated one.
  // Neither waits for its commits to reach the disk (nor do the copies: test/helpers/database.ts).
  const asyncCommit = (name: string) => `alter database ${name} set synchronous_commit = off`;
  await onServer(serverUrl, async (admin) => {
    await admin.query(`create database ${names.migrated}`);
    await admin.query(asyncCommit(names.migrated));
  });
  const migrated = await open(names.migrated);
  await migrate(migrated.db);
  await migrated.close();
  await onServer(serverUrl, async (admin) => {
    await copyTemplate(admin, names.seeded, names.migrated);
    await admin.query(asyncCommit(names.seeded));
  });
  const seeded = await open(names.seeded);
  await seedDemo(seeded.db);
  await seeded.close();
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

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: the path of a dump of a migrated database; PostgreSQL: a template database's name. */
    migratedDatabase: string;
    /** The same, migrated and seeded with the demo. */
    seededDatabase: string;
  }
}
