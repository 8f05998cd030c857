/**
 * Asking for a review of a decision: the workflow's applicant `appeal` action out of the state
 * the decision left the case in, within its `appealWithinDays`. What the applicant's page needs
 * to know: whether there is a route, until when, and whether they have already used it.
 */
import type { Db } from '../../../../platform/db/database.js';
import { AppError, notFound } from '../../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../../platform/http/types.js';
import { daysBetween, ukToday } from '../../../../platform/validation/validators.js';
import { canActFor } from '../../../agents/index.js';
import type { CaseEventRow, CaseRow } from '../../db/tables.js';
import { caseEvents, findCaseByReference } from '../../queries/cases.js';
import { loadWorkflow } from '../../queries/workflows.js';
import { isAppeal, type WorkflowAction } from '../../workflow/schema.js';
import { appealFrom, reviewPath } from '../letters/send.js';
import { reviewDeadline } from '../letters/decision-letter.js';
import { canAskForReview } from '../policies.js';
import { openRequestsForApplicant } from '../queries.js';

/** Where an applicant stands on reviewing their case's decision. */
export type ReviewStanding =
  | { kind: 'open'; appeal: WorkflowAction; deadline: string; decision: CaseEventRow | null }
  | { kind: 'too-late'; deadline: string; decision: CaseEventRow | null }
  | { kind: 'requested'; requestedAt: Date; reasons: string | null };

/**
 * The case for its applicant (or their agent with authority for the service) and where they
 * stand on a review. "Not found" for anyone else, and where the workflow gives no review of the
 * case's state and none was asked for: there is nothing to ask.
 */
export async function reviewFor(
  db: Db,
  user: CurrentUser | null,
  reference: string,
  now = new Date(),
): Promise<{ caseRow: CaseRow; standing: ReviewStanding }> {
  const caseRow = await findCaseByReference(db, reference);
  if (!caseRow || !user) throw notFound({ reference });
  const agentHasAuthority =
    !!user.actingFor &&
    user.actingFor.userId === caseRow.applicant_user_id &&
    (await canActFor(db, user, user.actingFor.userId, caseRow.service_id));
  if (!canAskForReview(user, caseRow, agentHasAuthority))
    throw notFound({ reference, userId: user.id, reason: 'not the applicant' });

  const definition = await loadWorkflow(db, caseRow.workflow_id);
  const events = (await caseEvents(db, caseRow.id)).filter((e) => e.kind === 'action');
  const last = events.at(-1);
  const lastAction = definition.actions.find((a) => a.name === last?.action);
  if (last && lastAction && isAppeal(lastAction) && caseRow.state === lastAction.to)
    return {
      caseRow,
      standing: { kind: 'requested', requestedAt: last.occurred_at, reasons: last.comment },
    };
  const appeal = appealFrom(definition, caseRow.state);
  if (!appeal?.appealWithinDays) throw notFound({ reference, reason: 'no review from this state' });
  const decidedOn = ukToday(caseRow.state_entered_at);
  const deadline = reviewDeadline(decidedOn, appeal.appealWithinDays);
  const decision = last && last.to_state === caseRow.state ? last : null;
  return {
    caseRow,
    standing:
      daysBetween(decidedOn, ukToday(now)) > appeal.appealWithinDays
        ? { kind: 'too-late', deadline, decision }
        : { kind: 'open', appeal, deadline, decision },
  };
}

/**
 * What the applicant's application page shows of casework: the requests waiting for their
 * answer, and the review they may still ask for (until when). Empty for anyone else.
 *
 * @example const { review } = await reviewOffer(db, request.user, reference);
 */
export async function reviewOffer(
  db: Db,
  user: CurrentUser | null,
  reference: string,
): Promise<{ deadline: string; href: string } | null> {
  try {
    const { caseRow, standing } = await reviewFor(db, user, reference);
    return standing.kind === 'open'
      ? { deadline: standing.deadline, href: reviewPath(caseRow.reference) }
      : null;
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  }
}

/**
 * What the applicant's application page (`/applications/:reference`) shows of casework, for
 * the person signed in: the requests waiting for their answer and the review they may still ask
 * for. Empty for anyone else. Render it with `information/applicant-summary.njk`.
 *
 * @example reply.view(DETAIL, { ..., casework: await caseworkForApplicant(db, request.user, reference) })
 */
export async function caseworkForApplicant(db: Db, user: CurrentUser | null, reference: string) {
  const [requests, review] = await Promise.all([
    openRequestsForApplicant(db, user, reference),
    reviewOffer(db, user, reference),
  ]);
  return { reference, requests, review };
}
