/**
 * Internal review of an FOI answer (Code of Practice under s.45, part 5): the requester, unhappy
 * with the answer, asks within 40 working days for the body to look at it again. The review is
 * an item of its own on the body's queue (`IR-…`), linked to the request, with the ICO's target
 * of 20 working days, decided by someone other than the officer who answered — upheld, partly
 * upheld or overturned, with reasons — and the requester is told, in their language, that they
 * may then complain to the Information Commissioner (s.50).
 */
import { type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { loadMessages, translator } from '../../../platform/i18n/i18n.js';
import { mayStillAskForReview, reviewDue } from '../clock/statutory-clock.js';
import type { CorrespondenceRow, REVIEW_OUTCOMES } from '../db/tables.js';
import { mayViewOwn, mayWorkCorrespondence } from '../policies/correspondence.js';
import { findById, lockByReference, reviewOf } from '../queries/items.js';
import { dueText, queueRequesterMail } from './mail.js';
import { newReference } from './reference.js';
import { audit, bodyOf, lockForWork, STATE_CHANGED, update, type WorkOutcome } from './work.js';

/** A review's decision as the reviewer records it. */
export interface ReviewDecision {
  outcome: (typeof REVIEW_OUTCOMES)[number];
  reasons: string;
}

/**
 * Whether an FOI request's answer may still be reviewed at `now`: answered, within 40 working
 * days of the answer, and not reviewed already (the pages use it to offer the form).
 */
export function isReviewable(
  item: Pick<CorrespondenceRow, 'kind' | 'state' | 'responded_at'>,
  review: CorrespondenceRow | undefined,
  now: Date,
): boolean {
  return (
    item.kind === 'foi' &&
    item.state === 'closed' &&
    item.responded_at !== null &&
    !review &&
    mayStillAskForReview(item.responded_at, now)
  );
}

/**
 * Records a request for internal review of an FOI answer, made by the requester from their
 * account or, when they wrote in, by the body's staff for them. Refused with nothing changed:
 * before the answer, more than 40 working days after it, or a second time.
 */
export async function askForReview(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  reasons: string,
  now: Date,
): Promise<WorkOutcome> {
  const request = await lockByReference(trx, reference);
  if (
    !request ||
    !(mayWorkCorrespondence(user, request.organisation_id) || mayViewOwn(user, request))
  )
    throw notFound({ reference });
  if (request.kind !== 'foi' || request.state !== 'closed' || !request.responded_at)
    return { ok: false, errors: [STATE_CHANGED] };
  const field = 'reviewReason';
  if (await reviewOf(trx, request.id))
    return { ok: false, errors: [{ field, message: 'correspondence.review.already' }] };
  if (!mayStillAskForReview(request.responded_at, now))
    return { ok: false, errors: [{ field, message: 'correspondence.review.tooLate' }] };
  const review = await trx
    .insertInto('correspondence')
    .values({
      reference: newReference('review'),
      kind: 'review',
      review_of: request.id,
      organisation_id: request.organisation_id,
      account_id: request.account_id,
      requester_name: request.requester_name,
      requester_email: request.requester_email,
      language: request.language,
      subject: request.subject,
      details: reasons,
      state: 'open',
      received_at: now,
      clock_started_at: now,
      due_at: reviewDue(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, review, 'review.asked', { reviewOf: request.reference });
  await audit(trx, actor, request, 'review-asked', { review: review.reference });
  await queueRequesterMail(
    trx,
    'acknowledged',
    review,
    { request: request.reference, due: dueText(review, review.language) },
    `correspondence.review-acknowledged:${review.reference}`,
  );
  return { ok: true, item: review };
}

/** Whether this user answered the request under review, and so may not decide the review. */
export function isOriginalAnswerer(user: CurrentUser, request: CorrespondenceRow): boolean {
  return request.responded_by !== null && request.responded_by === user.id;
}

let messages: ReturnType<typeof loadMessages> | undefined;

/**
 * Decides an internal review. Refused, with nothing changed, when the reviewer is the officer
 * who gave the original answer: a review is a fresh look by someone else (Code, para. 5.7).
 * The requester is e-mailed the outcome and reasons, and their right to complain to the ICO.
 */
export async function decideReview(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  decision: ReviewDecision,
  now: Date,
): Promise<WorkOutcome> {
  const review = await lockForWork(trx, user, reference);
  if (review.kind !== 'review' || review.state !== 'open' || !review.review_of)
    return { ok: false, errors: [STATE_CHANGED] };
  const request = await findById(trx, review.review_of);
  if (!request) throw new Error(`No request ${review.review_of} for review ${review.reference}`);
  if (isOriginalAnswerer(user, request)) {
    const error: FieldError = { field: 'reviewer', message: 'correspondence.review.sameOfficer' };
    return { ok: false, errors: [error] };
  }
  const changed = await update(trx, review, {
    state: 'closed',
    outcome: decision.outcome,
    response: decision.reasons,
    responded_at: now,
    responded_by: user.id,
    due_at: null,
  });
  await audit(trx, actor, changed, 'reviewed', {
    outcome: decision.outcome,
    reviewOf: request.reference,
    onTime: review.due_at !== null && now.getTime() <= review.due_at.getTime(),
  });
  await audit(trx, actor, request, 'review-decided', {
    review: review.reference,
    outcome: decision.outcome,
  });
  const t = translator(await (messages ??= loadMessages()), review.language);
  const body = await bodyOf(trx, review);
  await queueRequesterMail(
    trx,
    'responded',
    changed,
    {
      request: request.reference,
      body: (review.language === 'cy' && body.name_cy) || body.name,
      outcome: t(`correspondence.outcome.${decision.outcome}`),
      response: decision.reasons,
    },
    `correspondence.reviewed:${review.reference}`,
  );
  return { ok: true, item: changed };
}
