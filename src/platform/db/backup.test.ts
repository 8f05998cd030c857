import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preparePgliteDumps } from '../../../test/helpers/global-setup.js';
import { BackupError, backupEmbedded, holdEmbeddedDataDir, restoreEmbedded } from './backup.js';
import { openDatabase } from './connect.js';

// The embedded database only: with DATABASE_URL, PostgreSQL's own tools back up (the PostgreSQL
// pass of the suite would test the same PGlite files again).
describe.skipIf(Boolean(process.env.DATABASE_URL))(
  'backup and restore of the embedded database',
  () => {
    let dataDir: string;
    let backups: string;
    beforeEach(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-backup-'));
      backups = await mkdtemp(path.join(tmpdir(), 'joinedup-backups-'));
      const { PGlite } = await import('@electric-sql/pglite');
      const seeded = new Blob([await readFile((await preparePgliteDumps()).seeded)]);
      const pglite = await PGlite.create({
        dataDir: path.join(dataDir, 'pglite'),
        loadDataDir: seeded,
      });
      await pglite.close();
    });
    afterEach(async () => {
      await rm(dataDir, { recursive: true, force: true });
      await rm(backups, { recursive: true, force: true });
    });

    const organisations = async () => {
      const handle = await openDatabase({ dataDir });
      try {
        const rows = await handle.db
          .selectFrom('organisations')
          .select('slug')
          .orderBy('slug')
          .execute();
        return rows.map((row) => row.slug);
      } finally {
        await handle.close();
      }
    };
    const addOrganisation = async (slug: string) => {
      const handle = await openDatabase({ dataDir });
      try {
        await sql`insert into organisations (slug, name, type) values (${slug}, ${slug}, 'district')`.execute(
          handle.db,
        );
      } finally {
        await handle.close();
      }
    };

    it('brings back exactly what was saved, and keeps the database it replaced', async () => {
      const before = await organisations();
      const out = path.join(backups, 'nightly.tar.gz');
      const manifest = await backupEmbedded({ dataDir, out });
      expect(manifest.tables.organisations).toBe(before.length);
      expect(manifest.lastMigration).toMatch(/^\d{4}_.*\.sql$/);
      expect(existsSync(`${out}.json`)).toBe(true);

      await addOrganisation('after-the-backup');
      expect(await organisations()).toContain('after-the-backup');

      const { previous } = await restoreEmbedded({ dataDir, from: out });
      expect(await organisations()).toEqual(before);
      expect(previous).not.toBeNull();
      expect(existsSync(path.join(previous!, 'PG_VERSION'))).toBe(true);
    }, 120_000);

    it('refuses a damaged archive, or one without its manifest, and changes nothing', async () => {
      const out = path.join(backups, 'b.tar.gz');
      await backupEmbedded({ dataDir, out });
      await addOrganisation('kept');
      const archive = await readFile(out);
      const middle = archive.length >> 1;
      archive[middle] = archive[middle]! ^ 0xff;
      await writeFile(out, archive);
      await expect(restoreEmbedded({ dataDir, from: out })).rejects.toThrow(/SHA-256/);
      await rm(`${out}.json`);
      await expect(restoreEmbedded({ dataDir, from: out })).rejects.toThrow(/manifest/);
      expect(await organisations()).toContain('kept');
    }, 120_000);

    it('refuses a backup whose row counts differ from its manifest', async () => {
      const out = path.join(backups, 'b.tar.gz');
      await backupEmbedded({ dataDir, out });
      const manifest = JSON.parse(await readFile(`${out}.json`, 'utf8'));
      manifest.tables.organisations += 1;
      await writeFile(`${out}.json`, JSON.stringify(manifest));
      await addOrganisation('kept');
      await expect(restoreEmbedded({ dataDir, from: out })).rejects.toThrow(
        /organisations: \d+ rows expected, \d+ found/,
      );
      expect(await organisations()).toContain('kept');
    }, 120_000);

    it('refuses while another live process holds the data directory', async () => {
      const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      try {
        await writeFile(path.join(dataDir, 'joinedup.pid'), String(sleeper.pid));
        const out = path.join(backups, 'b.tar.gz');
        await expect(backupEmbedded({ dataDir, out })).rejects.toThrow(BackupError);
        await expect(backupEmbedded({ dataDir, out })).rejects.toThrow(/stop it first/);
      } finally {
        sleeper.kill();
      }
      // A pid file left by a process that has gone (a crash) does not block.
      await new Promise((resolve) => sleeper.once('exit', resolve));
      await backupEmbedded({ dataDir, out: path.join(backups, 'after.tar.gz') });
      // This process's own hold is released on shutdown.
      const release = holdEmbeddedDataDir(dataDir);
      release();
      expect(existsSync(path.join(dataDir, 'joinedup.pid'))).toBe(false);
    }, 120_000);
  },
);
