import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { pgliteArtifacts } from './connect.js';

/**
 * Backup and restore of the embedded database (PGlite, one node). A backup is PGlite's own
 * data-directory archive (gzipped tar) with a manifest beside it: the archive's SHA-256, the
 * migrations applied and every table's row count, so a restore can prove it brought back what
 * was saved before it replaces anything. PostgreSQL is backed up with its own tools
 * (docs/operations/backups.md).
 */
export interface BackupManifest {
  format: 'joinedup-pglite-backup/1';
  createdAt: string;
  sha256: string;
  bytes: number;
  lastMigration: string | null;
  tables: Record<string, number>;
}

export class BackupError extends Error {}

const PID_FILE = 'joinedup.pid';

/**
 * Marks the embedded data directory as in use by this process, so backup and restore (another
 * process) refuse to copy or replace files PGlite is writing. Returns the release function.
 */
export function holdEmbeddedDataDir(dataDir: string): () => void {
  const file = path.resolve(dataDir, PID_FILE);
  writeFileSync(file, String(process.pid));
  return () => {
    if (existsSync(file) && readFileSync(file, 'utf8') === String(process.pid)) rmSync(file);
  };
}

/** Refuses while a live Joinedup process holds the data directory: PGlite is single-process. */
function refuseWhileRunning(dataDir: string): void {
  const file = path.resolve(dataDir, PID_FILE);
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8'));
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid))
    throw new BackupError(
      `Joinedup (process ${pid}) is using ${path.resolve(dataDir)}; stop it first: the embedded database is one process's files`,
    );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openEmbedded(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create({ ...options, ...(await pgliteArtifacts()) });
}

/** Every table in the public schema with its row count, and the last migration applied. */
async function inventory(
  pglite: PGlite,
): Promise<Pick<BackupManifest, 'tables' | 'lastMigration'>> {
  const { rows } = await pglite.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const tables: Record<string, number> = {};
  for (const { name } of rows) {
    const counted = await pglite.query<{ n: number }>(
      `select count(*)::int as n from "${name.replaceAll('"', '""')}"`,
    );
    tables[name] = counted.rows[0]!.n;
  }
  let lastMigration: string | null = null;
  if ('schema_migrations' in tables) {
    const latest = await pglite.query<{ name: string }>(
      'select name from schema_migrations order by name desc limit 1',
    );
    lastMigration = latest.rows[0]?.name ?? null;
  }
  return { tables, lastMigration };
}

/** `DATA_DIR/pglite` → `out` (a .tar.gz) and `out.json` (its manifest); written atomically. */
export async function backupEmbedded(options: {
  dataDir: string;
  out: string;
  now?: Date;
}): Promise<BackupManifest> {
  const source = path.resolve(options.dataDir, 'pglite');
  if (!existsSync(path.join(source, 'PG_VERSION')))
    throw new BackupError(`There is no embedded database in ${source}`);
  refuseWhileRunning(options.dataDir);
  const pglite = await openEmbedded({ dataDir: source });
  let archive: Buffer;
  let contents: Pick<BackupManifest, 'tables' | 'lastMigration'>;
  try {
    // A checkpoint first, so the archive needs no write-ahead log replayed to be consistent.
    await pglite.query('checkpoint');
    contents = await inventory(pglite);
    archive = Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
  } finally {
    await pglite.close();
  }
  const manifest: BackupManifest = {
    format: 'joinedup-pglite-backup/1',
    createdAt: (options.now ?? new Date()).toISOString(),
    sha256: sha256(archive),
    bytes: archive.length,
    ...contents,
  };
  const out = path.resolve(options.out);
  await mkdir(path.dirname(out), { recursive: true });
  await writeAtomically(out, archive);
  await writeAtomically(manifestPath(out), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export interface RestoreSummary {
  manifest: BackupManifest;
  /** Where the database that was replaced was moved to (kept, never deleted), if there was one. */
  previous: string | null;
}

/**
 * Checks the archive against its manifest, opens it in memory and compares every table's row
 * count with the manifest; only then moves the current data directory aside and unpacks the
 * archive in its place, and checks the counts again there.
 */
export async function restoreEmbedded(options: {
  dataDir: string;
  from: string;
  now?: Date;
}): Promise<RestoreSummary> {
  const from = path.resolve(options.from);
  const manifest = await readManifest(from);
  const archive = await readFile(from);
  if (sha256(archive) !== manifest.sha256)
    throw new BackupError(
      `${from} does not match its manifest's SHA-256: it is damaged or not the same backup`,
    );
  refuseWhileRunning(options.dataDir);

  const trial = await openEmbedded({ loadDataDir: new Blob([archive]) });
  try {
    verify(manifest, await inventory(trial), 'the backup, opened in memory');
  } finally {
    await trial.close();
  }

  const target = path.resolve(options.dataDir, 'pglite');
  let previous: string | null = null;
  if (existsSync(target) && readdirSync(target).length > 0) {
    const stamp = (options.now ?? new Date()).toISOString().replaceAll(':', '-');
    previous = `${target}.before-restore-${stamp}`;
    renameSync(target, previous);
  }
  await mkdir(target, { recursive: true });
  const restored = await openEmbedded({ dataDir: target, loadDataDir: new Blob([archive]) });
  try {
    verify(manifest, await inventory(restored), path.relative(process.cwd(), target) || target);
  } finally {
    await restored.close();
  }
  return { manifest, previous };
}

function verify(
  manifest: BackupManifest,
  found: Pick<BackupManifest, 'tables' | 'lastMigration'>,
  where: string,
): void {
  const differences: string[] = [];
  const names = new Set([...Object.keys(manifest.tables), ...Object.keys(found.tables)]);
  for (const name of [...names].sort()) {
    const expected = manifest.tables[name];
    const actual = found.tables[name];
    if (expected !== actual)
      differences.push(
        `${name}: ${expected ?? 'absent'} rows expected, ${actual ?? 'absent'} found`,
      );
  }
  if (found.lastMigration !== manifest.lastMigration)
    differences.push(
      `last migration ${manifest.lastMigration} expected, ${found.lastMigration} found`,
    );
  if (differences.length > 0)
    throw new BackupError(`${where} differs from the manifest:\n  ${differences.join('\n  ')}`);
}

async function readManifest(archive: string): Promise<BackupManifest> {
  const file = manifestPath(archive);
  if (!existsSync(archive)) throw new BackupError(`There is no backup at ${archive}`);
  if (!existsSync(file))
    throw new BackupError(`${file} is missing: a backup is restored only with its manifest`);
  const manifest = JSON.parse(await readFile(file, 'utf8')) as Partial<BackupManifest>;
  if (manifest.format !== 'joinedup-pglite-backup/1' || typeof manifest.sha256 !== 'string')
    throw new BackupError(`${file} is not a Joinedup backup manifest`);
  return manifest as BackupManifest;
}

function manifestPath(archive: string): string {
  return `${archive}.json`;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function writeAtomically(file: string, contents: Buffer | string): Promise<void> {
  const temporary = `${file}.partial-${process.pid}`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}
