import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import { normaliseName, normalisePostcode } from '../names.js';
import { normaliseNino } from '../nino.js';

/** What a person tells a public body about themselves, to be matched against its register. */
export interface KnownFacts {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  nino: string;
  postcode: string;
}

/** A match gives only an opaque reference to the record, never the record. */
export type MatchResult = { matched: true; personId: string } | { matched: false };

/**
 * Matches known facts against the register a public body holds: every fact must agree. Names
 * ignore case, spaces and accents; the number and postcode ignore case and spacing. The caller
 * learns only whether they matched (and an opaque reference), never what the register holds.
 *
 * @example const result = await matchPerson(db, { heldBy: dwp.id, givenName: 'Sam', … });
 */
export async function matchPerson(
  db: Db,
  facts: KnownFacts & { heldBy: string },
): Promise<MatchResult> {
  const nino = normaliseNino(facts.nino);
  const postcode = normalisePostcode(facts.postcode);
  if (!nino || !postcode || !/^\d{4}-\d{2}-\d{2}$/.test(facts.dateOfBirth))
    return { matched: false };
  const candidate = await db
    .selectFrom('register_people')
    .select(['id', 'given_name', 'family_name'])
    .where('held_by', '=', facts.heldBy)
    .where('nino', '=', nino)
    .where('postcode', '=', postcode)
    .where('date_of_birth', '=', sql<Date>`${facts.dateOfBirth}::date`)
    .executeTakeFirst();
  if (
    candidate &&
    normaliseName(candidate.given_name) === normaliseName(facts.givenName) &&
    normaliseName(candidate.family_name) === normaliseName(facts.familyName)
  ) {
    return { matched: true, personId: candidate.id };
  }
  return { matched: false };
}

/** How many people a body's register holds (for the demo's start-up listing and tests). */
export async function countRegisterPeople(db: Db, heldBy: string): Promise<number> {
  const row = await db
    .selectFrom('register_people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('held_by', '=', heldBy)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
