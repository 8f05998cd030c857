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
