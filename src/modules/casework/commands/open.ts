/**
 * Opening cases. Each submission Joinedup's casework receives becomes a case with the same
 * reference, following the workflow its service's owner chose (or the platform's `default`)
 * at the version published then, in that workflow's start state.
 */
import type { Kysely } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Database, Db } from '../../../platform/db/database.js';
import type { OutboxHandler } from '../../../platform/outbox/outbox.js';
import { findUserById } from '../../identity/index.js';
import { findSubmissionById } from '../../submissions/index.js';
import { addWorkingDays } from '../calendar/index.js';
import type { CaseLocation, CaseRow, CaseSource } from '../db/tables.js';
import { findCaseOfSubmission } from '../queries/cases.js';
import { publishedWorkflow, workflowKeyOfService } from '../queries/workflows.js';
import { DEFAULT_WORKFLOW } from '../workflow/bundled.js';
import { startState } from '../workflow/engine.js';
import { recordCaseEvent } from './events.js';
import { ensurePlatformWorkflows } from './workflows.js';

const PLATFORM: Actor = { userId: null, organisationId: null, role: 'platform' };

/** What a new case is opened with. */
export interface NewCase {
  reference: string;
  organisationId: string;
  serviceId: string;
  submissionId?: string | null;
  source?: CaseSource;
  referredFromCaseId?: string | null;
  applicantUserId?: string | null;
  applicantName?: string | null;
  location?: CaseLocation | null;
}

/**
 * The workflow version a new case of this body and service follows: the service's choice, the
 * body's own `default` or the platform's. Should the platform's not be in the database yet (a
 * database seeded without the app having started), it is published first.
 */
async function workflowFor(trx: Db, organisationId: string, serviceId: string) {
  const key = await workflowKeyOfService(trx, serviceId);
  const found =
    (await publishedWorkflow(trx, organisationId, key)) ??
    (await publishedWorkflow(trx, organisationId, DEFAULT_WORKFLOW));
  if (found) return found;
  await ensurePlatformWorkflows(trx);
  return (
    (await publishedWorkflow(trx, organisationId, key)) ??
    (await publishedWorkflow(trx, organisationId, DEFAULT_WORKFLOW))!
  );
}

/**
 * Opens a case in its workflow's start state, with the start state's time limit, its "opened"
 * event and audit entry, in the caller's transaction. A submission that already has a case gets
 * no second one: returns undefined (the outbox may deliver the hand-off twice).
 */
export async function openCase(
  trx: Db,
  input: NewCase,
  now = new Date(),
): Promise<CaseRow | undefined> {
  const workflow = await workflowFor(trx, input.organisationId, input.serviceId);
  const start = startState(workflow.definition);
  const caseRow = await trx
    .insertInto('cases')
    .values({
      reference: input.reference,
      organisation_id: input.organisationId,
      service_id: input.serviceId,
      submission_id: input.submissionId ?? null,
      source: input.source ?? 'submission',
      referred_from_case_id: input.referredFromCaseId ?? null,
      applicant_user_id: input.applicantUserId ?? null,
      applicant_name: input.applicantName ?? null,
      workflow_id: workflow.id,
      state: start.name,
      state_entered_at: now,
      due_at: start.slaDays ? addWorkingDays(now, start.slaDays) : null,
      opened_at: now,
      location: input.location ? JSON.stringify(input.location) : null,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!caseRow) return undefined;
  await recordCaseEvent(trx, caseRow.id, {
    kind: 'opened',
    toState: start.name,
    actorOrganisationId: input.organisationId,
    details: { workflow: workflow.definition.key, source: caseRow.source },
  });
  await recordAudit(trx, PLATFORM, {
    action: 'casework.case.opened',
    resourceType: 'case',
    resourceId: caseRow.id,
    subjectUserId: caseRow.applicant_user_id,
    details: { reference: caseRow.reference, workflow: workflow.definition.key, state: start.name },
  });
  return caseRow;
}

/**
 * The hand-off from submissions (`CASEWORK_RECEIVED_TOPIC`): opens the submission's case.
 * Idempotent: a submission with a case already is left alone.
 */
export const openCaseHandler: OutboxHandler = async (payload, { db }) => {
  await openCaseForSubmission(db, String(payload.submissionId));
};

/** Opens the case of a received submission (read first: inside the transaction only trx is used). */
export async function openCaseForSubmission(
  db: Kysely<Database>,
  submissionId: string,
): Promise<CaseRow | undefined> {
  const submission = await findSubmissionById(db, submissionId);
  if (!submission) throw new Error(`Submission ${submissionId} not found`);
  if (await findCaseOfSubmission(db, submission.id)) return undefined;
  const applicant = submission.applicant_user_id
    ? await findUserById(db, submission.applicant_user_id)
    : undefined;
  return db.transaction().execute((trx) =>
    openCase(trx, {
      reference: submission.reference,
      organisationId: submission.organisation_id,
      serviceId: submission.service_id,
      submissionId: submission.id,
      applicantUserId: submission.applicant_user_id,
      applicantName: applicant?.display_name ?? submission.applicant?.name ?? null,
    }),
  );
}
