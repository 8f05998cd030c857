import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { readAccess } from '../policies/attachments.js';
import { findAttachmentRow } from './attachments.js';

/**
 * Whether this user may read this attachment: its uploader, or a caseworker of the body that
 * received the application it was sent with. False for an unknown id.
 *
 * @example if (!(await canReadAttachment(db, request.user, id))) throw notFound();
 */
export async function canReadAttachment(
  db: Db,
  user: CurrentUser | null,
  attachmentId: string,
): Promise<boolean> {
  const row = await findAttachmentRow(db, attachmentId);
  return !!row && readAccess(user, row) !== null;
}
