import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { AddressRow, PostcodeAreaRow } from '../db/tables.js';

/** The ONS Postcode Directory's row for a postcode in standard form ('GL5 4UB'). */
export async function findPostcodeArea(
  db: Db,
  postcode: string,
): Promise<PostcodeAreaRow | undefined> {
  return db
    .selectFrom('postcode_areas')
    .selectAll()
    .where('postcode', '=', postcode)
    .executeTakeFirst();
}

/**
 * The ONS Postcode Directory's rows for many postcodes in standard form at once, by postcode;
 * postcodes not in the directory are missing from the map.
 *
 * @example (await findPostcodeAreas(db, ['GL5 4UB', 'BS1 6AG'])).get('GL5 4UB')?.latitude
 */
export async function findPostcodeAreas(
  db: Db,
  postcodes: readonly string[],
): Promise<Map<string, PostcodeAreaRow>> {
  if (postcodes.length === 0) return new Map();
  const rows = await db
    .selectFrom('postcode_areas')
    .selectAll()
    .where('postcode', 'in', [...new Set(postcodes)])
    .execute();
  return new Map(rows.map((row) => [row.postcode, row]));
}

/**
 * The districts (or unitaries) that live postcodes of a sector ('BS16 6') lie in. More than one
 * means the sector straddles a council boundary, so the outward code alone cannot say which
 * council serves an address and the full postcode is needed.
 */
export async function districtsOfSector(db: Db, sector: string): Promise<string[]> {
  const rows = await db
    .selectFrom('postcode_areas')
    .select('district_gss')
    .distinct()
    .where('sector', '=', sector)
    .where('terminated', 'is', null)
    .where('district_gss', 'is not', null)
    .execute();
  return rows.map((r) => r.district_gss!).sort();
}

/** The addresses with a UPRN at a postcode, in the order they would be listed to choose from. */
export async function addressesAtPostcode(db: Db, postcode: string): Promise<AddressRow[]> {
  return db
    .selectFrom('addresses')
    .selectAll()
    .where('postcode', '=', postcode)
    .orderBy('street')
    .orderBy('paon')
    .orderBy('saon', (ob) => ob.asc().nullsFirst())
    .execute();
}

/** An address on one line, BS 7666 parts in order: "Flat 2, 12 High Street, Stroud, GL5 1AA". */
export function formatAddress(address: Omit<AddressRow, 'imported_at' | 'uprn'>): string {
  const building =
    /^\d/.test(address.paon) && address.street
      ? [`${address.paon} ${address.street}`]
      : [address.paon, address.street];
  return [address.saon, ...building, address.locality, address.town, address.postcode]
    .filter(Boolean)
    .join(', ');
}

/** A live postcode near a point, and how far its centre is from the point in metres. */
export interface NearbyPostcode {
  postcode: string;
  latitude: number;
  longitude: number;
  metres: number;
}

/** Great-circle distance in metres between two points given in degrees (haversine). */
export function metresBetween(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The live, geographic postcode whose centre is nearest a point, if one is within `withinMetres`:
 * what a report made with a latitude and longitude is filed under. The index (migration 0027)
 * orders by distance in degrees, which stretches east–west; the few nearest are re-ranked by
 * true distance.
 *
 * @example await nearestPostcode(db, 51.7334, -2.2156) // { postcode: 'GL5 4UB', metres: 3, … }
 */
export async function nearestPostcode(
  db: Db,
  latitude: number,
  longitude: number,
  withinMetres = 2_000,
): Promise<NearbyPostcode | undefined> {
  const rows = await db
    .selectFrom('postcode_areas')
    .select(['postcode', 'latitude', 'longitude'])
    .where('geographic', '=', true)
    .where('terminated', 'is', null)
    .where('latitude', 'is not', null)
    .where('longitude', 'is not', null)
    .orderBy(sql`point(longitude, latitude) <-> point(${longitude}, ${latitude})`)
    .limit(8)
    .execute();
  const ranked = rows
    .map((row) => ({
      postcode: row.postcode,
      latitude: row.latitude!,
      longitude: row.longitude!,
      metres: metresBetween(
        { latitude, longitude },
        { latitude: row.latitude!, longitude: row.longitude! },
      ),
    }))
    .sort((a, b) => a.metres - b.metres);
  const nearest = ranked[0];
  return nearest && nearest.metres <= withinMetres ? nearest : undefined;
}

/** The address with this UPRN, if the address layer has it. */
export async function findAddressByUprn(db: Db, uprn: string): Promise<AddressRow | undefined> {
  if (!/^[0-9]{1,12}$/.test(uprn)) return undefined;
  return db.selectFrom('addresses').selectAll().where('uprn', '=', uprn).executeTakeFirst();
}

/**
 * The councils (district or unitary, and county) whose areas a postcode district ('GL5')
 * reaches: the GSS codes of its live postcodes, read through the sector index.
 *
 * @example await authoritiesOfPostcodeDistrict(db, 'GL5') // ['E07000082', 'E10000013']
 */
export async function authoritiesOfPostcodeDistrict(db: Db, outcode: string): Promise<string[]> {
  if (!/^[A-Z0-9]{2,4}$/.test(outcode)) return [];
  const sectors = Array.from({ length: 10 }, (_, digit) => `${outcode} ${digit}`);
  const rows = await db
    .selectFrom('postcode_areas')
    .select(['district_gss', 'county_gss'])
    .distinct()
    .where('sector', 'in', sectors)
    .where('terminated', 'is', null)
    .execute();
  const codes = new Set<string>();
  for (const row of rows) {
    if (row.district_gss) codes.add(row.district_gss);
    if (row.county_gss) codes.add(row.county_gss);
  }
  return [...codes].sort();
}
