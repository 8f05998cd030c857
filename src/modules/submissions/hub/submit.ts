import { createHash } from 'node:crypto';
import type { Actor } from '../../../platform/audit/audit.js';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../../platform/db/database.js';
import { createSubmission } from '../commands/submissions.js';
import type { ApplicantDetails, OnBehalfOf, SubmittedAnswers } from '../db/tables.js';
import { canonicalize, type JsonValue } from '../receipts/jcs.js';
import { HubError } from './errors.js';
import { fileLists, linkUploads } from './files.js';
import { isPersonCaller, refusePersonUploads, type ApiCaller } from './auth.js';

/** What the 202 says, and says again for a repeat of the same request. */
export interface Accepted {
  id: string;
  reference: string;
  status: 'received';
  poll: string;
}

export function acceptedResponse(submission: { id: string; reference: string }): Accepted {
  return {
    id: submission.id,
    reference: submission.reference,
    status: 'received',
    poll: `/api/v1/submissions/${submission.id}`,
  };
}

/**
 * Whose Idempotency-Keys these are: each body's keys share one namespace; a client sending
 * with people's access tokens has one per person.
 */
export function idempotencyScope(caller: ApiCaller): string {
  return isPersonCaller(caller)
    ? `oauth:${caller.clientId}:${caller.userId}`
    : `org:${caller.organisationId}`;
}

/**
 * SHA-256 of the request in canonical JSON (RFC 8785) with the service it was sent to, so the
 * same body with its members in another order or other spacing is the same request.
 */
export function requestDigest(service: string, body: unknown): string {
  return createHash('sha256')
    .update(canonicalize({ service, body: body as JsonValue }))
    .digest('hex');
}

/** The earlier submission with this Idempotency-Key: the same request again, or a conflict (409). */
export async function earlierWithKey(
  db: Db,
  scope: string,
  key: string,
  digest: string,
): Promise<Accepted | undefined> {
  const earlier = await db
    .selectFrom('submissions')
    .select(['id', 'reference', 'request_sha256'])
    .where('idempotency_scope', '=', scope)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (!earlier) return undefined;
  if (earlier.request_sha256 !== digest)
    throw new HubError(
      'idempotency_key_reused',
      409,
      'This Idempotency-Key was used before with a different request: use a new key for a new submission',
    );
  return acceptedResponse(earlier);
}

export interface HubSubmission {
  caller: ApiCaller;
  service: { id: string; organisationId: string; slug: string };
  answers: SubmittedAnswers;
  formVersion: number;
  applicant: ApplicantDetails | null;
  channel: string;
  onBehalfOf: OnBehalfOf | null;
  idempotencyKey: string;
  digest: string;
}

/**
 * Takes a submission sent through the API. The submission, its first event, its outbox message
 * and the audit entry are one statement (see createSubmission), atomic on its own; with files it
 * runs in a transaction with the linking of its files (see linkUploads), so either all are
 * stored or nothing is. The answers were validated by the caller.
 *
 * Idempotency: nothing is looked up first. The unique index on (scope, Idempotency-Key) is the
 * guard: a repeat (or a second request with the key sent at the same moment, which waits for the
 * first to commit) fails to insert, stores nothing, and then gets the first one's answer, or a
 * 409 if it was a different request.
 */
export async function submitThroughHub(
  db: Kysely<Database>,
  input: HubSubmission,
  actor: Actor,
): Promise<{ accepted: Accepted; created: boolean }> {
  const scope = idempotencyScope(input.caller);
  const { caller } = input;
  // With a person's access token the person is the applicant and the client the channel.
  const person = isPersonCaller(caller) ? caller : null;
  const key = isPersonCaller(caller) ? null : caller;
  if (!key) refusePersonUploads(input.answers.values);
  const create = (trx: Db) =>
    createSubmission(
      trx,
      {
        serviceId: input.service.id,
        organisationId: input.service.organisationId,
        applicantUserId: person?.userId ?? null,
        answers: input.answers,
        applicant: input.applicant,
        channel: input.channel,
        submittedBy: key ? { organisationId: key.organisationId, keyId: key.keyId } : null,
        onBehalfOf: input.onBehalfOf,
        idempotency: { scope, key: input.idempotencyKey, requestSha256: input.digest },
        formVersion: input.formVersion,
      },
      actor,
      {
        channel: input.channel,
        ...(key ? { keyId: key.keyId } : { clientId: person?.clientId }),
        ...(input.onBehalfOf ? { consentReference: input.onBehalfOf.consentReference } : {}),
      },
    );
  try {
    const submission =
      key && fileLists(input.answers.values).length > 0
        ? await db.transaction().execute(async (trx) => {
            const created = await create(trx);
            await linkUploads(
              trx,
              { id: created.id, organisationId: input.service.organisationId },
              input.answers.values,
              key.organisationId,
            );
            return created;
          })
        : await create(db);
    return { accepted: acceptedResponse(submission), created: true };
  } catch (error) {
    if (!isIdempotencyRace(error)) throw error;
    const earlier = await earlierWithKey(db, scope, input.idempotencyKey, input.digest);
    if (!earlier) throw error;
    return { accepted: earlier, created: false };
  }
}

/** True for PostgreSQL's unique violation of the Idempotency-Key index (two requests at once). */
export function isIdempotencyRace(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  return (
    e?.code === '23505' &&
    (e.constraint === 'submissions_idempotency' ||
      (e.message ?? '').includes('submissions_idempotency'))
  );
}
