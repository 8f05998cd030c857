import { randomUUID } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import type { Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { ApplicantDetails, OnBehalfOf, StoredAnswers } from '../db/tables.js';
import { newReference } from '../reference.js';
import { SUBMITTED_TOPIC } from './submissions.js';

/** One submission sent through the hub API, without files, as the batch statement stores it. */
export interface BatchedSubmission {
  serviceId: string;
  organisationId: string;
  /** The person whose access token sent it; null when a body's key sent it. */
  applicantUserId: string | null;
  answers: StoredAnswers;
  applicant: ApplicantDetails | null;
  channel: string;
  /** The body whose key sent it, and the key: stored only if the key is still live then. */
  submittedBy: { organisationId: string; keyId: string } | null;
  onBehalfOf: OnBehalfOf | null;
  idempotency: { scope: string; key: string; requestSha256: string };
  formVersion: number;
  /** The form's key: with the version, what the answers' words are written from when read. */
  formKey: string;
  actor: Actor;
  /** What the audit entry's details say besides the reference (channel, key or client …). */
  auditDetails: Record<string, unknown>;
}

/**
 * What happened to one submission of a batch: stored (with the id and reference it was given),
 * refused because its key was revoked before the write, or not stored because a unique index
 * said no (its Idempotency-Key was used already, or the random reference was taken): the
 * caller then sends it on its own, which says which and answers accordingly.
 */
export type BatchOutcome =
  | { stored: true; id: string; reference: string }
  | { stored: false; reason: 'key-revoked' | 'conflict' };

// The rows arrive as one jsonb array (one parameter, whatever the batch size, the same text
// every time so the server's plan cache and Kysely's compiler are not asked again). For each
// row whose key is still live (a key revoked since the request was authenticated stores
// nothing), the submission is inserted; for each one inserted, its first event, the outbox
// message that delivers it and the audit entry, as createSubmission writes them. One statement
// is one transaction: all of it is stored, or none. `on conflict do nothing` (any unique index)
// leaves out a row whose Idempotency-Key or reference is taken instead of failing the batch;
// the last SELECT says, per row, which happened.
const BATCH_SQL = `
with batch as (
  select * from jsonb_to_recordset($1::jsonb) as r(
    id uuid, reference text, service_id uuid, organisation_id uuid, applicant_user_id uuid,
    answers jsonb, applicant jsonb, channel text, submitted_by_organisation_id uuid,
    submitted_by_key_id uuid, on_behalf_of jsonb, idempotency_scope text, idempotency_key text,
    request_sha256 text, form_version integer, form_key text, actor_user_id uuid,
    actor_organisation_id uuid, actor_role text, request_id text, audit_details jsonb)
),
allowed as (
  select b.* from batch b
  where b.submitted_by_key_id is null
     or exists (select 1 from hub_api_keys k
                where k.id = b.submitted_by_key_id and k.revoked_at is null)
),
inserted as (
  insert into submissions (id, reference, service_id, organisation_id, applicant_user_id,
    submitted_by_user_id, answers, status, applicant, channel, submitted_by_organisation_id,
    submitted_by_key_id, on_behalf_of, idempotency_scope, idempotency_key, request_sha256,
    form_version, form_key)
  select id, reference, service_id, organisation_id, applicant_user_id, applicant_user_id,
    answers, 'submitted', applicant, channel, submitted_by_organisation_id, submitted_by_key_id,
    on_behalf_of, idempotency_scope, idempotency_key, request_sha256, form_version, form_key
  from allowed
  on conflict do nothing
  returning id
),
event as (
  insert into submission_events (submission_id, status, details, actor_user_id,
    actor_organisation_id)
  select b.id, 'submitted', '{}'::jsonb, b.applicant_user_id, b.submitted_by_organisation_id
  from inserted i join batch b on b.id = i.id
),
message as (
  insert into outbox (topic, payload, idempotency_key)
  select '${SUBMITTED_TOPIC}', jsonb_build_object('submissionId', i.id),
    '${SUBMITTED_TOPIC}:' || i.id
  from inserted i
  on conflict (idempotency_key) do nothing
),
audit as (
  insert into audit_log (action, actor_user_id, actor_organisation_id, actor_role,
    subject_user_id, resource_type, resource_id, request_id, details)
  select 'submission.created', b.actor_user_id, b.actor_organisation_id, b.actor_role,
    b.applicant_user_id, 'submission', b.id::text, b.request_id, b.audit_details
  from inserted i join batch b on b.id = i.id
)
select b.id, b.reference,
  exists (select 1 from inserted i where i.id = b.id) as stored,
  exists (select 1 from allowed a where a.id = b.id) as key_live
from batch b`;

/**
 * The batch statement as a named (prepared) statement: `pg` sends a query config with a `name`
 * to the server once per connection, which parses it once and, after a few runs, keeps one
 * generic plan, so each batch skips parsing and planning the five-part statement (about
 * 0.6 ms of the server's CPU a batch on the bench machine, as much as executing a batch of
 * three). Kysely hands its `sql` to `pg`'s `client.query` as it is; PGlitePool reads the text
 * out of it. The name is versioned: change the text, change the name (one connection may
 * not prepare two texts under one name).
 */
function batchStatement(): string {
  const query: { text: string; name: string } = { text: BATCH_SQL, name: 'submissions_batch_v2' };
  return query as unknown as string;
}

/**
 * Stores a batch of hub submissions (no files, no drafts, no agents: see createSubmission for
 * those) in one statement, so one round trip and one commit for all of them. Each gets a new id
 * and reference here. Returns one outcome per submission, in order. Used through groupCommit
 * by the hub's submit route; with one submission it is the same write as createSubmission's.
 */
export async function createSubmissionBatch(
  db: Db,
  submissions: BatchedSubmission[],
): Promise<BatchOutcome[]> {
  const rows = submissions.map((s) => {
    const id = randomUUID();
    const reference = newReference();
    return {
      id,
      reference,
      service_id: s.serviceId,
      organisation_id: s.organisationId,
      applicant_user_id: s.applicantUserId,
      answers: s.answers,
      applicant: s.applicant,
      channel: s.channel,
      submitted_by_organisation_id: s.submittedBy?.organisationId ?? null,
      submitted_by_key_id: s.submittedBy?.keyId ?? null,
      on_behalf_of: s.onBehalfOf,
      idempotency_scope: s.idempotency.scope,
      idempotency_key: s.idempotency.key,
      request_sha256: s.idempotency.requestSha256,
      form_version: s.formVersion,
      form_key: s.formKey,
      actor_user_id: s.actor.userId,
      actor_organisation_id: s.actor.organisationId,
      actor_role: s.actor.role,
      request_id: s.actor.requestId ?? null,
      audit_details: { reference, ...s.auditDetails },
    };
  });
  const { rows: results } = await db.executeQuery<{
    id: string;
    reference: string;
    stored: boolean;
    key_live: boolean;
  }>(CompiledQuery.raw(batchStatement(), [JSON.stringify(rows)]));
  const byId = new Map(results.map((r) => [r.id, r]));
  return rows.map(({ id }): BatchOutcome => {
    const result = byId.get(id);
    if (!result) throw new Error(`The batch statement said nothing of submission ${id}`);
    if (result.stored) return { stored: true, id, reference: result.reference };
    return { stored: false, reason: result.key_live ? 'conflict' : 'key-revoked' };
  });
}
