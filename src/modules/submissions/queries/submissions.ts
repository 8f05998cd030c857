import { auditForResource, recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { SubmissionEventRow, SubmissionRow, SubmissionStatus } from '../db/tables.js';
import { actingAuditDetails, canActFor } from '../../agents/index.js';
import { canAgentSee, canApplicantSee, canStaffWork } from '../policies/submissions.js';
import { parseReference } from '../reference.js';
import { withSummaries, withSummary } from './summary.js';

export async function findSubmissionByDraftId(
  db: Db,
  draftId: string,
): Promise<SubmissionRow | undefined> {
  const row = await db
    .selectFrom('submissions')
    .selectAll()
    .where('draft_id', '=', draftId)
    .executeTakeFirst();
  return row && withSummary(db, row);
}

export async function findSubmissionById(db: Db, id: string): Promise<SubmissionRow | undefined> {
  const row = await db
    .selectFrom('submissions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && withSummary(db, row);
}

async function findByReference(db: Db, reference: string): Promise<SubmissionRow | undefined> {
  const standard = parseReference(reference);
  if (!standard) return undefined;
  const row = await db
    .selectFrom('submissions')
    .selectAll()
    .where('reference', '=', standard)
    .executeTakeFirst();
  return row && withSummary(db, row);
}

export async function eventsFor(db: Db, submissionId: string): Promise<SubmissionEventRow[]> {
  return db
    .selectFrom('submission_events')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .orderBy('id')
    .execute();
}

/** A person's own applications, newest first. */
export async function listForApplicant(db: Db, userId: string): Promise<SubmissionRow[]> {
  const rows = await db
    .selectFrom('submissions')
    .selectAll()
    .where('applicant_user_id', '=', userId)
    .orderBy('submitted_at', 'desc')
    .limit(200)
    .execute();
  return withSummaries(db, rows);
}

/**
 * The applications an agent acting for a client may see: the client's, only in the services
 * the client's authority covers (checked service by service, on this request).
 */
export async function listForActingAgent(db: Db, user: CurrentUser): Promise<SubmissionRow[]> {
  const clientId = user.actingFor?.userId;
  if (!clientId) return [];
  const rows = await listForApplicant(db, clientId);
  const covered = new Map<string, boolean>();
  for (const serviceId of new Set(rows.map((row) => row.service_id)))
    covered.set(serviceId, await canActFor(db, user, clientId, serviceId));
  return rows.filter((row) => canAgentSee(user, row, covered.get(row.service_id) === true));
}

/**
 * One of a person's own applications, with its history and every staff view of it; or one of
 * a client's, for an agent acting for them in its service (the look is audited "by the agent
 * on behalf of the client"). Anyone else's reference is "not found", so references cannot be
 * probed.
 */
export async function getForApplicant(
  db: Db,
  user: CurrentUser | null,
  reference: string,
  actor?: Actor,
) {
  const submission = await findByReference(db, reference);
  if (!submission) throw notFound({ reference });
  const own = canApplicantSee(user, submission);
  const asAgent =
    !own &&
    user?.actingFor?.userId === submission.applicant_user_id &&
    canAgentSee(
      user,
      submission,
      await canActFor(db, user, submission.applicant_user_id, submission.service_id),
    );
  if (!own && !asAgent) throw notFound({ reference });
  if (asAgent && actor) {
    await recordAudit(db, actor, {
      action: 'submission.viewed_by_agent',
      resourceType: 'submission',
      resourceId: submission.id,
      subjectUserId: submission.applicant_user_id,
      details: { reference: submission.reference, ...actingAuditDetails(user) },
    });
  }
  const [events, audit] = await Promise.all([
    eventsFor(db, submission.id),
    auditForResource(db, 'submission', submission.id),
  ]);
  const views = audit.filter((entry) => entry.action === 'submission.viewed');
  return { submission, events, views, asAgent };
}

/** The queue: an organisation's submissions in a state, oldest first (first come, first served). */
export async function listForOrganisation(
  db: Db,
  user: CurrentUser,
  statuses: SubmissionStatus[],
): Promise<SubmissionRow[]> {
  if (!user.organisationId || !canStaffWork(user, { organisation_id: user.organisationId }))
    return [];
  const rows = await db
    .selectFrom('submissions')
    .selectAll()
    .where('organisation_id', '=', user.organisationId)
    .where('status', 'in', statuses)
    .orderBy('submitted_at')
    .limit(500)
    .execute();
  return withSummaries(db, rows);
}

/**
 * A submission opened by staff. Checks the policy first (another council's submission is
 * "not found", and the attempt is logged), then writes the view to the audit log the
 * applicant can read.
 */
export async function viewAsStaff(db: Db, user: CurrentUser, reference: string, actor: Actor) {
  const submission = await openForStaff(db, user, reference, actor);
  const events = await eventsFor(db, submission.id);
  return { submission, events };
}

/**
 * What `viewAsStaff` and the staff receipt share: the submission by its reference, when the
 * user's body works it, the view audited as `submission.viewed` (with `details` besides the
 * reference, e.g. which receipt was read); otherwise "not found", a refusal audited as
 * `submission.view_refused` for security review.
 */
export async function openForStaff(
  db: Db,
  user: CurrentUser,
  reference: string,
  actor: Actor,
  details: Record<string, unknown> = {},
): Promise<SubmissionRow> {
  const submission = await findByReference(db, reference);
  if (!submission || !canStaffWork(user, submission)) {
    if (submission) {
      // Kept for security review; not shown to the applicant, as nothing of theirs was seen.
      await recordAudit(db, actor, {
        action: 'submission.view_refused',
        resourceType: 'submission',
        resourceId: submission.id,
        subjectUserId: null,
        details: { reference: submission.reference, ...details },
      });
    }
    throw notFound({
      reference,
      userId: user.id,
      organisationId: user.organisationId,
      reason: 'not this organisation’s submission',
    });
  }
  await recordAudit(db, actor, {
    action: 'submission.viewed',
    resourceType: 'submission',
    resourceId: submission.id,
    subjectUserId: submission.applicant_user_id,
    details: { reference: submission.reference, ...details },
  });
  return submission;
}

/**
 * A submission to this organisation by its (already parsed) reference, if there is one and its
 * applicant has a Joinedup account (one a channel sent for someone without an account is not
 * found: there is no one to write to).
 */
export async function findSubmissionForOrganisation(
  db: Db,
  reference: string,
  organisationId: string,
): Promise<{ id: string; reference: string; applicant_user_id: string } | undefined> {
  const row = await db
    .selectFrom('submissions')
    .select(['id', 'reference', 'applicant_user_id'])
    .where('reference', '=', reference)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row?.applicant_user_id ? { ...row, applicant_user_id: row.applicant_user_id } : undefined;
}

/** How many of a body's submissions wait to be delivered, and since when the oldest has. */
export async function countWaiting(
  db: Db,
  organisationId: string,
): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('submissions')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.min<Date | null>('submitted_at').as('oldest'),
    ])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null };
}

/** Where a submission is, without its answers: what a public channel may say of it. */
export interface SubmissionProgress {
  id: string;
  status: SubmissionStatus;
  updatedAt: Date;
}

/**
 * The status of many submissions at once, by id (ids not found are missing from the map): for
 * channels that list many reports with their status, such as Open311's GET requests.
 */
export async function submissionStatuses(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, SubmissionProgress>> {
  const progress = new Map<string, SubmissionProgress>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += 1000) {
    const rows = await db
      .selectFrom('submissions')
      .select(['id', 'status', 'updated_at'])
      .where('id', 'in', unique.slice(start, start + 1000))
      .execute();
    for (const row of rows)
      progress.set(row.id, { id: row.id, status: row.status, updatedAt: row.updated_at });
  }
  return progress;
}

/**
 * The applicant and body of the application with this reference (also a casework case's
 * reference), for a contact centre adviser finding the caller; undefined if there is none.
 */
export async function findApplicantOfReference(
  db: Db,
  reference: string,
): Promise<{ userId: string | null; organisationId: string } | undefined> {
  return db
    .selectFrom('submissions')
    .select(['applicant_user_id as userId', 'organisation_id as organisationId'])
    .where('reference', '=', reference)
    .executeTakeFirst();
}

/**
 * The id of the submission with this reference, for the performance module's feedback form
 * (anyone holding the reference from the confirmation page may rate it, anonymously).
 */
export async function findSubmissionIdOfReference(
  db: Db,
  reference: string,
): Promise<string | undefined> {
  return (await findByReference(db, reference))?.id;
}
