import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js';
import { migrate } from '../../src/platform/db/migrator.js';
import { seedDemo } from '../../src/main/seed.js';
import { copyTemplate, onServer } from './global-setup.js';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new
 * throw-away database on the PostgreSQL server named by DATABASE_URL (dropped on close).
 * With `seeded`, it also holds the demo (`seedDemo`). Both are copies of what the run's global
 * set-up migrated once (test/helpers/global-setup.ts).
 */
export async function freshDatabase(
  options: { seeded?: boolean } = {},
): Promise<DatabaseHandle & { url?: string }> {
  // Outside vitest (the benchmarks) there is no global set-up: migrate (and seed) here.
  const source = process.env.VITEST
    ? inject(options.seeded ? 'seededDatabase' : 'migratedDatabase')
    : null;
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    if (source === null) return prepared(await openDatabase({ dataDir: ':memory:' }), options);
    return openDatabase({ dataDir: ':memory:', loadDataDir: await dump(source) });
  }
  const name = `ju_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, async (admin) => {
    if (source === null) await admin.query(`create database ${name}`);
    else await copyTemplate(admin, name, source);
    // A test's database is thrown away: waiting for each commit to reach the disk (about 3 ms
    // here) only slows the suite. A crash of the server itself is not what these tests are
    // about; the durability tests (test/durability) start their own databases and keep it on.
    // (bench/ci-figures.ts and bench/submissions.ts ask for production's setting:
    // BENCH_DURABLE_COMMIT=on.)
    if (process.env.BENCH_DURABLE_COMMIT !== 'on')
      await admin.query(`alter database ${name} set synchronous_commit = off`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const opened = await openDatabase({ databaseUrl: url.toString(), dataDir: ':memory:' });
  const handle = source === null ? await prepared(opened, options) : opened;
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

const dumps = new Map<string, Promise<Blob>>();

/**
 * A worker runs many test files: it reads each dump once. PGlite reads a dump only through
 * `arrayBuffer()`, which for a real Blob copies all of it (tens of megabytes) every time, so
 * this hands it the bytes already read; it only reads them.
 */
function dump(file: string): Promise<Blob> {
  let blob = dumps.get(file);
  if (!blob) {
    blob = readFile(file).then((bytes) => {
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return Object.assign(new Blob([]), { arrayBuffer: () => Promise.resolve(buffer) });
    });
    dumps.set(file, blob);
  }
  return blob;
}

async function prepared(
  handle: DatabaseHandle,
  options: { seeded?: boolean },
): Promise<DatabaseHandle> {
  await migrate(handle.db);
  if (options.seeded) await seedDemo(handle.db);
  return handle;
}
