import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../test/helpers/database.js';
import { findPostcodeArea } from '../queries/postcodes.js';
import { geoImportOnspd, addressImport } from './cli.js';
import { importAddresses, importOnspd } from './import-onspd.js';

const HEADER =
  'pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,ctry,rgn,lat,long';
const LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** The n-th of 50,000 distinct, well-formed postcodes: outward ZZ0–ZZ99, sectors 0–9, 400 units each… */
function nthPostcode(n: number): string {
  const unit = n % 400;
  const sector = Math.floor(n / 400) % 10;
  const district = Math.floor(n / 4000);
  return `BS${district + 20} ${sector}${LETTERS[Math.floor(unit / 20)]}${LETTERS[unit % 20]}`;
}

/** A full-width ONSPD row, as the real file has it (pcd and pcd2 padded, pseudo-codes for no county). */
function onspdLine(n: number, district = 'E06000023'): string {
  const pcds = nthPostcode(n);
  const terminated = n % 1000 === 7 ? '201901' : '';
  return [
    pcds.replace(' ', '').padEnd(7),
    pcds.padEnd(8),
    pcds,
    '198001',
    terminated,
    'E99999999',
    'E99999999',
    district,
    'E05010885',
    'E43000002',
    '0',
    '358000',
    '173000',
    '1',
    'E92000001',
    'E12000009',
    '51.454513',
    '-2.587910',
  ].join(',');
}

function* onspdFile(rows: number, district?: string): Generator<string> {
  yield `${HEADER}\r\n`;
  for (let n = 0; n < rows; n++) yield `${onspdLine(n, district)}\r\n`;
}

describe('importing the ONS Postcode Directory', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  const db = () => database.db;
  let dir: string;

  beforeAll(async () => {
    database = await freshDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'onspd-'));
  });
  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('streams a 50,000-row file in batches of 1,000, each in its own transaction', async () => {
    const progress: number[] = [];
    const heapBefore = process.memoryUsage().heapUsed;
    const report = await importOnspd(db(), Readable.from(onspdFile(50_000)), {
      onProgress: (written) => progress.push(written),
    });
    expect(report).toEqual({ read: 50_000, written: 50_000, skipped: 0, problems: [] });
    expect(progress).toHaveLength(50);
    expect(progress[0]).toBe(1_000);
    expect(progress.at(-1)).toBe(50_000);
    const { count } = await db()
      .selectFrom('postcode_areas')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(50_000);
    // The file is never held whole: what is left on the heap is far below the file's ~5 MB of text.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);

  it('keeps terminated postcodes, marked, and reads "no county" pseudo-codes as none', async () => {
    const terminated = await findPostcodeArea(db(), nthPostcode(7));
    expect(terminated).toMatchObject({
      terminated: '201901',
      district_gss: 'E06000023',
      county_gss: null,
    });
    const live = await findPostcodeArea(db(), nthPostcode(8));
    expect(live).toMatchObject({
      terminated: null,
      geographic: true,
      sector: nthPostcode(8).slice(0, -2),
    });
  });

  it('updates rows in place when the next edition of the directory is imported', async () => {
    const report = await importOnspd(db(), Readable.from(onspdFile(2_000, 'E06000025')));
    expect(report.written).toBe(2_000);
    expect((await findPostcodeArea(db(), nthPostcode(1_999)))?.district_gss).toBe('E06000025');
    expect((await findPostcodeArea(db(), nthPostcode(2_000)))?.district_gss).toBe('E06000023');
  });

  it('skips rows that are not postcodes, saying which, and refuses a file without the columns it needs', async () => {
    const file = [
      'pcds,oslaua,oscty,osgrdind,lat,long,doterm',
      'NOT A CODE,E07000082,E10000013,1,51.7,-2.2,',
      'GL5 4UB,E07000082,E10000013,1,51.7,-2.2,',
      'BS99 7AB,E06000023,E99999999,9,99.999999,0.000000,',
    ].join('\n');
    const report = await importOnspd(db(), [file]);
    expect(report).toMatchObject({ read: 3, written: 2, skipped: 1 });
    expect(report.problems).toEqual(['line 2: “NOT A CODE” is not a postcode']);
    expect(await findPostcodeArea(db(), 'BS99 7AB')).toMatchObject({
      geographic: false,
      latitude: null,
      longitude: null,
    });
    await expect(importOnspd(db(), ['postcode,district\nGL5 4UB,E07000082\n'])).rejects.toThrow(
      'The file has no pcds or pcd or pcd2, oslaua column',
    );
    await expect(importOnspd(db(), [''])).rejects.toThrow('The file is empty');
  });

  it('joinedup geo:import-onspd prints progress and a summary, and says when the file is missing', async () => {
    const file = path.join(dir, 'onspd.csv');
    await writeFile(file, [...onspdFile(1_500)].join(''));
    const lines: string[] = [];
    const result = await geoImportOnspd(db(), [file], (line) => lines.push(line));
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(/^Imported 1,500 postcodes from 1,500 rows in \d+\.\ds$/);
    const missing = await geoImportOnspd(db(), [path.join(dir, 'nope.csv')]);
    expect(missing).toMatchObject({ code: 1, err: [expect.stringContaining('Cannot read')] });
    expect((await geoImportOnspd(db(), [])).code).toBe(64);
  });

  it('imports addresses with UPRNs in BS 7666 structure and skips rows without a UPRN or town', async () => {
    const file = [
      'uprn,saon,paon,street,locality,town,postcode',
      '100120000001,Flat 2,12,High Street,,Stroud,gl5 1aa',
      '100120000002,,Rose Cottage,,Slad,Stroud,GL6 7QD',
      'abc,,1,High Street,,Stroud,GL5 1AA',
      '100120000003,,1,High Street,,,GL5 1AA',
    ].join('\n');
    const report = await importAddresses(db(), [file]);
    expect(report).toMatchObject({ read: 4, written: 2, skipped: 2 });
    const rows = await db().selectFrom('addresses').selectAll().orderBy('uprn').execute();
    expect(
      rows.map((r) => [r.uprn, r.saon, r.paon, r.street, r.locality, r.town, r.postcode]),
    ).toEqual([
      ['100120000001', 'Flat 2', '12', 'High Street', null, 'Stroud', 'GL5 1AA'],
      ['100120000002', null, 'Rose Cottage', null, 'Slad', 'Stroud', 'GL6 7QD'],
    ]);
    const csv = path.join(dir, 'addresses.csv');
    await writeFile(csv, file.replace('Flat 2', 'Flat 3'));
    expect((await addressImport(db(), [csv])).out[0]).toContain('Imported 2 addresses');
    expect(
      (
        await db()
          .selectFrom('addresses')
          .select('saon')
          .where('uprn', '=', '100120000001')
          .executeTakeFirst()
      )?.saon,
    ).toBe('Flat 3');
  });
});
