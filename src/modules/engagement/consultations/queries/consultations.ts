import type { Db } from '../../../../platform/db/database.js';
import type { ConsultationResponseRow, ConsultationRow } from '../../db/consultation-tables.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One consultation, or undefined (also for an id that is not a uuid). */
export async function findConsultation(db: Db, id: string): Promise<ConsultationRow | undefined> {
  if (!UUID.test(id)) return undefined;
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

/** The sent responses to a consultation, oldest first. */
export async function submittedResponses(
  db: Db,
  consultationId: string,
): Promise<ConsultationResponseRow[]> {
  return db
    .selectFrom('consultation_responses')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('submitted_at', 'is not', null)
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
}
