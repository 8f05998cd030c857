import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { FormDraftRow } from './db/tables.js';
import type { Answers } from './schema.js';

/** The agent changing a client's draft while acting for them: recorded on the draft. */
export interface DraftAgent {
  userId: string;
  businessId: string;
}

/** The form version a draft is answered on. */
export interface DraftForm {
  key: string;
  version: number;
}

/** How long someone without an account can come back to their answers: 28 days. */
export const RESUME_DAYS = 28;

/** SHA-256 of a draft's secret token: only the hash is kept. */
export function hashDraftToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new secret for an anonymous draft: 256 random bits, URL-safe. */
export function newDraftToken(): string {
  return randomBytes(32).toString('base64url');
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

/** The draft of someone without an account, by the secret token their browser holds. */
export async function findAnonymousDraft(
  db: Db,
  token: string,
  serviceId: string,
): Promise<FormDraftRow | undefined> {
  if (!token || token.length > 100) return undefined;
  return anonymousDrafts(db, token, serviceId).executeTakeFirst();
}

/**
 * The draft an e-mailed "come back later" link opens, while the link is valid (28 days from
 * when it was sent).
 */
export async function findDraftByResumeToken(
  db: Db,
  token: string,
  serviceId: string,
): Promise<FormDraftRow | undefined> {
  if (!token || token.length > 100) return undefined;
  return anonymousDrafts(db, token, serviceId)
    .where('resume_expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

/** The query for the draft without an account that this token (the browser's or a link's) opens. */
function anonymousDrafts(db: Db, token: string, serviceId: string) {
  return db
    .selectFrom('form_drafts')
    .selectAll()
    .where('token_hash', '=', hashDraftToken(token))
    .where('service_id', '=', serviceId)
    .where('user_id', 'is', null);
}

/**
 * Merges one page's answers into a signed-in person's draft, creating it (on the given form
 * version) on the first page. `agent` is set when an agent acting for the person (userId)
 * answers; the person answering themselves clears it, so the columns name whoever changed the
 * draft last. A draft keeps the form version it began on. Returns the draft's id.
 */
export async function saveAnswers(
  db: Db,
  userId: string,
  serviceId: string,
  form: DraftForm,
  answers: Answers,
  agent: DraftAgent | null = null,
): Promise<string> {
  const saved = await db
    .insertInto('form_drafts')
    .values({
      user_id: userId,
      service_id: serviceId,
      form_key: form.key,
      form_version: form.version,
      answers: JSON.stringify(answers),
      agent_user_id: agent?.userId ?? null,
      agent_business_id: agent?.businessId ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['user_id', 'service_id']).doUpdateSet({
        answers: sql`form_drafts.answers || excluded.answers`,
        agent_user_id: sql`excluded.agent_user_id`,
        agent_business_id: sql`excluded.agent_business_id`,
        form_key: sql`coalesce(form_drafts.form_key, excluded.form_key)`,
        form_version: sql`coalesce(form_drafts.form_version, excluded.form_version)`,
        updated_at: sql`now()`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return saved.id;
}

/**
 * Starts the draft of someone without an account, on the given form version. Returns the
 * secret their browser keeps (in a cookie) to continue it; only its hash is stored.
 */
export async function createAnonymousDraft(
  db: Db,
  serviceId: string,
  form: DraftForm,
  answers: Answers,
): Promise<{ draft: FormDraftRow; token: string }> {
  const token = newDraftToken();
  const draft = await db
    .insertInto('form_drafts')
    .values({
      user_id: null,
      service_id: serviceId,
      form_key: form.key,
      form_version: form.version,
      answers: JSON.stringify(answers),
      token_hash: hashDraftToken(token),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { draft, token };
}

/** Merges answers into a draft found by id (an anonymous draft whose token was checked). */
export async function mergeAnswers(db: Db, draftId: string, answers: Answers): Promise<void> {
  await db
    .updateTable('form_drafts')
    .set({
      answers: sql`form_drafts.answers || ${JSON.stringify(answers)}::jsonb`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', draftId)
    .execute();
}

/** Makes the e-mailed link to an anonymous draft work for 28 days from now. */
export async function allowResume(db: Db, draftId: string): Promise<Date> {
  const row = await db
    .updateTable('form_drafts')
    .set({ resume_expires_at: sql<Date>`now() + make_interval(days => ${RESUME_DAYS})` })
    .where('id', '=', draftId)
    .returning('resume_expires_at')
    .executeTakeFirstOrThrow();
  return row.resume_expires_at!;
}

/**
 * Gives an anonymous draft to the person who signed in while answering it, unless they already
 * have a draft for the service. Its token stops working: the draft is theirs now.
 */
export async function adoptDraft(db: Db, draftId: string, userId: string): Promise<boolean> {
  const result = await db
    .updateTable('form_drafts')
    .set({
      user_id: userId,
      token_hash: null,
      resume_expires_at: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', draftId)
    .where('user_id', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('form_drafts as mine')
            .select('mine.id')
            .where('mine.user_id', '=', userId)
            .whereRef('mine.service_id', '=', 'form_drafts.service_id'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Locks the draft for submitting, so a double-click waits for the first click's transaction.
 * The owner is checked: the person's id, or for someone without an account the token's hash.
 */
export async function lockDraft(
  trx: Db,
  draftId: string,
  owner: { userId: string } | { token: string },
): Promise<FormDraftRow | undefined> {
  let query = trx.selectFrom('form_drafts').selectAll().where('id', '=', draftId);
  query =
    'userId' in owner
      ? query.where('user_id', '=', owner.userId)
      : query.where('token_hash', '=', hashDraftToken(owner.token)).where('user_id', 'is', null);
  return query.forUpdate().executeTakeFirst();
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

/**
 * Removes drafts of people without an account untouched for 28 days (and whose e-mailed link,
 * if any, has run out): nobody can come back to them any more.
 */
export async function deleteAbandonedDrafts(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('form_drafts')
    .where('user_id', 'is', null)
    .where('updated_at', '<', sql<Date>`now() - make_interval(days => ${RESUME_DAYS})`)
    .where((eb) =>
      eb.or([eb('resume_expires_at', 'is', null), eb('resume_expires_at', '<', sql<Date>`now()`)]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Records which business or charity account a draft is for (a form for businesses), starting the
 * draft on the given form version if there is none yet. The caller checked the person may apply
 * for it (the agents module's businessesToApplyFor).
 */
export async function chooseBusiness(
  db: Db,
  userId: string,
  serviceId: string,
  form: DraftForm,
  businessId: string,
  agent: DraftAgent | null = null,
): Promise<void> {
  await db
    .insertInto('form_drafts')
    .values({
      user_id: userId,
      service_id: serviceId,
      form_key: form.key,
      form_version: form.version,
      answers: '{}',
      business_id: businessId,
      agent_user_id: agent?.userId ?? null,
      agent_business_id: agent?.businessId ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['user_id', 'service_id']).doUpdateSet({
        business_id: businessId,
        agent_user_id: sql`excluded.agent_user_id`,
        agent_business_id: sql`excluded.agent_business_id`,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}
