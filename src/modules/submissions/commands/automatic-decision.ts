/**
 * Decisions made by a service's rules on their own (the rules module's "deciding by rules"): the
 * submission goes from `submitted` straight to `decided`, in the transaction that stored it, so
 * the person sees the decision on the confirmation page. Its event says it was automatic, with
 * the rules' version and the explanation in English and Welsh.
 */
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type {
  EventDetails,
  StoredSubmissionRow,
  SubmissionEventRow,
  SubmissionRow,
} from '../db/tables.js';
import { detailText } from '../db/tables.js';
import { DECIDED_TOPIC, measureMessage } from './submissions.js';
import { announceDecision } from './decision-announced.js';

/** What the rules decided, as the submission keeps it. */
export interface AutomaticDecision {
  outcome: 'approved';
  /** The rules' explanation, naming the answers it rests on. */
  explanation: { en: string; cy: string };
  /** The rule set version it was decided under (the one the submission records). */
  ruleSetVersionId: string;
  /** That version's number, as the person is told it. */
  ruleSetVersion: number;
}

/** The `automatic` detail of a decided event made by rules. */
const AUTOMATIC = 'rules';

/**
 * Records the rules' decision on a submission just made (`submitted`), with its event, the
 * decision e-mail, the measure and the audit entry (actor: the platform, details saying it was
 * automatic), in the caller's transaction. A submission no longer `submitted` is left alone
 * (returns undefined): a person or a body's system has it.
 */
export async function recordAutomaticDecision(
  trx: Db,
  submission: Pick<SubmissionRow, 'id' | 'reference' | 'organisation_id' | 'applicant_user_id'>,
  decision: AutomaticDecision,
): Promise<StoredSubmissionRow | undefined> {
  const updated = await trx
    .updateTable('submissions')
    .set({ status: 'decided', updated_at: sql<Date>`now()` })
    .where('id', '=', submission.id)
    .where('status', '=', 'submitted')
    .returningAll()
    .executeTakeFirst();
  if (!updated) return undefined;
  const details: EventDetails = {
    decision_outcome: decision.outcome,
    decision_summary: decision.explanation.en,
    decision_summary_cy: decision.explanation.cy,
    automatic: AUTOMATIC,
    rule_set_version_id: decision.ruleSetVersionId,
    rule_set_version: String(decision.ruleSetVersion),
  };
  await trx
    .insertInto('submission_events')
    .values({
      submission_id: submission.id,
      status: 'decided',
      details: JSON.stringify(details),
      actor_user_id: null,
      actor_organisation_id: submission.organisation_id,
    })
    .execute();
  await enqueue(trx, {
    topic: DECIDED_TOPIC,
    payload: { submissionId: submission.id },
    idempotencyKey: `${DECIDED_TOPIC}:${submission.id}`,
  });
  await enqueue(trx, measureMessage(submission.id, 'decided'));
  await announceDecision(trx, submission.id, decision.outcome, 'decided');
  const platform: Actor = {
    userId: null,
    organisationId: submission.organisation_id,
    role: 'platform',
  };
  await recordAudit(trx, platform, {
    action: 'submission.decided',
    resourceType: 'submission',
    resourceId: submission.id,
    subjectUserId: submission.applicant_user_id,
    details: {
      reference: submission.reference,
      automatic: true,
      outcome: decision.outcome,
      ruleSetVersionId: decision.ruleSetVersionId,
    },
  });
  return updated;
}

/** An automatic decision as the person reads it on the confirmation and application pages. */
export interface AutomaticDecisionView {
  outcome: string;
  explanation: string;
  ruleSetVersion: string;
  decidedAt: Date;
}

/** The automatic decision among a submission's events, in the reader's language (the latest). */
export function automaticDecisionIn(
  events: Pick<SubmissionEventRow, 'status' | 'details' | 'occurred_at'>[],
  locale: 'en' | 'cy',
): AutomaticDecisionView | undefined {
  const event = events
    .filter((e) => e.status === 'decided' && detailText(e.details, 'automatic') === AUTOMATIC)
    .at(-1);
  if (!event) return undefined;
  const en = detailText(event.details, 'decision_summary');
  return {
    outcome: detailText(event.details, 'decision_outcome'),
    explanation: (locale === 'cy' && detailText(event.details, 'decision_summary_cy')) || en,
    ruleSetVersion: detailText(event.details, 'rule_set_version'),
    decidedAt: event.occurred_at,
  };
}
