import { sql } from 'kysely';
import type { Db } from '../../../../platform/db/database.js';
import type { PetitionFlagRow, PetitionRow } from '../../db/tables.js';

/** The rules a body's petitions get when it has set none. */
export const DEFAULT_SETTINGS = {
  duration_months: 6,
  response_threshold: 100,
  debate_threshold: 1000,
} as const;

/** A body's rules for new petitions: its own, or the defaults. */
export async function petitionSettings(
  db: Db,
  organisationId: string,
): Promise<{ duration_months: number; response_threshold: number; debate_threshold: number }> {
  const row = await db
    .selectFrom('petition_settings')
    .select(['duration_months', 'response_threshold', 'debate_threshold'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row ?? { ...DEFAULT_SETTINGS };
}

/** One petition by id (any state; the caller checks who may see it), or undefined. */
export async function findPetition(db: Db, id: string): Promise<PetitionRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Published petitions, newest first: open ones (now before their closing instant) or closed
 * ones. For the public list and the open data.
 */
export async function listPublishedPetitions(
  db: Db,
  which: 'open' | 'closed' | 'all',
  now: Date,
  options: { organisationId?: string; limit?: number; offset?: number } = {},
): Promise<PetitionRow[]> {
  let query = db.selectFrom('petitions').selectAll().where('state', '=', 'open');
  if (which === 'open') query = query.where('closes_at', '>', now);
  if (which === 'closed') query = query.where('closes_at', '<=', now);
  if (options.organisationId) query = query.where('organisation_id', '=', options.organisationId);
  return query
    .orderBy('published_at', 'desc')
    .orderBy('id')
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0)
    .execute();
}

/** The petitions one person started, newest first, whatever their state. */
export async function petitionsStartedBy(db: Db, userId: string): Promise<PetitionRow[]> {
  return db
    .selectFrom('petitions')
    .selectAll()
    .where('created_by', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** A body's petitions for its staff: pending (held ones first), then the published ones. */
export async function staffPetitions(db: Db, organisationId: string): Promise<PetitionRow[]> {
  return db
    .selectFrom('petitions')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('state', '<>', 'rejected')
    .orderBy(sql`case when state = 'pending' then 0 else 1 end`)
    .orderBy(sql`cardinality(held_reasons)`, 'desc')
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
}

/** Counted signatures (confirmed, not struck) per postcode district, largest first. */
export async function districtCounts(
  db: Db,
  petitionId: string,
): Promise<{ district: string; count: number }[]> {
  const rows = await db
    .selectFrom('petition_signatures')
    .select(['district', (eb) => eb.fn.countAll<string>().as('count')])
    .where('petition_id', '=', petitionId)
    .where('confirmed_at', 'is not', null)
    .where('struck_at', 'is', null)
    .groupBy('district')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('district')
    .execute();
  return rows.map((r) => ({ district: r.district, count: Number(r.count) }));
}

/** Bulk-signing flags of a body's petitions waiting for review, oldest first. */
export async function openFlags(
  db: Db,
  organisationId: string,
): Promise<(PetitionFlagRow & { title: string; signatures: number })[]> {
  const rows = await db
    .selectFrom('petition_flags')
    .innerJoin('petitions', 'petitions.id', 'petition_flags.petition_id')
    .selectAll('petition_flags')
    .select('petitions.title')
    .select((eb) =>
      eb
        .selectFrom('petition_signatures')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('petition_signatures.petition_id', '=', 'petition_flags.petition_id')
        .whereRef('petition_signatures.ip_address', '=', 'petition_flags.ip_address')
        .where('petition_signatures.struck_at', 'is', null)
        .as('signatures'),
    )
    .where('petitions.organisation_id', '=', organisationId)
    .where('petition_flags.reviewed_at', 'is', null)
    .orderBy('petition_flags.first_at')
    .execute();
  return rows.map((r) => ({ ...r, signatures: Number(r.signatures ?? 0) }));
}

/** One flag by id with its petition's body, for the review. */
export async function findFlag(
  db: Db,
  id: string,
): Promise<(PetitionFlagRow & { organisation_id: string }) | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return db
    .selectFrom('petition_flags')
    .innerJoin('petitions', 'petitions.id', 'petition_flags.petition_id')
    .selectAll('petition_flags')
    .select('petitions.organisation_id')
    .where('petition_flags.id', '=', id)
    .executeTakeFirst();
}

/** The signatures of a petition, for its body's staff (personal data: the caller audits). */
export async function signaturesOf(db: Db, petitionId: string, limit = 500) {
  return db
    .selectFrom('petition_signatures')
    .select([
      'id',
      'name',
      'email',
      'postcode',
      'ip_address',
      'user_id',
      'created_at',
      'confirmed_at',
      'struck_at',
    ])
    .where('petition_id', '=', petitionId)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}
