import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type { EventDetails, SubmissionRow, SubmissionStatus } from '../db/tables.js';
import { DECIDED_TOPIC, measureMessage } from './submissions.js';
import { announceDecision } from './decision-announced.js';

/**
 * Where a case worked in Joinedup's casework has got to, as its submission should show it:
 * progress (the case is received, accepted, being worked on), or a decision with its reasons.
 */
export type CaseProgress =
  | { progress: 'received' | 'accepted' | 'in-progress' }
  | {
      decision: 'approved' | 'refused' | 'withdrawn';
      /** What the caseworker wrote: the reason for a refusal, the summary otherwise. */
      comment?: string | null;
      /** A booked collection (bulky waste): shown as "Collection on …" as before. */
      collectionDate?: string | null;
      /**
       * Whether this module e-mails the applicant the decision (the default). False when
       * casework sends its own decision letter: the letter is then the one message about it.
       */
      mail?: boolean;
    };

/**
 * The status and event details a case's progress becomes. A refusal is the web's `rejected`
 * with its reason; an approval with a collection date the web's `approved` (the applicant's
 * page and e-mail say the date); any other decision the hub's `decided` with its outcome.
 */
function statusOf(update: CaseProgress): { status: SubmissionStatus; details: EventDetails } {
  if ('progress' in update) return { status: update.progress, details: { via: 'casework' } };
  const comment = update.comment?.trim() || undefined;
  if (update.decision === 'refused')
    return { status: 'rejected', details: comment ? { reason: comment } : {} };
  if (update.decision === 'approved' && update.collectionDate)
    return { status: 'approved', details: { collectionDate: update.collectionDate } };
  return {
    status: 'decided',
    details: {
      decision_outcome: update.decision,
      ...(comment ? { decision_summary: comment } : {}),
    },
  };
}

/**
 * Records a casework case's progress or decision on its submission, so the applicant's page, the
 * hub's status API and the decision e-mail say what the case says. The generalisation of
 * `recordDecision` for workflows: any move is allowed (a review may reopen a refusal), since the
 * casework workflow has already decided it may happen. Progress the submission already shows
 * changes nothing. A decision queues the decision e-mail, unless casework tells the applicant
 * itself (`mail: false`): the first under the key `submission.decided:<id>`, a later one (after a
 * review) under its own. The caller (casework) has checked the policy.
 */
export async function recordCaseProgress(
  trx: Db,
  submission: Pick<
    SubmissionRow,
    'id' | 'reference' | 'status' | 'organisation_id' | 'applicant_user_id'
  >,
  update: CaseProgress,
  actor: Actor,
): Promise<{ changed: boolean }> {
  const { status, details } = statusOf(update);
  if ('progress' in update && submission.status === status) return { changed: false };
  await trx
    .updateTable('submissions')
    .set({ status, updated_at: sql<Date>`now()` })
    .where('id', '=', submission.id)
    .execute();
  const event = await trx
    .insertInto('submission_events')
    .values({
      submission_id: submission.id,
      status,
      details: JSON.stringify(details),
      actor_user_id: actor.userId,
      actor_organisation_id: submission.organisation_id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if ('decision' in update && update.mail !== false) {
    const earlier = await trx
      .selectFrom('outbox')
      .select('id')
      .where('idempotency_key', '=', `${DECIDED_TOPIC}:${submission.id}`)
      .executeTakeFirst();
    await enqueue(trx, {
      topic: DECIDED_TOPIC,
      payload: { submissionId: submission.id },
      idempotencyKey: earlier
        ? `${DECIDED_TOPIC}:${submission.id}:${event.id}`
        : `${DECIDED_TOPIC}:${submission.id}`,
    });
  }
  if ('decision' in update) {
    await enqueue(trx, measureMessage(submission.id, `decided:${event.id}`));
    await announceDecision(trx, submission.id, update.decision, String(event.id));
  }
  await recordAudit(trx, actor, {
    action: `submission.${status}`,
    resourceType: 'submission',
    resourceId: submission.id,
    subjectUserId: submission.applicant_user_id,
    details: { reference: submission.reference, via: 'casework', ...details },
  });
  return { changed: true };
}
