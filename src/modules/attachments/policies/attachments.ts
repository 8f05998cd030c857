import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import type { AttachmentRow } from '../db/tables.js';

/** Why someone may read a file: they uploaded it, or they work the application it came with. */
export type ReadAccess = 'owner' | 'staff';

/**
 * Who may read an uploaded file: the person who uploaded it (in their draft and after sending
 * it), or a caseworker, team leader (or admin) of the body that received the application it was
 * sent with — those who read the application's answers. Nobody else — not another citizen, not
 * staff of another body, not anyone signed out.
 */
export function readAccess(
  user: CurrentUser | null,
  attachment: Pick<AttachmentRow, 'owner_user_id' | 'organisation_id' | 'submission_id'>,
): ReadAccess | null {
  if (!user) return null;
  if (attachment.owner_user_id !== null && user.id === attachment.owner_user_id) return 'owner';
  if (
    attachment.submission_id !== null &&
    attachment.organisation_id !== null &&
    (isStaffOf(user, attachment.organisation_id, 'caseworker') ||
      isStaffOf(user, attachment.organisation_id, 'team-leader'))
  )
    return 'staff';
  return null;
}

/**
 * Whether a body's system (through the API, with the hub's receive key) may download a file: one
 * sent with a submission to that body, and no other — not an unsent upload, not another body's.
 */
export function systemReadAccess(
  reader: { organisationId: string },
  attachment: Pick<AttachmentRow, 'organisation_id' | 'submission_id'>,
): boolean {
  return attachment.submission_id !== null && attachment.organisation_id === reader.organisationId;
}
