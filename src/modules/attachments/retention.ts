import type { Db } from '../../platform/db/database.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import { DELETE_FILES_TOPIC } from './commands/attachments.js';

/**
 * Deletes the files sent with these applications, for retention: the rows go in the caller's
 * transaction and the files are removed from the store by the outbox once it commits (so a
 * rolled-back batch leaves every file in place). Returns how many files it deleted.
 *
 * @example await eraseAttachmentsOfSubmissions(trx, ['…submission id…']);
 */
export async function eraseAttachmentsOfSubmissions(
  trx: Db,
  submissionIds: readonly string[],
): Promise<number> {
  if (submissionIds.length === 0) return 0;
  const rows = await trx
    .deleteFrom('attachments')
    .where('submission_id', 'in', [...submissionIds])
    .returning('storage_key')
    .execute();
  if (rows.length > 0) {
    const keys = rows.map((row) => row.storage_key).sort();
    await enqueue(trx, {
      topic: DELETE_FILES_TOPIC,
      payload: { keys },
      idempotencyKey: `${DELETE_FILES_TOPIC}:retention:${keys[0]}`,
    });
  }
  return rows.length;
}
