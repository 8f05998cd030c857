/**
 * A generated ONS Postcode Directory for bench/front-door.ts: N unit postcodes in ONSPD's CSV
 * format (every column of the ONSPD user guide, quoted the way the ONS quotes them, sorted by
 * postcode like the real file), spread over the real GSS codes of England's districts,
 * unitaries, metropolitan districts and London boroughs, Wales's principal areas, Scotland's
 * councils and Northern Ireland's districts, with the real two-tier pairs of district and county.
 * About a third of the postcodes are terminated (as in the real file, which keeps every
 * postcode ever used), about 1% are non-geographic (PO boxes: no grid reference), some are large
 * users, and one sector in forty straddles two councils. The postcodes are well-formed and
 * look real, but a generated postcode may not exist or may lie elsewhere in real life.
 *
 * The file is written as it is generated, a few thousand rows at a time: 2.7 million rows never
 * sit in memory.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { seededRandom } from '../../src/platform/demo/random.js';
import { projectPath } from '../../src/platform/paths.js';

/** The columns of ONSPD (ONSPD user guide; /work/shared/data/ons/onspd_schema.json), in order. */
// prettier-ignore
export const ONSPD_COLUMNS = [
  'pcd', 'pcd2', 'pcds', 'dointr', 'doterm', 'oscty', 'ced', 'oslaua', 'osward', 'parish',
  'usertype', 'oseast1m', 'osnrth1m', 'osgrdind', 'oshlthau', 'nhser', 'ctry', 'rgn', 'streg',
  'pcon', 'eer', 'teclec', 'ttwa', 'pct', 'nuts', 'statsward', 'oa01', 'casward', 'park',
  'lsoa01', 'msoa01', 'ur01ind', 'oac01', 'oa11', 'lsoa11', 'msoa11', 'wz11', 'ccg', 'bua22',
  'ru11ind', 'oac11', 'lat', 'long', 'lep1', 'lep2', 'pfa', 'imd', 'calncv', 'icb', 'oa21',
  'lsoa21', 'msoa21', 'ru21ind',
] as const;
type Column = (typeof ONSPD_COLUMNS)[number];

/** Columns the ONS writes as bare numbers; every other value is quoted. */
const NUMERIC = new Set<Column>([
  'usertype',
  'oseast1m',
  'osnrth1m',
  'osgrdind',
  'lat',
  'long',
  'imd',
]);

type Country = 'E' | 'W' | 'S' | 'N';

/** A local authority that postcodes lie in: its GSS code, its ONS name and its county, if two-tier. */
export interface Authority {
  gss: string;
  name: string;
  country: Country;
  /** The county of a two-tier district (E07), else null. */
  countyGss: string | null;
}

/** The county each range of E07 district codes belongs to (ONS allocates the codes county by county). */
const TWO_TIER: [from: number, to: number, county: string][] = [
  [8, 12, 'E10000003'], // Cambridgeshire
  [32, 39, 'E10000007'], // Derbyshire
  [40, 47, 'E10000008'], // Devon
  [61, 65, 'E10000011'], // East Sussex
  [66, 77, 'E10000012'], // Essex
  [78, 83, 'E10000013'], // Gloucestershire
  [84, 94, 'E10000014'], // Hampshire
  [95, 103, 'E10000015'], // Hertfordshire
  [105, 116, 'E10000016'], // Kent
  [117, 128, 'E10000017'], // Lancashire
  [129, 135, 'E10000018'], // Leicestershire
  [136, 142, 'E10000019'], // Lincolnshire
  [143, 149, 'E10000020'], // Norfolk
  [170, 176, 'E10000024'], // Nottinghamshire
  [177, 181, 'E10000025'], // Oxfordshire
  [192, 199, 'E10000028'], // Staffordshire
  [200, 203, 'E10000029'], // Suffolk
  [207, 217, 'E10000030'], // Surrey
  [218, 222, 'E10000031'], // Warwickshire
  [223, 229, 'E10000032'], // West Sussex
  [234, 239, 'E10000034'], // Worcestershire
  [240, 243, 'E10000015'], // Hertfordshire (codes re-issued in 2020)
  [244, 245, 'E10000029'], // Suffolk (East and West Suffolk, 2019)
];

/** The county of an E07 district code, or null when the code is not in a known two-tier range. */
export function countyOf(districtGss: string): string | null {
  if (!districtGss.startsWith('E07')) return null;
  const n = Number(districtGss.slice(3));
  return TWO_TIER.find(([from, to]) => n >= from && n <= to)?.[2] ?? null;
}

/** The real ONS code lists the organisations module checks GSS codes against. */
export function loadAreas(): { authorities: Authority[]; counties: Map<string, string> } {
  const read = (name: string) =>
    JSON.parse(
      readFileSync(projectPath('reference-data', 'ons', `${name}.json`), 'utf8'),
    ) as Record<string, string>;
  const districts = read('districts');
  const allCounties = read('counties');
  const authorities: Authority[] = [];
  for (const [gss, name] of Object.entries(districts).sort(([a], [b]) => a.localeCompare(b))) {
    // E06 unitary, E07 district, E08 metropolitan district, E09 London borough, W06, S12, N09.
    if (!/^(E0[6-9]|W06|S12|N09)\d{6}$/.test(gss)) continue;
    const countyGss = countyOf(gss);
    // An E07 district outside the known ranges would be a two-tier area without a county: leave it out.
    if (gss.startsWith('E07') && !countyGss) continue;
    // A council re-coded after a boundary change (Barnsley, Sheffield) is listed under both codes:
    // keep the later one.
    const earlier = authorities.findIndex((a) => a.name === name);
    if (earlier >= 0) authorities.splice(earlier, 1);
    authorities.push({ gss, name, country: gss[0] as Country, countyGss });
  }
  const used = new Set(authorities.map((a) => a.countyGss).filter(Boolean));
  const counties = new Map(Object.entries(allCounties).filter(([gss]) => used.has(gss)));
  return { authorities, counties };
}

/** Postcode areas by the authorities they are given to (London boroughs get London's areas). */
const AREAS = {
  london: 'BR CR DA E EC EN HA IG KT N NW RM SE SM SW TW UB W WC',
  england:
    'AL B BA BB BD BH BL BN BS CA CB CH CM CO CT CV CW DE DH DL DN DT DY EX FY GL GU HD HG HP HR ' +
    'HU HX IP L LA LE LN LS LU M ME MK NE NG NN NR OL OX PE PL PO PR RG RH S SG SK SL SN SO SP ' +
    'SR SS ST TA TF TN TQ TR TS WA WD WF WN WR WS WV YO',
  wales: 'CF LD LL NP SA',
  scotland: 'AB DD DG EH FK G HS IV KA KW KY ML PA PH TD ZE',
  ni: 'BT',
};
type Group = keyof typeof AREAS;

function groupOf(authority: Authority): Group {
  if (authority.gss.startsWith('E09')) return 'london';
  return ({ E: 'england', W: 'wales', S: 'scotland', N: 'ni' } as const)[authority.country];
}

/** Rough latitude and longitude bounds of each group's postcodes. */
const BOUNDS: Record<Group, [lat: number, lat2: number, long: number, long2: number]> = {
  london: [51.3, 51.68, -0.5, 0.3],
  england: [50.1, 55.7, -5.6, 1.7],
  wales: [51.4, 53.4, -5.2, -2.7],
  scotland: [54.7, 60.8, -7.5, -1.0],
  ni: [54.0, 55.3, -8.1, -5.4],
};

const COUNTRY_GSS: Record<Country, string> = {
  E: 'E92000001',
  W: 'W92000004',
  S: 'S92000003',
  N: 'N92000002',
};

/** The letters of an inward code's unit (Royal Mail never uses C, I, K, M, O or V there). */
const UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
/** The 400 units a sector can have, in order (AA, AB, AD …); a sector of n uses n spread evenly. */
const UNITS = Array.from(
  { length: 400 },
  (_, n) => `${UNIT_LETTERS[Math.floor(n / 20)]}${UNIT_LETTERS[n % 20]}`,
);

/** A number as a fixed-width run of digits. */
function digits(n: number, width: number): string {
  return String(Math.abs(Math.floor(n)) % 10 ** width).padStart(width, '0');
}

/** One postcode district ('GL5') and the authority most of its postcodes lie in. */
interface PostcodeDistrict {
  area: string;
  number: number;
  authority: Authority;
  /** Index among the authority's own postcode districts. */
  nth: number;
  group: Group;
  centre: [lat: number, long: number];
}

/**
 * Which postcode districts there are and whose they are: enough districts that every
 * authority has some and a sector holds about 200 postcodes on average (the real ONSPD has
 * ~2.7 million postcodes in ~12,000 sectors), dealt out to the authorities in turn, each
 * authority's taken from its group's postcode areas.
 */
function postcodeDistricts(authorities: Authority[], total: number): PostcodeDistrict[] {
  const wanted = Math.max(
    1,
    Math.min(Math.max(Math.ceil(total / 2000), authorities.length), Math.floor(total / 10)),
  );
  const byGroup = new Map<Group, number>();
  const nth = new Map<string, number>();
  const draw = seededRandom(20250101);
  const districts: PostcodeDistrict[] = [];
  for (let d = 0; d < wanted; d++) {
    const authority = authorities[d % authorities.length]!;
    const group = groupOf(authority);
    const areas = AREAS[group].split(' ');
    const index = byGroup.get(group) ?? 0;
    byGroup.set(group, index + 1);
    const number = Math.floor(index / areas.length) + 1;
    if (number > 99)
      throw new Error(
        `${total} postcodes need more than 99 postcode districts in an area: ask for fewer`,
      );
    const [lat, lat2, long, long2] = BOUNDS[group];
    const n = nth.get(authority.gss) ?? 0;
    nth.set(authority.gss, n + 1);
    districts.push({
      area: areas[index % areas.length]!,
      number,
      authority,
      nth: n,
      group,
      centre: [lat + draw() * (lat2 - lat), long + draw() * (long2 - long)],
    });
  }
  // Sorted like the real file (by pcd): area, then district number.
  return districts.sort((a, b) => a.area.localeCompare(b.area) || a.number - b.number);
}

/** What the generator wrote, and a sample of postcodes to look up. */
export interface GeneratedOnspd {
  rows: number;
  live: number;
  terminated: number;
  nonGeographic: number;
  /** Sectors whose postcodes lie in two councils. */
  boundarySectors: number;
  postcodeDistricts: number;
  bytes: number;
  /** Live, geographic postcodes, sampled evenly over the file, with their district's GSS code. */
  sample: { postcode: string; districtGss: string; countyGss: string | null }[];
}

/**
 * Writes `total` postcodes as an ONSPD CSV to `file`, streaming, and returns what it wrote and a
 * sample of up to `sampleSize` live geographic postcodes for the look-ups.
 */
export async function writeOnspd(
  file: string,
  authorities: Authority[],
  total: number,
  sampleSize: number,
): Promise<GeneratedOnspd> {
  const districts = postcodeDistricts(authorities, total);
  const sectors = districts.length * 10;
  // Units per sector: on average total ÷ sectors, varied in pairs (+d, −d) so the sum stays exact.
  const base = Math.floor(total / sectors);
  const remainder = total - base * sectors;
  const spread = Math.max(0, Math.min(Math.floor(base / 2), 400 - base - 1));
  const draw = seededRandom(42);
  const report: GeneratedOnspd = {
    rows: 0,
    live: 0,
    terminated: 0,
    nonGeographic: 0,
    boundarySectors: 0,
    postcodeDistricts: districts.length,
    bytes: 0,
    sample: [],
  };
  let seenLive = 0;
  const header = `${ONSPD_COLUMNS.map((c) => `"${c}"`).join(',')}\r\n`;

  function* lines(): Generator<string> {
    yield header;
    let sectorIndex = 0;
    let jitter = 0;
    for (const [d, district] of districts.entries()) {
      const { authority } = district;
      const outward = `${district.area}${district.number}`;
      // The next district's authority, for sectors that straddle a boundary (same group only).
      const next = districts[d + 1];
      const neighbour = next && next.group === district.group ? next.authority : undefined;
      const constant = template(areaColumns(authority, district));
      let chunk: string[] = [];
      for (let digit = 0; digit < 10; digit++, sectorIndex++) {
        if (sectorIndex % 2 === 0) jitter = Math.floor(draw() * (spread + 1));
        const units =
          base + (sectorIndex % 2 === 0 ? jitter : -jitter) + (sectorIndex < remainder ? 1 : 0);
        const straddles =
          neighbour !== undefined && neighbour.gss !== authority.gss && sectorIndex % 40 === 7;
        if (straddles) report.boundarySectors++;
        const other = straddles ? template(areaColumns(neighbour, district)) : constant;
        const firstOther = Math.ceil(units * 0.75);
        for (let u = 0; u < units; u++) {
          const inward = `${digit}${UNITS[Math.floor((u * 400) / units)]!}`;
          const inOther = straddles && u >= firstOther;
          const area = inOther ? other : constant;
          const row = postcodeRow(outward, inward, area, district, draw);
          report.rows++;
          if (row.terminated) report.terminated++;
          else if (!row.geographic) report.nonGeographic++;
          else {
            report.live++;
            // Reservoir sampling: every live geographic postcode equally likely to be chosen.
            seenLive++;
            const entry = {
              postcode: row.postcode,
              districtGss: (inOther ? neighbour! : authority).gss,
              countyGss: (inOther ? neighbour! : authority).countyGss,
            };
            if (report.sample.length < sampleSize) report.sample.push(entry);
            else {
              const j = Math.floor(draw() * seenLive);
              if (j < sampleSize) report.sample[j] = entry;
            }
          }
          chunk.push(row.line);
        }
        if (chunk.length >= 2000) {
          const text = chunk.join('');
          report.bytes += Buffer.byteLength(text);
          yield text;
          chunk = [];
        }
      }
      if (chunk.length > 0) {
        const text = chunk.join('');
        report.bytes += Buffer.byteLength(text);
        yield text;
      }
    }
  }

  await pipeline(Readable.from(lines()), createWriteStream(file));
  report.bytes += Buffer.byteLength(header);
  return report;
}

/** The columns that are the same for every postcode of one authority in one postcode district. */
type AreaColumns = Partial<Record<Column, string>>;

/** A pseudo-code: what ONSPD writes for "no such area here" (E99999999). */
function none(country: Country): string {
  return `${country}99999999`;
}

function areaColumns(authority: Authority, district: PostcodeDistrict): AreaColumns {
  const c = authority.country;
  const code = Number(authority.gss.slice(3));
  const local = (prefix: string, offset: number) =>
    `${c}${prefix}${digits(offset + code * 50 + district.nth, 6)}`;
  const england = c === 'E';
  const regionNumber = authority.gss.startsWith('E09') ? 7 : 1 + ((code * 7) % 9);
  return {
    oscty: authority.countyGss ?? none(c),
    ced: authority.countyGss ? `E58${digits(1000 + code * 8 + (district.nth % 8), 6)}` : none(c),
    oslaua: authority.gss,
    osward: local('05', 10000),
    parish: england
      ? district.nth % 3 === 0
        ? `E43${digits(code, 6)}`
        : local('04', 5000)
      : c === 'W'
        ? local('04', 300)
        : none(c),
    oshlthau: england ? `E18${digits(code % 10, 6)}` : `${c}08${digits(code % 20, 6)}`,
    nhser: england ? `E40${digits(code % 7, 6)}` : none(c),
    ctry: COUNTRY_GSS[c],
    rgn: england ? `E12${digits(regionNumber, 6)}` : none(c),
    streg: String(regionNumber),
    pcon: `${c}14${digits(1000 + code * 2 + (district.nth % 2), 6)}`,
    eer: `${c}15${digits(regionNumber, 6)}`,
    teclec: `${c}24${digits(code % 47, 6)}`,
    ttwa: `${c}30${digits(code % 228, 6)}`,
    pct: `${c}16${digits(code % 152, 6)}`,
    nuts: local('05', 10000),
    statsward: `${digits(code, 2)}${'ABCDEFGH'[code % 8]}${'ABCDEFGH'[district.nth % 8]}FA`,
    casward: `${digits(code, 2)}${'ABCDEFGH'[code % 8]}${'ABCDEFGH'[district.nth % 8]}FA`,
    park: none(c),
    ur01ind: String(1 + (district.nth % 8)),
    oac01: `${1 + (code % 7)}${'ABC'[district.nth % 3]}${1 + (code % 3)}`,
    ccg: england ? `E38${digits(code % 106, 6)}` : `${c}11${digits(code % 14, 6)}`,
    bua22: england ? `E63${digits(code * 3 + district.nth, 6)}` : none(c),
    ru11ind: `${'ABCDE'[district.nth % 5]}1`,
    oac11: `${1 + (code % 8)}${'ABC'[district.nth % 3]}${1 + (code % 3)}`,
    lep1: england ? `E37${digits(code % 38, 6)}` : none(c),
    lep2: none(c),
    pfa: `${c}23${digits(code % 43, 6)}`,
    calncv: england ? `E56${digits(code % 21, 6)}` : none(c),
    icb: england ? `E54${digits(code % 42, 6)}` : none(c),
    ru21ind: `${['UN1', 'UF1', 'RSN', 'RLF'][district.nth % 4]}`,
  };
}

const YEARS_OF_INTRODUCTION = Array.from({ length: 45 }, (_, i) => 1980 + i);

/** Where each column sits in a line. */
const AT = Object.fromEntries(ONSPD_COLUMNS.map((c, i) => [c, i])) as Record<Column, number>;

function quoted(column: Column, value: string): string {
  return NUMERIC.has(column) || value === '' ? value : `"${value}"`;
}

/** An area's line with its columns filled in and quoted, for each postcode to copy and complete. */
type Template = { fields: string[]; country: Country };

function template(area: AreaColumns): Template {
  return {
    fields: ONSPD_COLUMNS.map((column) => quoted(column, area[column] ?? '')),
    country: area.ctry!.charAt(0) as Country,
  };
}

/** One postcode's line: the per-postcode columns generated, the rest copied from its area's. */
function postcodeRow(
  outward: string,
  inward: string,
  area: Template,
  district: PostcodeDistrict,
  draw: () => number,
): { postcode: string; line: string; terminated: boolean; geographic: boolean } {
  const postcode = `${outward} ${inward}`;
  const introducedYear = YEARS_OF_INTRODUCTION[Math.floor(draw() * YEARS_OF_INTRODUCTION.length)]!;
  const month = 1 + Math.floor(draw() * 12);
  const terminated = draw() < 0.32;
  const geographic = draw() >= 0.01;
  const large = draw() < 0.07;
  const lat = district.centre[0] + (draw() - 0.5) * 0.08;
  const long = district.centre[1] + (draw() - 0.5) * 0.12;
  const termYear = introducedYear + 1 + Math.floor(draw() * Math.max(1, 2024 - introducedYear));
  const small = Math.floor(draw() * 1_000_000);
  const c = area.country;
  const f = area.fields.slice();
  f[AT.pcd] = `"${outward.padEnd(4)}${inward}"`;
  f[AT.pcd2] = `"${outward.padEnd(5)}${inward}"`;
  f[AT.pcds] = `"${postcode}"`;
  f[AT.dointr] = `"${introducedYear}${digits(month, 2)}"`;
  f[AT.doterm] = terminated ? `"${Math.min(termYear, 2024)}${digits(1 + (small % 12), 2)}"` : '';
  f[AT.usertype] = large ? '1' : '0';
  f[AT.oseast1m] = geographic ? String(Math.round(400000 + (long + 2) * 69000)) : '';
  f[AT.osnrth1m] = geographic ? digits(Math.round((lat - 49.77) * 111000), 7) : '';
  f[AT.osgrdind] = geographic ? '1' : '9';
  f[AT.oa01] = `"${c}00${digits(small, 6)}"`;
  f[AT.lsoa01] = `"${c}01${digits(small / 8, 6)}"`;
  f[AT.msoa01] = `"${c}02${digits(small / 40, 6)}"`;
  f[AT.oa11] = `"${c}00${digits(small + 7, 6)}"`;
  f[AT.lsoa11] = `"${c}01${digits(small / 8 + 3, 6)}"`;
  f[AT.msoa11] = `"${c}02${digits(small / 40 + 1, 6)}"`;
  f[AT.wz11] = `"${c}33${digits(small / 3, 6)}"`;
  f[AT.lat] = geographic ? lat.toFixed(6) : '99.999999';
  f[AT.long] = geographic ? long.toFixed(6) : '0.000000';
  f[AT.imd] = String(1 + (small % 32844));
  f[AT.oa21] = `"${c}00${digits(small + 11, 6)}"`;
  f[AT.lsoa21] = `"${c}01${digits(small / 8 + 5, 6)}"`;
  f[AT.msoa21] = `"${c}02${digits(small / 40 + 2, 6)}"`;
  return { postcode, line: `${f.join(',')}\r\n`, terminated, geographic };
}
