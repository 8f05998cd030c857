import type { SubmissionRow } from '../db/tables.js';
import type { PersonCaller } from '../hub/auth.js';

/**
 * A relying party holding a person's access token reads the status of what it sent for that
 * person, and nothing else: not the person's other applications, nor anyone else's.
 */
export function personMayReadStatus(
  caller: PersonCaller,
  submission: Pick<SubmissionRow, 'applicant_user_id' | 'channel'>,
): boolean {
  return submission.applicant_user_id === caller.userId && submission.channel === caller.channel;
}
