/**
 * Every decision on a submission — a caseworker's, a casework workflow's, a body's system's
 * through the hub, or the rules' own — is announced on one outbox topic, in the transaction that
 * records it, so other modules can act on it without reaching into submissions (the passports
 * module offers the services an approval makes the person eligible for). Payload
 * `{ submissionId, outcome }`: `approved`, `rejected`, `refused`, `withdrawn` or a body's own
 * decision outcome.
 */
import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';

export const DECISION_ANNOUNCED_TOPIC = 'submission.decision-announced';

/** The announcement's payload. */
export interface DecisionAnnouncement {
  submissionId: string;
  outcome: string;
}

/**
 * Queues the announcement of a decision. `key` tells one decision on a submission from a later
 * one (after a review): the same key twice is one message.
 *
 * @example await announceDecision(trx, submission.id, 'approved', 'decided');
 */
export async function announceDecision(
  trx: Db,
  submissionId: string,
  outcome: string,
  key: string,
): Promise<void> {
  await enqueue(trx, {
    topic: DECISION_ANNOUNCED_TOPIC,
    payload: { submissionId, outcome } satisfies DecisionAnnouncement,
    idempotencyKey: `${DECISION_ANNOUNCED_TOPIC}:${submissionId}:${key}`,
  });
}
