import type { Db } from '../../../platform/db/database.js';
import type { RegisterPerson } from '../demo/generator.js';
import { normalisePostcode } from '../names.js';
import { normaliseNino } from '../nino.js';

/**
 * Adds people to the register a public body holds, in batches (the caller opens the
 * transaction). Numbers and postcodes are stored in their standard forms so matching is exact.
 *
 * @example await loadRegister(trx, dwp.id, demoRegisterPeople());
 */
export async function loadRegister(
  db: Db,
  heldBy: string,
  people: readonly RegisterPerson[],
): Promise<number> {
  const BATCH = 1000; // 9 parameters a row: well under PostgreSQL's 65,535
  for (let start = 0; start < people.length; start += BATCH) {
    await db
      .insertInto('register_people')
      .values(
        people.slice(start, start + BATCH).map((p) => {
          const nino = normaliseNino(p.nino);
          const postcode = normalisePostcode(p.postcode);
          if (!nino || !postcode) throw new Error(`Register entry with bad facts: ${p.givenName}`);
          return {
            held_by: heldBy,
            nino,
            given_name: p.givenName,
            family_name: p.familyName,
            date_of_birth: p.dateOfBirth,
            postcode,
            address_line1: p.addressLine1,
            address_line2: p.addressLine2,
            town: p.town,
          };
        }),
      )
      .execute();
  }
  return people.length;
}
