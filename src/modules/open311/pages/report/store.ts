/**
 * Journeys in progress, kept in `open311_journeys` by an id the browser holds in a signed
 * cookie: nobody needs an account to report a problem, and nothing they typed is kept in the
 * browser. A journey goes when its report is sent, or a day after it was last touched.
 */
import { sql } from 'kysely';
import type { Db } from '../../../../platform/db/database.js';
import { readState, type JourneyState } from './journey.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

/** How long an untouched journey is kept. */
export const JOURNEY_HOURS = 24;

/** The journey's state, if it exists and was touched within the last day. */
export async function loadJourney(
  db: Db,
  id: string | undefined,
): Promise<JourneyState | undefined> {
  if (!id || !isUuid(id)) return undefined;
  const row = await db
    .selectFrom('open311_journeys')
    .select('state')
    .where('id', '=', id)
    .where('updated_at', '>', sql<Date>`now() - make_interval(hours => ${JOURNEY_HOURS})`)
    .executeTakeFirst();
  return row ? readState(row.state) : undefined;
}

/** Stores the state: a new journey (returning its id) or the one with this id. */
export async function saveJourney(
  db: Db,
  id: string | undefined,
  state: JourneyState,
): Promise<string> {
  const json = JSON.stringify(state);
  if (id && isUuid(id)) {
    const updated = await db
      .updateTable('open311_journeys')
      .set({ state: json, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (updated) return updated.id;
  }
  const created = await db
    .insertInto('open311_journeys')
    .values({ state: json })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

/**
 * Removes a journey; false if it was gone already. Sending deletes it first in the transaction
 * that stores the report, so a second "Send" of the same journey (a double click) waits for the
 * first and then finds nothing to send.
 */
export async function deleteJourney(db: Db, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const result = await db.deleteFrom('open311_journeys').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Removes journeys nobody has touched for a day; returns how many. */
export async function deleteAbandonedJourneys(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('open311_journeys')
    .where('updated_at', '<=', sql<Date>`now() - make_interval(hours => ${JOURNEY_HOURS})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
