import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { Answers } from './definition.js';
import type { FormDraftRow } from './db/tables.js';

/** A person's unfinished application to one service: kept in the database, so any node can continue it. */
export async function findDraft(
  db: Db,
  userId: string,
  serviceId: string,
): Promise<FormDraftRow | undefined> {
  return db
    .selectFrom('form_drafts')
    .selectAll()
    .where('user_id', '=', userId)
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
}

/** Merges one page's answers into the draft, creating it on the first page. */
export async function saveAnswers(
  db: Db,
  userId: string,
  serviceId: string,
  answers: Answers,
): Promise<void> {
  await db
    .insertInto('form_drafts')
    .values({ user_id: userId, service_id: serviceId, answers: JSON.stringify(answers) })
    .onConflict((oc) =>
      oc.columns(['user_id', 'service_id']).doUpdateSet({
        answers: sql`form_drafts.answers || excluded.answers`,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

/** Locks the draft for submitting, so a double-click waits for the first click's transaction. */
export async function lockDraft(
  trx: Db,
  draftId: string,
  userId: string,
): Promise<FormDraftRow | undefined> {
  return trx
    .selectFrom('form_drafts')
    .selectAll()
    .where('id', '=', draftId)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

export async function deleteDraft(trx: Db, draftId: string): Promise<void> {
  await trx.deleteFrom('form_drafts').where('id', '=', draftId).execute();
}

/** Every unfinished application of a person, for when they delete their account. */
export async function deleteDraftsOf(trx: Db, userId: string): Promise<void> {
  await trx.deleteFrom('form_drafts').where('user_id', '=', userId).execute();
}
