import type { Db } from '../../../platform/db/database.js';
import type { DraftRow, EventType } from '../db/tables.js';

/** Starts (or restarts, for another kind of change) the person's one journey in progress. */
export async function chooseChange(db: Db, userId: string, type: EventType): Promise<void> {
  await db
    .insertInto('sharing_drafts')
    .values({ user_id: userId, event_type: type, details: '{}', consents: '[]' })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        event_type: type,
        details: '{}',
        consents: '[]',
        bodies_chosen: false,
        updated_at: new Date(),
      }),
    )
    .execute();
}

/** Keeps one page's answers, dropping those that depended on what it changed. */
export async function saveAnswers(
  db: Db,
  draft: DraftRow,
  values: Record<string, unknown>,
  resets: readonly string[] = [],
): Promise<void> {
  const details = { ...draft.details };
  for (const name of resets) delete details[name];
  Object.assign(details, values);
  for (const [name, value] of Object.entries(values)) if (value === undefined) delete details[name];
  await db
    .updateTable('sharing_drafts')
    .set({ details: JSON.stringify(details), updated_at: new Date() })
    .where('user_id', '=', draft.user_id)
    .execute();
}

/** Keeps which bodies (told on consent) the person ticked. */
export async function chooseBodies(db: Db, userId: string, agreementIds: string[]): Promise<void> {
  await db
    .updateTable('sharing_drafts')
    .set({ consents: JSON.stringify(agreementIds), bodies_chosen: true, updated_at: new Date() })
    .where('user_id', '=', userId)
    .execute();
}

export async function discardDraft(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sharing_drafts').where('user_id', '=', userId).execute();
}
