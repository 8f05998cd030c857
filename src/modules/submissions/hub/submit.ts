import { createHash } from 'node:crypto';
import type { Actor } from '../../../platform/audit/audit.js';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../../platform/db/database.js';
import type { BatchedSubmission, BatchOutcome } from '../commands/batch.js';
import { createSubmission } from '../commands/submissions.js';
import type {
  ApplicantBusiness,
  ApplicantDetails,
  OnBehalfOf,
  StoredAnswers,
} from '../db/tables.js';
import { canonicalize, type JsonValue } from '../receipts/jcs.js';
import { HubError } from './errors.js';
import { fileLists, linkUploads } from './files.js';
import { isPersonCaller, type ApiCaller } from './auth.js';

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
  /** The answers as validated, without a summary (ADR 0009): written from the form when read. */
  answers: StoredAnswers;
  formVersion: number;
  formKey: string;
  applicant: ApplicantDetails | null;
  channel: string;
  onBehalfOf: OnBehalfOf | null;
  /** A service for businesses: the business or charity it is for (see business.ts). */
  business?: ApplicantBusiness | null;
  idempotencyKey: string;
  digest: string;
}

/**
 * Takes a submission sent through the API. The submission, its first event, its outbox message
 * and the audit entry are one statement (see createSubmission), atomic on its own; with files it
 * runs in a transaction with the linking of its files (see linkUploads), so either all are
 * stored or nothing is. The answers were validated by the caller.
 *
 * Without files, and given `storeBatched` (the route's group commit of createSubmissionBatch),
 * it joins whatever batch is forming: stored with the submissions sent at the same moment in one
 * statement and one commit, and answered only after that commit. A key revoked since the
 * request was authenticated stores nothing (401); a row a unique index turned away is sent
 * again on its own, which answers the repeat or retries the reference as below. Any other way
 * calls `verifyKey` first (a cached key is checked again).
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
  storeBatched?: (submission: BatchedSubmission) => Promise<BatchOutcome>,
  /** Checks again a key read from a cache (see hubKeyCache) before anything else is stored. */
  verifyKey: () => Promise<void> = async () => {},
): Promise<{ accepted: Accepted; created: boolean }> {
  const scope = idempotencyScope(input.caller);
  const { caller } = input;
  // With a person's access token the person is the applicant and the client the channel.
  const person = isPersonCaller(caller) ? caller : null;
  const key = isPersonCaller(caller) ? null : caller;
  const auditDetails = {
    channel: input.channel,
    ...(key ? { keyId: key.keyId } : { clientId: person?.clientId }),
    ...(input.onBehalfOf ? { consentReference: input.onBehalfOf.consentReference } : {}),
  };
  const files = fileLists(input.answers.values).length > 0;
  // The batch statement has no business columns: a business's submission is stored on its own.
  if (storeBatched && !files && !input.business) {
    const outcome = await storeBatched({
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
      formKey: input.formKey,
      actor,
      auditDetails,
    });
    if (outcome.stored) return { accepted: acceptedResponse(outcome), created: true };
    if (outcome.reason === 'key-revoked')
      throw new HubError('api_key_invalid', 401, 'API key revoked');
    // A unique index said no: on its own, below, the repeat is answered or the reference retried.
  }
  await verifyKey();
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
        formKey: input.formKey,
        business: input.business ?? null,
      },
      actor,
      auditDetails,
    );
  try {
    const submission = files
      ? await db.transaction().execute(async (trx) => {
          const created = await create(trx);
          // A body's key sends its own uploads; a person's token, the person's own.
          await linkUploads(
            trx,
            { id: created.id, organisationId: input.service.organisationId },
            input.answers.values,
            key ? { uploaderOrganisationId: key.organisationId } : { ownerUserId: person!.userId },
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
