import { sql } from 'kysely';
import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { Outcome } from '../../../platform/errors/errors.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type {
  ApplicantDetails,
  OnBehalfOf,
  SubmissionRow,
  SubmittedAnswers,
} from '../db/tables.js';
import { newReference } from '../reference.js';

export const SUBMITTED_TOPIC = 'submission.submitted';
export const DECIDED_TOPIC = 'submission.decided';

export interface NewSubmission {
  /** The web draft it was made from; absent when it came through the hub API. */
  draftId?: string | null;
  serviceId: string;
  organisationId: string;
  /** The applicant's account; null when a channel sends it for someone without one. */
  applicantUserId: string | null;
  answers: SubmittedAnswers;
  /** Set when an agent acting for the applicant sends it; the names are kept as they were then. */
  agent?: SubmittingAgent | null;
  /** Who the applicant said they are, when a channel sends it. */
  applicant?: ApplicantDetails | null;
  /** `web` by default; the API caller's channel label otherwise. */
  channel?: string;
  /** The body whose hub key sent it, and the key. */
  submittedBy?: { organisationId: string; keyId: string } | null;
  /** An intermediary's reference for the person's consent. */
  onBehalfOf?: OnBehalfOf | null;
  /** The caller's Idempotency-Key (in its namespace) and a SHA-256 of the request. */
  idempotency?: { scope: string; key: string; requestSha256: string } | null;
  /** The version of the form definition the answers were checked against. */
  formVersion?: number | null;
}

/** The agent who sends an application for a client, and the agent business they act through. */
export interface SubmittingAgent {
  userId: string;
  name: string;
  businessId: string;
  businessName: string;
}

/**
 * Records an application, its first status and the outbox message that delivers it, all in
 * the caller's transaction: if any part fails, none happened. One draft makes one submission.
 * When an agent sends it, the applicant is still the client; the agent is the actor of the
 * "submitted" event and of the audit entry, whose details get `auditDetails` (the caller passes
 * the agents module's `actingAuditDetails(user)`: `on_behalf_of`, `agent_business_id`).
 */
export async function createSubmission(
  trx: Db,
  input: NewSubmission,
  actor: Actor,
  auditDetails: Record<string, unknown> = {},
): Promise<SubmissionRow> {
  const agent = input.agent ?? null;
  for (let attempt = 0; ; attempt++) {
    const reference = newReference();
    const clash = await trx
      .selectFrom('submissions')
      .select('id')
      .where('reference', '=', reference)
      .executeTakeFirst();
    if (clash && attempt < 5) continue;
    const submission = await trx
      .insertInto('submissions')
      .values({
        reference,
        draft_id: input.draftId ?? null,
        service_id: input.serviceId,
        organisation_id: input.organisationId,
        applicant_user_id: input.applicantUserId,
        submitted_by_user_id: agent?.userId ?? input.applicantUserId,
        agent_business_id: agent?.businessId ?? null,
        answers: JSON.stringify(input.answers),
        status: 'submitted',
        applicant: input.applicant ? JSON.stringify(input.applicant) : null,
        ...(input.channel ? { channel: input.channel } : {}),
        submitted_by_organisation_id: input.submittedBy?.organisationId ?? null,
        submitted_by_key_id: input.submittedBy?.keyId ?? null,
        on_behalf_of: input.onBehalfOf ? JSON.stringify(input.onBehalfOf) : null,
        idempotency_scope: input.idempotency?.scope ?? null,
        idempotency_key: input.idempotency?.key ?? null,
        request_sha256: input.idempotency?.requestSha256 ?? null,
        form_version: input.formVersion ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('submission_events')
      .values({
        submission_id: submission.id,
        status: 'submitted',
        details: agent
          ? JSON.stringify({
              on_behalf_of: input.applicantUserId,
              agent_name: agent.name,
              agent_business_id: agent.businessId,
              agent_business_name: agent.businessName,
            })
          : undefined,
        actor_user_id: agent?.userId ?? input.applicantUserId,
        actor_organisation_id: input.submittedBy?.organisationId ?? null,
      })
      .execute();
    await enqueue(trx, {
      topic: SUBMITTED_TOPIC,
      payload: { submissionId: submission.id },
      idempotencyKey: `${SUBMITTED_TOPIC}:${submission.id}`,
    });
    await recordAudit(trx, actor, {
      action: 'submission.created',
      resourceType: 'submission',
      resourceId: submission.id,
      subjectUserId: input.applicantUserId,
      details: { reference, ...auditDetails },
    });
    return submission;
  }
}

/**
 * Marks a submission as received by the body that provides the service (the hub's
 * "delivered"): by casework, its webhook answering 2xx, its pull inbox's acknowledgement or
 * its first status reply, which `via` records. Idempotent: a second delivery of the same
 * message finds it already received and changes nothing (and returns undefined).
 */
export async function markReceived(
  trx: Db,
  submissionId: string,
  via?: 'casework' | 'push' | 'pull' | 'reply',
): Promise<SubmissionRow | undefined> {
  const updated = await trx
    .updateTable('submissions')
    .set({ status: 'received', updated_at: sql<Date>`now()` })
    .where('id', '=', submissionId)
    .where('status', '=', 'submitted')
    .returningAll()
    .executeTakeFirst();
  if (!updated) return undefined;
  await trx
    .insertInto('submission_events')
    .values({
      submission_id: submissionId,
      status: 'received',
      details: via ? JSON.stringify({ via }) : undefined,
      actor_user_id: null,
      actor_organisation_id: updated.organisation_id,
    })
    .execute();
  return updated;
}

export type Decision =
  { outcome: 'approved'; collectionDate: string } | { outcome: 'rejected'; reason: string };

/**
 * Records a caseworker's decision on a received submission of their own organisation. The
 * caller has checked the policy; this refuses a decision on anything not awaiting one.
 */
export async function recordDecision(
  trx: Db,
  submission: SubmissionRow,
  decision: Decision,
  actor: Actor & { userId: string },
): Promise<Outcome<{ submission: SubmissionRow }>> {
  const updated = await trx
    .updateTable('submissions')
    .set({ status: decision.outcome, updated_at: sql<Date>`now()` })
    .where('id', '=', submission.id)
    .where('status', '=', 'received')
    .returningAll()
    .executeTakeFirst();
  if (!updated)
    return {
      ok: false,
      errors: [{ field: 'outcome', message: 'casework.decision.alreadyDecided' }],
    };
  const details =
    decision.outcome === 'approved'
      ? { collectionDate: decision.collectionDate }
      : { reason: decision.reason };
  await trx
    .insertInto('submission_events')
    .values({
      submission_id: submission.id,
      status: decision.outcome,
      details: JSON.stringify(details),
      actor_user_id: actor.userId,
      actor_organisation_id: submission.organisation_id,
    })
    .execute();
  await enqueue(trx, {
    topic: DECIDED_TOPIC,
    payload: { submissionId: submission.id },
    idempotencyKey: `${DECIDED_TOPIC}:${submission.id}`,
  });
  await recordAudit(trx, actor, {
    action: `submission.${decision.outcome}`,
    resourceType: 'submission',
    resourceId: submission.id,
    subjectUserId: submission.applicant_user_id,
    details,
  });
  return { ok: true, submission: updated };
}
