import type { Db } from '../../../platform/db/database.js';
import { findCaseOfSubmission } from '../../casework/index.js';
import { findSubmissionById } from '../../submissions/index.js';
import type { TransactionFact } from '../db/tables.js';
import { channelOf } from './channel.js';
import { journeyDeltas, lockKey, replaceContribution, transactionDeltas } from './rollups.js';

/** Statuses that mean the body has decided (casework's, or a body's system's reply). */
const DECIDED = new Set(['approved', 'rejected', 'decided']);

/**
 * Measures one submission (the `submission.measure` message): writes or updates its fact and
 * moves its part of the roll-ups, and marks the journey it came from completed, all in `trx`.
 * Idempotent and order-free: it reads the submission as it is now, and a fact keeps its first
 * decision. A submission gone (retention) or still held for its fee is left alone.
 */
export async function measureSubmission(trx: Db, submissionId: string): Promise<void> {
  const submission = await findSubmissionById(trx, submissionId);
  if (!submission || submission.status === 'awaiting-payment') return;
  if (submission.draft_id) await lockKey(trx, submission.draft_id);
  const before = await trx
    .selectFrom('performance_transactions')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .forUpdate()
    .executeTakeFirst();
  const decidedNow = DECIDED.has(submission.status) ? submission.updated_at : null;
  const decidedAt = before?.decided_at ?? decidedNow;
  const caseRow = decidedAt ? await findCaseOfSubmission(trx, submissionId) : undefined;
  const journey = submission.draft_id
    ? await trx
        .selectFrom('performance_journeys')
        .selectAll()
        .where('draft_id', '=', submission.draft_id)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  const assisted =
    (submission as { assisted_by_user_id?: string | null }).assisted_by_user_id ?? null;
  const after: TransactionFact = {
    submission_id: submission.id,
    service_id: submission.service_id,
    organisation_id: submission.organisation_id,
    channel: channelOf(submission),
    draft_id: submission.draft_id,
    assisted: assisted !== null,
    started_at: journey?.started_at ?? before?.started_at ?? submission.submitted_at,
    submitted_at: submission.submitted_at,
    decided_at: decidedAt,
    due_at: before?.due_at ?? caseRow?.due_at ?? null,
    feedback_given: before?.feedback_given ?? false,
  };
  await trx
    .insertInto('performance_transactions')
    .values(after)
    .onConflict((oc) =>
      oc.column('submission_id').doUpdateSet({
        channel: after.channel,
        assisted: after.assisted,
        started_at: after.started_at,
        decided_at: after.decided_at,
        due_at: after.due_at,
      }),
    )
    .execute();
  await replaceContribution(trx, before ? transactionDeltas(before) : [], transactionDeltas(after));
  if (journey && !journey.completed_at) {
    const completed = { ...journey, completed_at: submission.submitted_at };
    await trx
      .updateTable('performance_journeys')
      .set({ completed_at: submission.submitted_at })
      .where('draft_id', '=', journey.draft_id)
      .execute();
    await replaceContribution(trx, journeyDeltas(journey), journeyDeltas(completed));
  }
}
