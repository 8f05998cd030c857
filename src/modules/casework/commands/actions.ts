/**
 * Taking a workflow action on a case: the one way a case changes state. Checked against the
 * case's own workflow version, the person's roles on the case and the version of the case they
 * saw (optimistic locking), it moves the case, records the event, keeps the submission in step,
 * queues what the applicant is told and writes the audit entry — or changes nothing.
 */
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { canActFor } from '../../agents/index.js';
import { attachmentsByIds, linkAttachments } from '../../attachments/index.js';
import {
  findSubmissionById,
  recordCaseProgress,
  type CaseProgress,
} from '../../submissions/index.js';
import { addWorkingDays, dueAfterPause } from '../calendar/index.js';
import type { CaseRow } from '../db/tables.js';
import { caseRolesOf } from '../policies/cases.js';
import { findCaseByReference } from '../queries/cases.js';
import { loadWorkflow } from '../queries/workflows.js';
import { checkAction, stateOf } from '../workflow/engine.js';
import type { CaseRole, WorkflowAction, WorkflowState } from '../workflow/schema.js';
import { auditActor, type CaseActor } from './actor.js';
import { recordCaseEvent } from './events.js';

/** Outbox topic: tell the applicant what an action's `tell` says. Payload `{ eventId }`. */
export const TELL_TOPIC = 'casework.tell';

export interface ActionInput {
  reference: string;
  action: string;
  /** The case's version the person saw: a case changed since is a 409 with the newer version. */
  expectedVersion: number;
  comment?: string | undefined;
  /** Attachment ids: uploads of the person taking the action, or files of the case's submission. */
  documents?: string[] | undefined;
  /** Date inputs: `name` as YYYY-MM-DD, or `name-day`, `name-month`, `name-year`. */
  inputs?: Record<string, string> | undefined;
}

export type ActionOutcome =
  | { ok: true; caseRow: CaseRow }
  | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldError[]; current?: CaseRow };

/**
 * The roles someone has on this case; an agent's authority is checked on this request. The
 * holder of the e-mail address an application without an account gave acts as its applicant
 * only where the answer to a request for information says so (`answersForApplicant`).
 */
export async function rolesOnCase(db: Db, caseRow: CaseRow, actor: CaseActor): Promise<CaseRole[]> {
  const { user } = actor;
  if (actor.answersForApplicant && caseRow.applicant_user_id === null && user.kind === 'citizen')
    return ['applicant'];
  const agentAuthority =
    !!user.actingFor &&
    user.actingFor.userId === caseRow.applicant_user_id &&
    (await canActFor(db, user, user.actingFor.userId, caseRow.service_id));
  return caseRolesOf(user, caseRow, agentAuthority);
}

/**
 * The columns a move to `to` sets. Entering a state that pauses the clock stops it (the time
 * limit stays as it was); leaving one continues the earlier limit, moved on by the working days
 * it stood still; any other state starts its own limit; a final state closes the case.
 */
export function moveColumns(
  caseRow: CaseRow,
  from: WorkflowState | undefined,
  to: WorkflowState,
  now: Date,
) {
  if (to.terminal) return { due_at: null, paused_at: null, escalated_at: null, closed_at: now };
  if (to.pausesClock)
    return { due_at: caseRow.due_at, paused_at: caseRow.paused_at ?? now, closed_at: null };
  if (from?.pausesClock && caseRow.paused_at && caseRow.due_at)
    return {
      due_at: dueAfterPause(caseRow.due_at, caseRow.paused_at, now),
      paused_at: null,
      closed_at: null,
    };
  return {
    due_at: to.slaDays ? addWorkingDays(now, to.slaDays) : null,
    paused_at: null,
    escalated_at: null,
    closed_at: null,
  };
}

/**
 * What the submission should show after the action: its decision, or the new state's progress.
 * A decision the workflow tells the applicant about is sent as casework's decision letter
 * (`information/letters`), so the submissions module does not e-mail it as well.
 */
function progressOf(
  action: WorkflowAction,
  to: WorkflowState,
  comment: string | null,
  inputs: Record<string, string>,
): CaseProgress | null {
  if (action.decision)
    return {
      decision: action.decision,
      comment,
      // A date input named `collectionDate` is the web's booked collection (bulky waste).
      collectionDate: inputs.collectionDate ?? null,
      mail: !action.tell,
    };
  return to.submissionStatus ? { progress: to.submissionStatus } : null;
}

/** Documents must be the person's own uploads or files already with the case's submission. */
async function documentProblems(
  trx: Db,
  caseRow: CaseRow,
  actor: CaseActor,
  ids: readonly string[],
): Promise<FieldError[]> {
  if (ids.length === 0) return [];
  const found = await attachmentsByIds(trx, ids);
  const usable = found.filter(
    (file) =>
      (file.ownerUserId === actor.user.id &&
        (!file.submissionId || file.submissionId === caseRow.submission_id)) ||
      (caseRow.submission_id !== null && file.submissionId === caseRow.submission_id),
  );
  return usable.length === new Set(ids.map((id) => id.toLowerCase())).size
    ? []
    : [{ field: 'document', message: 'casework.action.document.unknown' }];
}

/**
 * Takes a workflow action on a case, in the caller's transaction. Nothing changes unless it
 * succeeds: a case the person may not see is 404; an action not theirs 403; a case changed since
 * `expectedVersion` (with the newer `current`), or an action not possible from its state, 409;
 * a missing comment, document or date 400 with the fields to correct.
 *
 * @example
 * const outcome = await performAction(trx, { reference, action: 'approve', expectedVersion: 3 }, { user, requestId });
 */
export async function performAction(
  trx: Db,
  input: ActionInput,
  actor: CaseActor,
  now = new Date(),
): Promise<ActionOutcome> {
  const caseRow = await findCaseByReference(trx, input.reference);
  const roles = caseRow ? await rolesOnCase(trx, caseRow, actor) : [];
  if (!caseRow || roles.length === 0)
    return {
      ok: false,
      status: 404,
      errors: [{ field: 'reference', message: 'casework.case.notFound' }],
    };
  if (caseRow.version !== input.expectedVersion)
    return {
      ok: false,
      status: 409,
      errors: [{ field: 'version', message: 'casework.action.stale' }],
      current: caseRow,
    };
  const definition = await loadWorkflow(trx, caseRow.workflow_id);
  const checked = checkAction(
    definition,
    { state: caseRow.state, stateEnteredAt: caseRow.state_entered_at },
    input.action,
    roles,
    { comment: input.comment, documents: input.documents, inputs: input.inputs },
    now,
  );
  if (!checked.ok)
    return {
      ok: false,
      status: checked.status,
      errors: checked.errors,
      ...(checked.status === 409 ? { current: caseRow } : {}),
    };
  const documentErrors = await documentProblems(trx, caseRow, actor, checked.documents);
  if (documentErrors.length) return { ok: false, status: 400, errors: documentErrors };

  const from = stateOf(definition, caseRow.state);
  const updated = await trx
    .updateTable('cases')
    .set({
      state: checked.to.name,
      state_entered_at: now,
      ...moveColumns(caseRow, from, checked.to, now),
      version: caseRow.version + 1,
    })
    .where('id', '=', caseRow.id)
    .where('version', '=', input.expectedVersion)
    .returningAll()
    .executeTakeFirst();
  if (!updated) {
    // Changed between our read and our write: report the newer version.
    const current = await findCaseByReference(trx, caseRow.reference);
    return {
      ok: false,
      status: 409,
      errors: [{ field: 'version', message: 'casework.action.stale' }],
      ...(current ? { current } : {}),
    };
  }
  await afterMove(trx, { before: caseRow, after: updated, checked, actor, roles });
  return { ok: true, caseRow: updated };
}

/** Everything a successful move brings with it, in the same transaction. */
async function afterMove(
  trx: Db,
  move: {
    before: CaseRow;
    after: CaseRow;
    checked: Extract<ReturnType<typeof checkAction>, { ok: true }>;
    actor: CaseActor;
    roles: string[];
  },
) {
  const { before, after, checked, actor } = move;
  const { user } = actor;
  const staff = user.kind === 'staff';
  if (checked.documents.length && before.submission_id)
    await linkAttachments(trx, before.submission_id, before.organisation_id, checked.documents, {
      ownerUserId: user.id,
    });
  const event = await recordCaseEvent(trx, before.id, {
    kind: 'action',
    action: checked.action.name,
    fromState: before.state,
    toState: checked.to.name,
    actorUserId: user.id,
    actorOrganisationId: staff ? user.organisationId : null,
    comment: checked.comment,
    documents: checked.documents,
    details: {
      ...(Object.keys(checked.inputs).length ? { inputs: checked.inputs } : {}),
      ...(checked.action.decision ? { decision: checked.action.decision } : {}),
      ...(user.actingFor ? { on_behalf_of: user.actingFor.userId } : {}),
      ...(actor.answersForApplicant ? { as_applicant: 'email-holder' } : {}),
    },
  });
  if (!before.paused_at && after.paused_at)
    await recordCaseEvent(trx, before.id, {
      kind: 'clock-paused',
      actorUserId: user.id,
      details: { state: after.state },
    });
  if (before.paused_at && !after.paused_at && !checked.to.terminal)
    await recordCaseEvent(trx, before.id, {
      kind: 'clock-resumed',
      actorUserId: user.id,
      details: { due_at: after.due_at },
    });

  const progress = progressOf(checked.action, checked.to, checked.comment, checked.inputs);
  if (progress && before.submission_id) {
    const submission = await findSubmissionById(trx, before.submission_id);
    if (submission) await recordCaseProgress(trx, submission, progress, auditActor(actor));
  }
  if (checked.action.tell)
    await enqueue(trx, {
      topic: TELL_TOPIC,
      payload: { eventId: event.id },
      idempotencyKey: `${TELL_TOPIC}:${event.id}`,
    });
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.case.action',
    resourceType: 'case',
    resourceId: before.id,
    subjectUserId: before.applicant_user_id,
    details: {
      reference: before.reference,
      action: checked.action.name,
      from: before.state,
      to: checked.to.name,
      roles: move.roles,
      version: after.version,
    },
  });
}
