import type { Insertable } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import { csvRecords } from '../csv.js';
import type { AddressTable, PostcodeAreaTable } from '../db/tables.js';
import { parsePostcode } from '../postcode.js';

/** Text of a CSV file: a read stream, or strings in tests. */
type Chunks = AsyncIterable<string | Buffer> | Iterable<string | Buffer>;

/** Rows written per statement and per transaction: 1,000 × 13 columns stays far below 65,535 parameters. */
export const BATCH_SIZE = 1_000;

export interface ImportReport {
  /** Rows read from the file, the header not counted. */
  read: number;
  /** Rows inserted or updated. */
  written: number;
  /** Rows skipped, with the first few reasons (line numbers count the header as line 1). */
  skipped: number;
  problems: string[];
}

export interface ImportOptions {
  /** Called after every batch with the rows written so far. */
  onProgress?(written: number): void;
  batchSize?: number;
}

/** ONSPD's pseudo-codes for "no such area here", e.g. no county outside two-tier England. */
function area(code: string | undefined): string | null {
  const value = code?.trim() ?? '';
  return value === '' || /^[ELMNSW]9{8}$/.test(value) ? null : value;
}

function number(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * A row of the ONS Postcode Directory as a postcode_areas row, or why it cannot be one.
 * Non-geographic postcodes have no grid reference (osgrdind 9; lat 99.999999).
 */
export function onspdRow(
  get: (column: string) => string | undefined,
): Insertable<PostcodeAreaTable> | string {
  const raw = get('pcds') ?? get('pcd') ?? get('pcd2') ?? '';
  const parsed = parsePostcode(raw);
  if (!parsed.ok) return `“${raw}” is not a postcode`;
  const grid = get('osgrdind')?.trim();
  const latitude = number(get('lat'));
  const geographic = grid !== '9' && latitude !== null && latitude < 90;
  const terminated = get('doterm')?.trim() || null;
  return {
    postcode: parsed.postcode,
    sector: parsed.sector,
    district_gss: area(get('oslaua')),
    county_gss: area(get('oscty')),
    country_gss: area(get('ctry')),
    ward_gss: area(get('osward')),
    parish_gss: area(get('parish')),
    geographic,
    latitude: geographic ? latitude : null,
    longitude: geographic ? number(get('long')) : null,
    user_type: number(get('usertype')),
    introduced: get('dointr')?.trim() || null,
    terminated,
  };
}

/** An address file's row (uprn, saon, paon, street, locality, town, postcode) as an addresses row. */
export function addressRow(
  get: (column: string) => string | undefined,
): Insertable<AddressTable> | string {
  const text = (column: string) => get(column)?.trim() || null;
  const uprn = text('uprn') ?? '';
  if (!/^[0-9]{1,12}$/.test(uprn)) return `UPRN “${uprn}” is not 1 to 12 digits`;
  const postcode = parsePostcode(get('postcode') ?? '');
  if (!postcode.ok) return `UPRN ${uprn}: “${get('postcode') ?? ''}” is not a postcode`;
  const paon = text('paon');
  const town = text('town') ?? text('post_town');
  if (!paon) return `UPRN ${uprn}: no PAON (house number or name)`;
  if (!town) return `UPRN ${uprn}: no town`;
  return {
    uprn,
    saon: text('saon'),
    paon,
    street: text('street') ?? text('street_description'),
    locality: text('locality'),
    town,
    postcode: postcode.postcode,
  };
}

async function writePostcodes(db: Db, rows: Insertable<PostcodeAreaTable>[]): Promise<void> {
  await db
    .insertInto('postcode_areas')
    .values(rows)
    .onConflict((oc) =>
      oc.column('postcode').doUpdateSet((eb) => ({
        sector: eb.ref('excluded.sector'),
        district_gss: eb.ref('excluded.district_gss'),
        county_gss: eb.ref('excluded.county_gss'),
        country_gss: eb.ref('excluded.country_gss'),
        ward_gss: eb.ref('excluded.ward_gss'),
        parish_gss: eb.ref('excluded.parish_gss'),
        geographic: eb.ref('excluded.geographic'),
        latitude: eb.ref('excluded.latitude'),
        longitude: eb.ref('excluded.longitude'),
        user_type: eb.ref('excluded.user_type'),
        introduced: eb.ref('excluded.introduced'),
        terminated: eb.ref('excluded.terminated'),
        imported_at: eb.fn('now'),
      })),
    )
    .execute();
}

async function writeAddresses(db: Db, rows: Insertable<AddressTable>[]): Promise<void> {
  await db
    .insertInto('addresses')
    .values(rows)
    .onConflict((oc) =>
      oc.column('uprn').doUpdateSet((eb) => ({
        saon: eb.ref('excluded.saon'),
        paon: eb.ref('excluded.paon'),
        street: eb.ref('excluded.street'),
        locality: eb.ref('excluded.locality'),
        town: eb.ref('excluded.town'),
        postcode: eb.ref('excluded.postcode'),
        imported_at: eb.fn('now'),
      })),
    )
    .execute();
}

/**
 * Streams a CSV with a header row into a table in batches. Each batch is its own transaction
 * (or part of the caller's, when given one), so a 2.7-million-row file is never held in memory
 * and an interrupted import keeps what it wrote; running it again updates rows in place.
 */
async function importCsv<Row extends { [key: string]: unknown }>(
  db: Db,
  chunks: Chunks,
  required: string[][],
  toRow: (get: (column: string) => string | undefined) => Row | string,
  write: (db: Db, rows: Row[]) => Promise<void>,
  key: (row: Row) => string,
  options: ImportOptions,
): Promise<ImportReport> {
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const report: ImportReport = { read: 0, written: 0, skipped: 0, problems: [] };
  let columns: Map<string, number> | undefined;
  // Keyed by postcode or UPRN: a file naming one twice keeps its last row (one upsert cannot touch a row twice).
  let batch = new Map<string, Row>();
  const flush = async () => {
    if (batch.size === 0) return;
    const rows = [...batch.values()];
    batch = new Map();
    if (db.isTransaction) await write(db, rows);
    else await db.transaction().execute((trx) => write(trx, rows));
    report.written += rows.length;
    options.onProgress?.(report.written);
  };
  for await (const record of csvRecords(chunks)) {
    if (!columns) {
      columns = new Map(
        record.map((name, i) => [
          name
            .trim()
            .toLowerCase()
            .replace(/^\uFEFF/, ''),
          i,
        ]),
      );
      const missing = required.filter((names) => !names.some((n) => columns!.has(n)));
      if (missing.length)
        throw new Error(`The file has no ${missing.map((m) => m.join(' or ')).join(', ')} column`);
      continue;
    }
    report.read++;
    const header = columns;
    const row = toRow((column) => {
      const i = header.get(column);
      return i === undefined ? undefined : record[i];
    });
    if (typeof row === 'string') {
      report.skipped++;
      if (report.problems.length < 20) report.problems.push(`line ${report.read + 1}: ${row}`);
      continue;
    }
    batch.set(key(row), row);
    if (batch.size >= batchSize) await flush();
  }
  if (!columns) throw new Error('The file is empty: it needs a header row');
  await flush();
  return report;
}

/**
 * Loads the ONS Postcode Directory (the CSV with a header of ONSPD column codes: pcds, doterm,
 * oscty, oslaua, osward, parish, ctry, lat, long …) into postcode_areas. Terminated postcodes are
 * kept and marked, because people still type them.
 *
 * @example await importOnspd(db, createReadStream('ONSPD_FEB_2025_UK.csv'))
 */
export function importOnspd(
  db: Db,
  chunks: Chunks,
  options: ImportOptions = {},
): Promise<ImportReport> {
  return importCsv(
    db,
    chunks,
    [['pcds', 'pcd', 'pcd2'], ['oslaua']],
    onspdRow,
    writePostcodes,
    (row) => row.postcode,
    options,
  );
}

/**
 * Loads an address file (CSV with columns uprn, saon, paon, street, locality, town, postcode —
 * the BS 7666 parts of an AddressBase or local gazetteer extract) into addresses.
 */
export function importAddresses(
  db: Db,
  chunks: Chunks,
  options: ImportOptions = {},
): Promise<ImportReport> {
  return importCsv(
    db,
    chunks,
    [['uprn'], ['paon'], ['town', 'post_town'], ['postcode']],
    addressRow,
    writeAddresses,
    (row) => row.uprn,
    options,
  );
}
