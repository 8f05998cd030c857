import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import { importAddresses, importOnspd, type ImportReport } from './import-onspd.js';

/** What a command printed and its exit code (the same shape as the sso module's commands). */
export interface ImportCommandResult {
  code: number;
  out: string[];
  err: string[];
}

const PROGRESS_EVERY = 100_000;

async function run(
  db: Kysely<Database>,
  args: string[],
  what: string,
  importer: typeof importOnspd,
  progress: (line: string) => void,
): Promise<ImportCommandResult> {
  const [file, ...extra] = args;
  if (!file || extra.length) return { code: 64, out: [], err: [`Give one CSV file to import`] };
  try {
    await stat(file);
  } catch {
    return { code: 1, out: [], err: [`Cannot read ${file}`] };
  }
  const started = Date.now();
  let next = PROGRESS_EVERY;
  let report: ImportReport;
  try {
    report = await importer(db, createReadStream(file), {
      onProgress(written) {
        if (written >= next) {
          progress(`${written.toLocaleString('en-GB')} ${what} written…`);
          next += PROGRESS_EVERY;
        }
      },
    });
  } catch (error) {
    return { code: 1, out: [], err: [`${file}: ${(error as Error).message}`] };
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return {
    code: 0,
    out: [
      `Imported ${report.written.toLocaleString('en-GB')} ${what} from ${report.read.toLocaleString('en-GB')} rows in ${seconds}s` +
        (report.skipped ? `; skipped ${report.skipped.toLocaleString('en-GB')}` : ''),
    ],
    err: report.problems,
  };
}

/**
 * `joinedup geo:import-onspd FILE`: streams the ONS Postcode Directory CSV into postcode_areas,
 * 1,000 rows a transaction, printing progress every 100,000 rows. Safe to run again: rows are updated.
 */
export function geoImportOnspd(
  db: Kysely<Database>,
  args: string[],
  progress: (line: string) => void = () => {},
): Promise<ImportCommandResult> {
  return run(db, args, 'postcodes', importOnspd, progress);
}

/** `joinedup address:import FILE`: streams an address CSV (uprn, saon, paon, street, locality, town, postcode). */
export function addressImport(
  db: Kysely<Database>,
  args: string[],
  progress: (line: string) => void = () => {},
): Promise<ImportCommandResult> {
  return run(db, args, 'addresses', importAddresses, progress);
}
