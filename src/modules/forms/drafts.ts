import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { Answers } from './definition.js';
import type { FormDraftRow } from './db/tables.js';

/** The agent changing a client's draft while acting for them: recorded on the draft. */
export interface DraftAgent {
  userId: string;
  businessId: string;
}

/**
 * A person's unfinished application to one service: kept in the database, so any node can
 * continue it. An agent acting for a client passes the client's id, and so continues the
 * client's draft.
 */
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

/**
 * Merges one page's answers into the draft, creating it on the first page. `agent` is set
 * when an agent acting for the person (userId) answers; the person answering themselves
 * clears it, so the columns name whoever changed the draft last.
 */
export async function saveAnswers(
  db: Db,
  userId: string,
  serviceId: string,
  answers: Answers,
  agent: DraftAgent | null = null,
): Promise<void> {
  await db
    .insertInto('form_drafts')
    .values({
      user_id: userId,
      service_id: serviceId,
      answers: JSON.stringify(answers),
      agent_user_id: agent?.userId ?? null,
      agent_business_id: agent?.businessId ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['user_id', 'service_id']).doUpdateSet({
        answers: sql`form_drafts.answers || excluded.answers`,
        agent_user_id: sql`excluded.agent_user_id`,
        agent_business_id: sql`excluded.agent_business_id`,
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

/**
 * The client's draft for this service that this agent changed last, if any: lets a refusal page
 * name the client the agent was acting for without naming anyone the agent never acted for.
 */
export async function findDraftByAgent(
  db: Db,
  agentUserId: string,
  clientUserId: string,
  serviceId: string,
): Promise<FormDraftRow | undefined> {
  return db
    .selectFrom('form_drafts')
    .selectAll()
    .where('user_id', '=', clientUserId)
    .where('service_id', '=', serviceId)
    .where('agent_user_id', '=', agentUserId)
    .executeTakeFirst();
}

export async function deleteDraft(trx: Db, draftId: string): Promise<void> {
  await trx.deleteFrom('form_drafts').where('id', '=', draftId).execute();
}

/** Every unfinished application of a person, for when they delete their account. */
export async function deleteDraftsOf(trx: Db, userId: string): Promise<void> {
  await trx.deleteFrom('form_drafts').where('user_id', '=', userId).execute();
}
