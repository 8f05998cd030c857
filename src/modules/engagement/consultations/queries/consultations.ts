import type { Db } from '../../../../platform/db/database.js';
import type {
  ConsultationResponseRow,
  ConsultationRow,
  ConsultationThemeRow,
} from '../../db/consultation-tables.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

/** One consultation, or undefined (also for an id that is not a uuid). */
export async function findConsultation(db: Db, id: string): Promise<ConsultationRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every published consultation, newest closing day first. */
export async function listConsultations(
  db: Db,
  organisationId?: string,
): Promise<ConsultationRow[]> {
  let query = db.selectFrom('consultations').selectAll();
  if (organisationId) query = query.where('organisation_id', '=', organisationId);
  return query.orderBy('closes_on', 'desc').orderBy('published_at', 'desc').limit(200).execute();
}

/** A response by its draft token's hash, within one consultation. */
export async function findResponseByToken(
  db: Db,
  consultationId: string,
  tokenHash: string,
): Promise<ConsultationResponseRow | undefined> {
  return db
    .selectFrom('consultation_responses')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * The sent responses to a consultation, oldest first: those that count (not held for
 * moderation), or with `held` those waiting for a moderator.
 */
export async function submittedResponses(
  db: Db,
  consultationId: string,
  held = false,
): Promise<ConsultationResponseRow[]> {
  return db
    .selectFrom('consultation_responses')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('submitted_at', 'is not', null)
    .where('held', '=', held)
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
}

/** One sent response to a consultation, by its id, or undefined. */
export async function findSubmittedResponse(
  db: Db,
  consultationId: string,
  id: string,
): Promise<ConsultationResponseRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('consultation_responses')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('id', '=', id)
    .where('submitted_at', 'is not', null)
    .executeTakeFirst();
}

/** How many sent responses wait for a moderator. */
export async function heldCount(db: Db, consultationId: string): Promise<number> {
  const row = await db
    .selectFrom('consultation_responses')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('consultation_id', '=', consultationId)
    .where('submitted_at', 'is not', null)
    .where('held', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A consultation's themes, in the order they were added. */
export async function themesOf(db: Db, consultationId: string): Promise<ConsultationThemeRow[]> {
  return db
    .selectFrom('consultation_themes')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .orderBy('created_at')
    .orderBy('name')
    .execute();
}

/** The themes of each tagged answer of some responses, keyed `<response id>:<question index>`. */
export async function answerThemes(
  db: Db,
  responseIds: readonly string[],
): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>();
  if (responseIds.length === 0) return tags;
  const rows = await db
    .selectFrom('consultation_answer_themes')
    .select(['response_id', 'question_index', 'theme_id'])
    .where('response_id', 'in', [...responseIds])
    .execute();
  for (const row of rows) {
    const key = `${row.response_id}:${row.question_index}`;
    tags.set(key, [...(tags.get(key) ?? []), row.theme_id]);
  }
  return tags;
}
