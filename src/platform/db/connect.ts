import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { PGlitePool } from './pglite-pool.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

// pg returns int8 and numeric as strings by default; counts and money stay exact as numbers here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Opens the database: PostgreSQL when a URL is given, otherwise the embedded PGlite kept
 * under `dataDir/pglite` (or in memory for `dataDir === ':memory:'`).
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PGlite only: start from a dump of a data directory (`dumpDataDir`), e.g. a migrated one. */
  loadDataDir?: Blob;
  poolSize?: number;
  /** Told when the server ends a connection (idle or in use); the pool replaces it. */
  onIdleError?: (error: Error) => void;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
    });
    // An idle connection the server ends (a restart, a failover, a dropped database) must not
    // crash the process with an unhandled 'error' event.
    pool.on('error', (error) => options.onIdleError?.(error));
    // The pool listens only to idle clients. A checked-out one whose connection is cut (the
    // server restarts, a fail-over) between two queries of a transaction emits 'error' with no
    // listener, which would end the process; its query or commit fails instead, and the pool
    // drops the broken client when it is released.
    pool.on('connect', (client) => client.on('error', (error) => options.onIdleError?.(error)));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  let dataDir: string | undefined;
  if (options.dataDir !== ':memory:') {
    dataDir = path.resolve(options.dataDir, 'pglite');
    mkdirSync(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    ...(await pgliteArtifacts()),
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new PGlitePool(pglite) }),
  });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

let artifacts: Promise<{ pgliteWasmModule: WebAssembly.Module; fsBundle: Blob }> | undefined;

/**
 * PGlite's WebAssembly compiled once and its file-system bundle read once per process: PGlite
 * otherwise does both for every database it opens, which the test suite (a database per test
 * file, many files a process) paid for about a quarter of a second each time.
 */
export function pgliteArtifacts(): Promise<{
  pgliteWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}> {
  artifacts ??= (async () => {
    const dist = new URL('.', import.meta.resolve('@electric-sql/pglite'));
    const [wasm, bundle] = await Promise.all([
      readFile(new URL('pglite.wasm', dist)),
      readFile(new URL('pglite.data', dist)),
    ]);
    return { pgliteWasmModule: await WebAssembly.compile(wasm), fsBundle: new Blob([bundle]) };
  })();
  return artifacts;
}
