/**
 * Retention of inbox messages: two years after a body sent it by default, a message is deleted
 * with its attachments and replies (the person's copy and the body's are the same row).
 */
import type { Db } from '../../platform/db/database.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';
import { isUuid } from '../../platform/validation/uuid.js';

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('inbox_messages')
    .select(['id', 'recipient_user_id as personId'])
    .where('organisation_id', '=', query.organisationId)
    .where('sent_at', '<=', query.cutoff);
  if (query.heldPersonIds.length > 0)
    select = select.where('recipient_user_id', 'not in', [...query.heldPersonIds]);
  if (query.heldRecordIds.length > 0)
    select = select.where('id', 'not in', [...query.heldRecordIds]);
  // A message about a held application is held with it.
  if (query.heldReferences.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('submission_reference', 'is', null),
        eb('submission_reference', 'not in', [...query.heldReferences]),
      ]),
    );
  return select
    .orderBy('sent_at')
    .orderBy('id')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Deletes the messages; their attachments and replies go with them (on delete cascade). */
async function dispose(trx: Db, _action: string, ids: readonly string[]) {
  if (ids.length === 0) return 0;
  const deleted = await trx
    .deleteFrom('inbox_messages')
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

async function resolve(db: Db, organisationId: string, identifier: string) {
  const id = identifier.trim();
  if (!isUuid(id)) return undefined;
  const row = await db
    .selectFrom('inbox_messages')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  return row && { id: row.id, reference: row.id };
}

/** The `inbox-message` record type, for the inbox module's manifest. */
export const inboxMessageRetention: RetentionRecordType = {
  key: 'inbox-message',
  title: 'inbox.retention.title',
  clockStarts: 'inbox.retention.clock',
  defaultMonths: 24,
  minMonths: 6,
  maxMonths: 120,
  defaultAction: 'delete',
  actions: ['delete'],
  findDue,
  dispose,
  resolve,
};
