import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import { londonDate } from '../../../platform/time/london.js';
import { findSubmissionIdOfReference } from '../../submissions/index.js';
import { measureSubmission } from '../collect/transactions.js';
import { applyDeltas } from '../collect/rollups.js';

export const MAX_COMMENT_LENGTH = 1200;

/** What the feedback form sends, checked: a rating of 1 to 5 and an optional comment. */
export function readFeedback(
  body: unknown,
): { ok: true; rating: number; comment: string } | { ok: false; errors: FieldError[] } {
  const rating = Number(formText(body, 'rating'));
  const comment = formText(body, 'comment');
  const errors: FieldError[] = [];
  if (!Number.isInteger(rating) || rating < 1 || rating > 5)
    errors.push({ field: 'rating', message: 'performance.feedback.errors.rating' });
  if (comment.length > MAX_COMMENT_LENGTH)
    errors.push({ field: 'comment', message: 'performance.feedback.errors.comment' });
  return errors.length ? { ok: false, errors } : { ok: true, rating, comment };
}

/**
 * Records feedback on the transaction with this reference, once: the rating and comment are
 * kept with the service, body and day only — never the person or the submission — so the
 * feedback stays anonymous; the transaction only remembers that feedback was given. The
 * transaction is measured first if its message has not been handled yet.
 */
export async function giveFeedback(
  trx: Db,
  reference: string,
  body: unknown,
  now = new Date(),
): Promise<Outcome<{ serviceId: string }> | { ok: false; reason: 'unknown' | 'given' }> {
  const submissionId = await findSubmissionIdOfReference(trx, reference);
  if (!submissionId) return { ok: false, reason: 'unknown' };
  const input = readFeedback(body);
  if (!input.ok) return input;
  await measureSubmission(trx, submissionId);
  const fact = await trx
    .updateTable('performance_transactions')
    .set({ feedback_given: true })
    .where('submission_id', '=', submissionId)
    .where('feedback_given', '=', false)
    .returning(['service_id', 'organisation_id'])
    .executeTakeFirst();
  if (!fact) {
    const known = await trx
      .selectFrom('performance_transactions')
      .select('submission_id')
      .where('submission_id', '=', submissionId)
      .executeTakeFirst();
    return { ok: false, reason: known ? 'given' : 'unknown' };
  }
  const day = londonDate(now);
  await trx
    .insertInto('performance_feedback')
    .values({
      service_id: fact.service_id,
      organisation_id: fact.organisation_id,
      rating: input.rating,
      comment: input.comment,
      day,
    })
    .execute();
  await applyDeltas(
    trx,
    [
      {
        table: 'performance_daily_satisfaction',
        key: {
          day,
          service_id: fact.service_id,
          organisation_id: fact.organisation_id,
          rating: input.rating,
        },
        counts: { responses: 1 },
      },
    ],
    1,
  );
  return { ok: true, serviceId: fact.service_id };
}
