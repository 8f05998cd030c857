import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { Outcome } from '../../../platform/errors/errors.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type {
  ApplicantBusiness,
  ApplicantDetails,
  OnBehalfOf,
  StoredAnswers,
  StoredSubmissionRow,
} from '../db/tables.js';
import { newReference } from '../reference.js';
import { announceDecision } from './decision-announced.js';

export const SUBMITTED_TOPIC = 'submission.submitted';
export const DECIDED_TOPIC = 'submission.decided';
/**
 * Announced with every new submission and every decision on one, in the same transaction, so
 * the performance module can measure it (its handler reads the submission again: idempotent).
 */
export const MEASURE_TOPIC = 'submission.measure';

/** The message that asks for a submission to be measured (again) after `what` happened to it. */
export function measureMessage(submissionId: string, what: string) {
  return {
    topic: MEASURE_TOPIC,
    payload: { submissionId },
    idempotencyKey: `${MEASURE_TOPIC}:${submissionId}:${what}`,
  };
}
/**
 * Announced when a submission reaches Joinedup's casework (the body has no system of its own):
 * the casework module handles it by opening a case. Payload `{ submissionId }`.
 */
export const CASEWORK_RECEIVED_TOPIC = 'submission.received-by-casework';

export interface NewSubmission {
  /** The web draft it was made from; absent when it came through the hub API. */
  draftId?: string | null;
  serviceId: string;
  organisationId: string;
  /** The applicant's account; null when a channel sends it for someone without one. */
  applicantUserId: string | null;
  /** With its summary, or (through the hub API, with formKey) without: see StoredAnswers. */
  answers: StoredAnswers;
  /** Set when an agent acting for the applicant sends it; the names are kept as they were then. */
  agent?: SubmittingAgent | null;
  /** Who the applicant said they are, when a channel sends it. */
  applicant?: ApplicantDetails | null;
  /** `web` by default; the API caller's channel label otherwise. */
  channel?: string;
  /** The adviser who filled it in with the applicant (assisted digital): channel is then `phone` or `face-to-face`. */
  assistedBy?: string | null;
  /** The body whose hub key sent it, and the key. */
  submittedBy?: { organisationId: string; keyId: string } | null;
  /** An intermediary's reference for the person's consent. */
  onBehalfOf?: OnBehalfOf | null;
  /** The caller's Idempotency-Key (in its namespace) and a SHA-256 of the request. */
  idempotency?: { scope: string; key: string; requestSha256: string } | null;
  /** The version of the form definition the answers were checked against. */
  formVersion?: number | null;
  /** The form's key, given for a submission whose answers carry no summary (ADR 0009). */
  formKey?: string | null;
  /** A service for businesses: the business or charity it is for. */
  business?: ApplicantBusiness | null;
  /**
   * Its form charges a fee: kept as `awaiting-payment`, and not delivered, until the fees module
   * calls {@link releaseHeldSubmission} once the fee is paid.
   */
  awaitingPayment?: boolean;
  /** The service's eligibility rules in force when it is made (the rules module's version id). */
  ruleSetVersionId?: string | null;
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
): Promise<StoredSubmissionRow> {
  const agent = input.agent ?? null;
  const eventDetails = agent
    ? {
        on_behalf_of: input.applicantUserId,
        agent_name: agent.name,
        agent_business_id: agent.businessId,
        agent_business_name: agent.businessName,
      }
    : {};
  const status = input.awaitingPayment ? 'awaiting-payment' : 'submitted';
  for (let attempt = 1; ; attempt++) {
    const id = randomUUID();
    const reference = newReference();
    const text = (value: string | null) => sql<string>`${value}::text`;
    const uuid = (value: string | null) => sql<string>`${value}::uuid`;
    const jsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::jsonb`;
    // One statement (so one round trip, and atomic even without the caller's transaction): the
    // submission, and only if it was inserted, its first event, the outbox message that delivers
    // it (the rows enqueue writes) and the audit entry (the row recordAudit writes). A reference
    // already taken inserts nothing, and we try again with a new one; the unique index is the
    // guard, so there is no SELECT first. Any other clash (a draft sent twice, an
    // Idempotency-Key) is an error as before.
    const submission = await trx
      .with('inserted', (db) =>
        db
          .insertInto('submissions')
          .values({
            id,
            reference,
            draft_id: input.draftId ?? null,
            service_id: input.serviceId,
            organisation_id: input.organisationId,
            applicant_user_id: input.applicantUserId,
            submitted_by_user_id: agent?.userId ?? input.applicantUserId,
            agent_business_id: agent?.businessId ?? null,
            answers: JSON.stringify(input.answers),
            status,
            applicant: input.applicant ? JSON.stringify(input.applicant) : null,
            ...(input.channel ? { channel: input.channel } : {}),
            assisted_by_user_id: input.assistedBy ?? null,
            submitted_by_organisation_id: input.submittedBy?.organisationId ?? null,
            submitted_by_key_id: input.submittedBy?.keyId ?? null,
            on_behalf_of: input.onBehalfOf ? JSON.stringify(input.onBehalfOf) : null,
            idempotency_scope: input.idempotency?.scope ?? null,
            idempotency_key: input.idempotency?.key ?? null,
            request_sha256: input.idempotency?.requestSha256 ?? null,
            form_version: input.formVersion ?? null,
            form_key: input.formKey ?? null,
            applicant_business_id: input.business?.id ?? null,
            applicant_business: input.business ? JSON.stringify(input.business) : null,
            rule_set_version_id: input.ruleSetVersionId ?? null,
          })
          .onConflict((oc) => oc.column('reference').doNothing())
          .returningAll(),
      )
      .with('event', (db) =>
        db
          .insertInto('submission_events')
          .columns(['submission_id', 'status', 'details', 'actor_user_id', 'actor_organisation_id'])
          .expression((eb) =>
            eb
              .selectFrom('inserted')
              .select([
                'inserted.id',
                text(status).as('status'),
                jsonb(eventDetails).as('details'),
                uuid(agent?.userId ?? input.applicantUserId).as('actor_user_id'),
                uuid(input.submittedBy?.organisationId ?? null).as('actor_organisation_id'),
              ]),
          ),
      )
      .with('message', (db) =>
        db
          .insertInto('outbox')
          .columns(['topic', 'payload', 'idempotency_key'])
          .expression((eb) =>
            eb
              .selectFrom('inserted')
              .select([
                text(SUBMITTED_TOPIC).as('topic'),
                jsonb({ submissionId: id }).as('payload'),
                text(`${SUBMITTED_TOPIC}:${id}`).as('idempotency_key'),
              ])
              // A held application is delivered when it is released, not now.
              .where(sql<boolean>`${sql.lit(!input.awaitingPayment)}`),
          )
          .onConflict((oc) => oc.column('idempotency_key').doNothing()),
      )
      .with('measure', (db) =>
        db
          .insertInto('outbox')
          .columns(['topic', 'payload', 'idempotency_key'])
          .expression((eb) =>
            eb
              .selectFrom('inserted')
              .select([
                text(MEASURE_TOPIC).as('topic'),
                jsonb({ submissionId: id }).as('payload'),
                text(`${MEASURE_TOPIC}:${id}:submitted`).as('idempotency_key'),
              ])
              // A held application is measured when it is released (sent on), not now.
              .where(sql<boolean>`${sql.lit(!input.awaitingPayment)}`),
          )
          .onConflict((oc) => oc.column('idempotency_key').doNothing()),
      )
      .with('audit', (db) =>
        db
          .insertInto('audit_log')
          .columns([
            'action',
            'actor_user_id',
            'actor_organisation_id',
            'actor_role',
            'subject_user_id',
            'resource_type',
            'resource_id',
            'request_id',
            'details',
          ])
          .expression((eb) =>
            eb
              .selectFrom('inserted')
              .select([
                text('submission.created').as('action'),
                uuid(actor.userId).as('actor_user_id'),
                uuid(actor.organisationId).as('actor_organisation_id'),
                text(actor.role).as('actor_role'),
                uuid(input.applicantUserId).as('subject_user_id'),
                text('submission').as('resource_type'),
                text(id).as('resource_id'),
                text(actor.requestId ?? null).as('request_id'),
                jsonb({ reference, ...auditDetails }).as('details'),
              ]),
          ),
      )
      .selectFrom('inserted')
      .selectAll()
      .executeTakeFirst();
    if (submission) return submission;
    if (attempt >= 5) throw new Error('Could not find an unused submission reference');
  }
}

/**
 * Sends on an application held for its fee (`awaiting-payment`) exactly as one without a fee
 * goes: its `submitted` event (with the details the held one recorded, such as the agent's) and
 * the outbox message that delivers it. Idempotent: a submission not held (released already)
 * changes nothing and gives undefined.
 */
export async function releaseHeldSubmission(
  trx: Db,
  submissionId: string,
): Promise<StoredSubmissionRow | undefined> {
  const released = await trx
    .updateTable('submissions')
    .set({ status: 'submitted', updated_at: sql<Date>`now()` })
    .where('id', '=', submissionId)
    .where('status', '=', 'awaiting-payment')
    .returningAll()
    .executeTakeFirst();
  if (!released) return undefined;
  const held = await trx
    .selectFrom('submission_events')
    .select(['details', 'actor_user_id', 'actor_organisation_id'])
    .where('submission_id', '=', submissionId)
    .where('status', '=', 'awaiting-payment')
    .orderBy('id')
    .executeTakeFirst();
  await trx
    .insertInto('submission_events')
    .values({
      submission_id: submissionId,
      status: 'submitted',
      details: JSON.stringify(held?.details ?? {}),
      actor_user_id: held?.actor_user_id ?? null,
      actor_organisation_id: held?.actor_organisation_id ?? null,
    })
    .execute();
  await enqueue(trx, {
    topic: SUBMITTED_TOPIC,
    payload: { submissionId },
    idempotencyKey: `${SUBMITTED_TOPIC}:${submissionId}`,
  });
  await enqueue(trx, measureMessage(submissionId, 'submitted'));
  return released;
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
): Promise<StoredSubmissionRow | undefined> {
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
  submission: StoredSubmissionRow,
  decision: Decision,
  actor: Actor & { userId: string },
): Promise<Outcome<{ submission: StoredSubmissionRow }>> {
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
  await enqueue(trx, measureMessage(submission.id, 'decided'));
  await announceDecision(trx, submission.id, decision.outcome, 'decided');
  await recordAudit(trx, actor, {
    action: `submission.${decision.outcome}`,
    resourceType: 'submission',
    resourceId: submission.id,
    subjectUserId: submission.applicant_user_id,
    details,
  });
  return { ok: true, submission: updated };
}
