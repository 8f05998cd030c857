import type { Kysely } from 'kysely';
import type { Database, Db } from '../../../platform/db/database.js';
import { enqueue, type OutboxHandler } from '../../../platform/outbox/outbox.js';
import type { FileStore } from '../store/file-store.js';
import { toAttachment, type Attachment } from '../queries/attachments.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** An upload never sent with an application is deleted this many days after it arrived. */
export const UNSENT_RETENTION_DAYS = 28;

/** Outbox topic: delete one upload if it was never sent with an application. */
export const EXPIRE_TOPIC = 'attachments.expire';
/** Outbox topic: remove files from the store after the transaction that deleted their rows. */
export const DELETE_FILES_TOPIC = 'attachments.delete-files';

/** A file that passed every check and is in the store, ready to be recorded. */
export interface StoredUpload {
  storageKey: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
  ownerUserId: string | null;
  uploaderOrganisationId: string | null;
}

/**
 * Records a stored upload and, in the same transaction, schedules its deletion in 28 days
 * (which does nothing if by then it has been sent with an application).
 */
export async function recordUpload(
  trx: Db,
  upload: StoredUpload,
  now = new Date(),
): Promise<Attachment> {
  const row = await trx
    .insertInto('attachments')
    .values({
      storage_key: upload.storageKey,
      owner_user_id: upload.ownerUserId,
      uploader_organisation_id: upload.uploaderOrganisationId,
      filename: upload.name,
      content_type: upload.type,
      size_bytes: upload.size,
      sha256: upload.sha256,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await enqueue(trx, {
    topic: EXPIRE_TOPIC,
    payload: { attachmentId: row.id },
    idempotencyKey: `${EXPIRE_TOPIC}:${row.id}`,
    availableAt: new Date(now.getTime() + UNSENT_RETENTION_DAYS * 24 * 3600 * 1000),
  });
  return toAttachment(row);
}

/**
 * Links uploads to the application they were sent with and the body that received it, whose
 * caseworkers may then read them. Only uploads not yet sent with another application are linked
 * — and, given `ownerUserId` or `uploaderOrganisationId`, only that person's or that body's, so
 * an id copied from elsewhere links nothing. Returns the ids it linked; call it in the
 * transaction that creates the submission.
 *
 * @example await linkAttachments(trx, submission.id, submission.organisationId, fileIds);
 */
export async function linkAttachments(
  trx: Db,
  submissionId: string,
  organisationId: string,
  ids: readonly string[],
  options: {
    /** Only this person's page uploads (null: only uploads with no owner). */
    ownerUserId?: string | null;
    /** Only uploads this body's system made through the API. */
    uploaderOrganisationId?: string;
  } = {},
): Promise<string[]> {
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return [];
  let query = trx
    .updateTable('attachments')
    .set({ submission_id: submissionId, organisation_id: organisationId, linked_at: new Date() })
    .where('id', 'in', wanted)
    .where((eb) =>
      eb.or([eb('submission_id', 'is', null), eb('submission_id', '=', submissionId)]),
    );
  if (options.ownerUserId !== undefined)
    query =
      options.ownerUserId === null
        ? query.where('owner_user_id', 'is', null)
        : query.where('owner_user_id', '=', options.ownerUserId);
  if (options.uploaderOrganisationId !== undefined)
    query = query.where('uploader_organisation_id', '=', options.uploaderOrganisationId);
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id);
}

/**
 * Keeps an upload as one of a body's own published files (a consultation's documents): tied to
 * the body and marked linked, so it is never expired as an unsent upload nor erased with its
 * uploader's account. Only an upload of `uploaderUserId` not yet linked to anything is kept, so
 * an id copied from elsewhere (a person's application file) keeps nothing. Returns whether it
 * kept it; call it in the transaction that records what the file belongs to.
 *
 * @example if (!(await keepAttachmentForBody(trx, upload.id, body.id, user.id))) throw notFound();
 */
export async function keepAttachmentForBody(
  trx: Db,
  attachmentId: string,
  organisationId: string,
  uploaderUserId: string,
): Promise<boolean> {
  if (!isUuid(attachmentId)) return false;
  const row = await trx
    .updateTable('attachments')
    .set({ organisation_id: organisationId, linked_at: new Date() })
    .where('id', '=', attachmentId)
    .where('owner_user_id', '=', uploaderUserId)
    .where('submission_id', 'is', null)
    .where('linked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Deletes one of a body's published files (kept with {@link keepAttachmentForBody}) and queues
 * the removal of its file, which happens only if this transaction commits. Anything recording
 * the file (a consultation's document row) goes with it. Returns whether it deleted anything.
 */
export async function eraseBodyAttachment(
  trx: Db,
  attachmentId: string,
  organisationId: string,
): Promise<boolean> {
  if (!isUuid(attachmentId)) return false;
  const row = await trx
    .deleteFrom('attachments')
    .where('id', '=', attachmentId)
    .where('organisation_id', '=', organisationId)
    .where('submission_id', 'is', null)
    .where('linked_at', 'is not', null)
    .returning('storage_key')
    .executeTakeFirst();
  if (!row) return false;
  await enqueue(trx, {
    topic: DELETE_FILES_TOPIC,
    payload: { keys: [row.storage_key] },
    idempotencyKey: `${DELETE_FILES_TOPIC}:body-file:${attachmentId}`,
  });
  return true;
}

/**
 * Deletes the rows of a person's uploads that were never sent with an application (a deleted
 * account's drafts go with it) and queues the removal of their files, which happens only if
 * this transaction commits. Files sent with an application stay with the body that received
 * them, as the application does.
 */
export async function eraseForAccount(trx: Db, userId: string): Promise<number> {
  const rows = await trx
    .deleteFrom('attachments')
    .where('owner_user_id', '=', userId)
    .where('submission_id', 'is', null)
    // A file kept as a body's published document stays with the body.
    .where('linked_at', 'is', null)
    .returning('storage_key')
    .execute();
  if (rows.length > 0) {
    await enqueue(trx, {
      topic: DELETE_FILES_TOPIC,
      payload: { keys: rows.map((row) => row.storage_key) },
      idempotencyKey: `${DELETE_FILES_TOPIC}:account:${userId}:${rows[0]!.storage_key}`,
    });
  }
  return rows.length;
}

/**
 * Deletes one upload if it is still unsent, so a draft abandoned for 28 days leaves nothing
 * behind. The row is locked, the file removed, then the row deleted, in one transaction: if the
 * store fails the row stays and the outbox tries again. Returns whether it deleted anything.
 */
export async function expireUpload(
  db: Kysely<Database>,
  store: FileStore,
  attachmentId: string,
): Promise<boolean> {
  if (!isUuid(attachmentId)) return false;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('attachments')
      .select(['id', 'storage_key'])
      .where('id', '=', attachmentId)
      .where('submission_id', 'is', null)
      .where('linked_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return false;
    await store.delete(row.storage_key);
    await trx.deleteFrom('attachments').where('id', '=', row.id).execute();
    return true;
  });
}

/** The outbox handlers: expiry of unsent uploads, and file removal after a committed delete. */
export function attachmentOutboxHandlers(store: FileStore): Record<string, OutboxHandler> {
  return {
    [EXPIRE_TOPIC]: async (payload, { db }) => {
      await expireUpload(db, store, String(payload.attachmentId));
    },
    [DELETE_FILES_TOPIC]: async (payload) => {
      const keys = Array.isArray(payload.keys) ? payload.keys : [];
      for (const key of keys) if (typeof key === 'string') await store.delete(key);
    },
  };
}
