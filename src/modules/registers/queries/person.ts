import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';

/** What a register holds about a matched person, as identity keeps it for single sign-on. */
export interface MatchedPersonDetails {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  addressLine1: string;
  addressLine2: string | null;
  town: string;
  postcode: string;
}

/**
 * The name, date of birth and address a body's register holds for a person `matchPerson`
 * matched (by its opaque reference). It exists for one caller: the identity module, which
 * keeps the identity a person proved at P2 so single sign-on can release it. The National
 * Insurance number is never given out.
 *
 * @example const details = await matchedPersonDetails(trx, holder.id, result.personId);
 */
export async function matchedPersonDetails(
  db: Db,
  heldBy: string,
  personId: string,
): Promise<MatchedPersonDetails | undefined> {
  const row = await db
    .selectFrom('register_people')
    .select([
      'given_name',
      'family_name',
      sql<string>`to_char(date_of_birth, 'YYYY-MM-DD')`.as('date_of_birth'),
      'address_line1',
      'address_line2',
      'town',
      'postcode',
    ])
    .where('held_by', '=', heldBy)
    .where('id', '=', personId)
    .executeTakeFirst();
  return row
    ? {
        givenName: row.given_name,
        familyName: row.family_name,
        dateOfBirth: row.date_of_birth,
        addressLine1: row.address_line1,
        addressLine2: row.address_line2,
        town: row.town,
        postcode: row.postcode,
      }
    : undefined;
}
