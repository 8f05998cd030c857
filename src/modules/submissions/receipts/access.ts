import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { SubmissionRow } from '../db/tables.js';
import { getForApplicant, openForStaff } from '../queries/submissions.js';

/** How the receipt is read: the page, the PDF, or the canonical JSON. Kept in the audit entry. */
export type ReceiptFormat = 'html' | 'pdf' | 'json';

/** Who is reading the receipt, which decides its wording. */
export type ReceiptReader = 'applicant' | 'agent' | 'staff';

/**
 * A submission whose receipt this person may read, by its reference:
 * - the applicant, and an agent acting for them in its service (the same rule as the
 *   application page, `getForApplicant`; the agent's look is audited there);
 * - staff of the receiving body who work its submissions (`canStaffWork`: caseworkers, team
 *   leaders): a read of personal data, audited as `submission.viewed` so the applicant sees it
 *   under "Who has looked at this application"; a refused attempt is logged as
 *   `submission.view_refused`, as casework does.
 * Everyone else gets "not found", so references cannot be probed.
 */
export async function openReceipt(
  db: Db,
  user: CurrentUser,
  reference: string,
  format: ReceiptFormat,
  requestId: string,
): Promise<{ submission: SubmissionRow; reader: ReceiptReader }> {
  if (user.kind === 'staff')
    return {
      submission: await openAsStaff(db, user, reference, format, requestId),
      reader: 'staff',
    };
  const { submission, asAgent } = await getForApplicant(db, user, reference, {
    userId: user.id,
    organisationId: null,
    role: 'agent',
    requestId,
  });
  return { submission, reader: asAgent ? 'agent' : 'applicant' };
}

function openAsStaff(
  db: Db,
  user: CurrentUser,
  reference: string,
  format: ReceiptFormat,
  requestId: string,
): Promise<SubmissionRow> {
  const actor = {
    userId: user.id,
    organisationId: user.organisationId,
    role: (['caseworker', 'team-leader'] as const).find((r) => user.roles.includes(r)) ?? 'admin',
    requestId,
  };
  return openForStaff(db, user, reference, actor, { receipt: format });
}
