import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { DECIDED_TOPIC, markReceived, measureMessage } from '../commands/submissions.js';
import { announceDecision } from '../commands/decision-announced.js';
import {
  detailText,
  type EventDetails,
  type SubmissionEventRow,
  type StoredSubmissionRow,
  type SubmissionStatus,
} from '../db/tables.js';
import { HubError } from './errors.js';

/** The statuses of the hub protocol, in the order a submission moves through them. */
export const HUB_STATUSES = [
  'received',
  'delivered',
  'accepted',
  'rejected',
  'in-progress',
  'decided',
] as const;
export type HubStatus = (typeof HUB_STATUSES)[number];

/** What a body's system may reply with. */
export const REPLY_STATUSES = ['accepted', 'rejected', 'in-progress', 'decided'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

/** How a body's system describes its decision. */
export const DECISION_OUTCOMES = ['approved', 'refused', 'withdrawn'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export interface StatusReply {
  status: ReplyStatus;
  reasons?: string[] | undefined;
  decision?: { outcome: DecisionOutcome; summary?: string | undefined } | undefined;
}

/**
 * A stored status in the hub's words. The web's statuses keep their meaning: `submitted`
 * (Joinedup has it) is "received", `received` (the body has it) is "delivered", casework's
 * `approved` is "decided".
 *
 * @example hubStatusOf('submitted') // 'received'
 */
export function hubStatusOf(status: SubmissionStatus): HubStatus {
  switch (status) {
    // Held for its fee: Joinedup has it, and the body is sent it only once it is paid.
    case 'awaiting-payment':
    case 'submitted':
      return 'received';
    case 'received':
      return 'delivered';
    case 'approved':
      return 'decided';
    default:
      return status;
  }
}

/** Which replies may follow each stored status: forward only; rejected and decided are final. */
const ALLOWED: Record<SubmissionStatus, readonly ReplyStatus[]> = {
  'awaiting-payment': [],
  // A reply to a submission still marked undelivered proves it arrived.
  submitted: REPLY_STATUSES,
  received: REPLY_STATUSES,
  accepted: ['in-progress', 'decided'],
  'in-progress': ['decided'],
  rejected: [],
  decided: [],
  approved: [],
};

/** One step of a submission's history, as the API shows it. */
export interface HistoryEntry {
  status: HubStatus;
  at: string;
  via?: string;
  reasons?: string[];
  decision?: Record<string, string>;
}

/** An event in the hub's words: casework's rejection reason becomes `reasons`, its approval a decision. */
export function historyEntry(event: SubmissionEventRow): HistoryEntry {
  const text = (key: string) => detailText(event.details, key);
  const entry: HistoryEntry = {
    status: hubStatusOf(event.status),
    at: new Date(event.occurred_at).toISOString(),
  };
  if (text('via')) entry.via = text('via');
  const reasons = event.details.reasons;
  if (Array.isArray(reasons)) entry.reasons = reasons;
  else if (text('reason')) entry.reasons = [text('reason')];
  if (event.status === 'approved')
    entry.decision = {
      outcome: 'approved',
      ...(text('collectionDate') ? { collectionDate: text('collectionDate') } : {}),
    };
  if (text('decision_outcome'))
    entry.decision = {
      outcome: text('decision_outcome'),
      ...(text('decision_summary') ? { summary: text('decision_summary') } : {}),
    };
  return entry;
}

function sameReply(event: SubmissionEventRow | undefined, details: EventDetails): boolean {
  return JSON.stringify(event?.details ?? {}) === JSON.stringify(details);
}

/**
 * Records a body's status reply: checks the move is allowed from where the submission is (a
 * reply to one not yet marked delivered first marks it delivered), writes the event and the
 * audit entry, and tells the applicant of a rejection or decision through the outbox. The
 * same reply twice changes nothing; a different one to a final status is a 409.
 * The caller has checked that the reply comes from the receiving body.
 */
export async function recordStatusReply(
  trx: Db,
  submission: StoredSubmissionRow,
  reply: StatusReply,
  actor: Actor,
  events: SubmissionEventRow[],
): Promise<{ changed: boolean }> {
  const details: EventDetails = {};
  if (reply.reasons?.length) details.reasons = reply.reasons;
  if (reply.decision) {
    details.decision_outcome = reply.decision.outcome;
    if (reply.decision.summary) details.decision_summary = reply.decision.summary;
  }
  if (submission.status === reply.status) {
    if (
      sameReply(
        events.findLast((e) => e.status === reply.status),
        details,
      )
    )
      return { changed: false };
    throw new HubError(
      'status_conflict',
      409,
      `The submission is already ${reply.status}, with different details`,
    );
  }
  if (!ALLOWED[submission.status].includes(reply.status))
    throw new HubError(
      'status_conflict',
      409,
      `A submission that is ${hubStatusOf(submission.status)} cannot become ${reply.status}`,
    );
  if (submission.status === 'submitted') await markReceived(trx, submission.id, 'reply');
  const updated = await trx
    .updateTable('submissions')
    .set({ status: reply.status, updated_at: sql<Date>`now()` })
    .where('id', '=', submission.id)
    .where('status', 'in', ['submitted', 'received', submission.status])
    .returning('id')
    .executeTakeFirst();
  // Another reply got there first (the row changed since it was read): ask the caller to retry.
  if (!updated)
    throw new HubError('status_conflict', 409, 'The submission changed: read it and try again');
  await trx
    .insertInto('submission_events')
    .values({
      submission_id: submission.id,
      status: reply.status,
      details: JSON.stringify(details),
      actor_user_id: null,
      actor_organisation_id: submission.organisation_id,
    })
    .execute();
  if (reply.status === 'rejected' || reply.status === 'decided')
    await enqueue(trx, {
      topic: DECIDED_TOPIC,
      payload: { submissionId: submission.id },
      idempotencyKey: `${DECIDED_TOPIC}:${submission.id}`,
    });
  if (reply.status === 'rejected' || reply.status === 'decided') {
    await enqueue(trx, measureMessage(submission.id, `decided:${reply.status}`));
    const outcome =
      reply.status === 'decided' ? (reply.decision?.outcome ?? 'decided') : 'rejected';
    await announceDecision(trx, submission.id, outcome, reply.status);
  }
  await recordAudit(trx, actor, {
    action: `submission.${reply.status}`,
    resourceType: 'submission',
    resourceId: submission.id,
    subjectUserId: submission.applicant_user_id,
    details: { reference: submission.reference, ...details },
  });
  return { changed: true };
}
