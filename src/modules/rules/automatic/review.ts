/**
 * The person's right to have an automatic decision looked at by a person: asking records when
 * and why, and sends the application to casework, where a caseworker reviews it (a case is
 * opened, or the case already open for a sampled check shows the request).
 */
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { CASEWORK_RECEIVED_TOPIC } from '../../submissions/index.js';
import type { AutomaticDecisionRow } from '../db/automatic.js';

/** The longest reason a person may give. */
export const MAX_REASON = 2000;

/** The automatic decision on an application, if the rules made one. */
export async function automaticDecisionOf(
  db: Db,
  submissionId: string,
): Promise<AutomaticDecisionRow | undefined> {
  return db
    .selectFrom('automatic_decisions')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .executeTakeFirst();
}

/**
 * Records the request (once: asking again changes nothing) and hands the application to
 * casework, in the caller's transaction. The caller has checked `mayAskForReview`.
 */
export async function requestAutomaticReview(
  trx: Db,
  decision: Pick<AutomaticDecisionRow, 'submission_id'>,
  input: { reason: string; applicantUserId: string | null; reference: string },
  actor: Actor,
): Promise<{ ok: true; requested: boolean } | { ok: false; field: 'reason' }> {
  const reason = input.reason.trim();
  if (reason.length > MAX_REASON) return { ok: false, field: 'reason' };
  const updated = await trx
    .updateTable('automatic_decisions')
    .set({ review_requested_at: sql<Date>`now()`, review_reason: reason || null })
    .where('submission_id', '=', decision.submission_id)
    .where('review_requested_at', 'is', null)
    .returning('submission_id')
    .executeTakeFirst();
  if (!updated) return { ok: true, requested: false };
  await recordAudit(trx, actor, {
    action: 'rules.automatic.review-requested',
    resourceType: 'submission',
    resourceId: decision.submission_id,
    subjectUserId: input.applicantUserId,
    details: { reference: input.reference },
  });
  await enqueue(trx, {
    topic: CASEWORK_RECEIVED_TOPIC,
    payload: { submissionId: decision.submission_id },
    idempotencyKey: `${CASEWORK_RECEIVED_TOPIC}:${decision.submission_id}:review`,
  });
  return { ok: true, requested: true };
}
