/**
 * The work around a case that is not a workflow action: who has it (assignment, one case or many
 * from the queue), internal notes, and links between related cases. Each checks the policy first
 * and returns what went wrong rather than throwing, so a page can show it.
 */
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { findUserById } from '../../identity/index.js';
import type { CaseNoteRow, CaseRow } from '../db/tables.js';
import { canAssign, canLink, canWorkCase } from '../policies/cases.js';
import { findCaseByReference } from '../queries/cases.js';
import { loadWorkflow } from '../queries/workflows.js';
import { availableActions } from '../workflow/engine.js';
import { performAction, rolesOnCase, type ActionOutcome } from './actions.js';
import { auditActor, type CaseActor } from './actor.js';
import { recordCaseEvent } from './events.js';

/** The most characters an internal note may have (the case_notes column's limit). */
export const MAX_NOTE = 5000;

type Failure = Extract<ActionOutcome, { ok: false }>;
const fail = (
  status: Failure['status'],
  field: string,
  message: string,
  current?: CaseRow,
): Failure => ({
  ok: false,
  status,
  errors: [{ field, message }],
  ...(current ? { current } : {}),
});

/** A case of the actor's own body, or the 404 anyone else gets. */
async function ownCase(trx: Db, reference: string, actor: CaseActor) {
  const caseRow = await findCaseByReference(trx, reference);
  return caseRow && canWorkCase(actor.user, caseRow) ? caseRow : undefined;
}

/**
 * The workflow's `assign` action, taken when a case is assigned from a state that has one (the
 * default flow's received → assigned; DIGIT's pending-assignment → pending-at-field-officer),
 * provided it asks for nothing more than the assignment.
 */
async function assignAction(trx: Db, caseRow: CaseRow, actor: CaseActor) {
  const definition = await loadWorkflow(trx, caseRow.workflow_id);
  return availableActions(definition, caseRow.state, await rolesOnCase(trx, caseRow, actor)).find(
    (action) =>
      action.name === 'assign' &&
      action.comment !== 'required' &&
      action.document !== 'required' &&
      !action.inputs?.length,
  );
}

/**
 * Gives a case to a caseworker of its body (the actor themselves or a colleague). With
 * `expectedVersion`, a case changed since is a 409 with the newer version. Assigning it to whom
 * it is already with changes nothing.
 *
 * @example await assignCase(trx, { reference, assigneeId: user.id, expectedVersion: 2 }, actor)
 */
export async function assignCase(
  trx: Db,
  input: { reference: string; assigneeId: string; expectedVersion?: number | undefined },
  actor: CaseActor,
): Promise<ActionOutcome> {
  const caseRow = await ownCase(trx, input.reference, actor);
  if (!caseRow) return fail(404, 'reference', 'casework.case.notFound');
  if (input.expectedVersion !== undefined && caseRow.version !== input.expectedVersion)
    return fail(409, 'version', 'casework.action.stale', caseRow);
  if (caseRow.closed_at) return fail(409, 'assignee', 'casework.assign.closed', caseRow);
  const assignee = /^[0-9a-f-]{36}$/i.test(input.assigneeId)
    ? await findUserById(trx, input.assigneeId)
    : undefined;
  if (!assignee || !canAssign(actor.user, caseRow, assignee))
    return fail(400, 'assignee', 'casework.assign.notColleague');
  if (caseRow.assigned_to === assignee.id) return { ok: true, caseRow };
  const updated = await trx
    .updateTable('cases')
    .set({ assigned_to: assignee.id, version: caseRow.version + 1 })
    .where('id', '=', caseRow.id)
    .where('version', '=', caseRow.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated)
    return fail(
      409,
      'version',
      'casework.action.stale',
      await findCaseByReference(trx, caseRow.reference),
    );
  await recordCaseEvent(trx, caseRow.id, {
    kind: 'assigned',
    actorUserId: actor.user.id,
    actorOrganisationId: actor.user.organisationId,
    details: { to: assignee.id, to_name: assignee.display_name, from: caseRow.assigned_to },
  });
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.case.assigned',
    resourceType: 'case',
    resourceId: caseRow.id,
    subjectUserId: caseRow.applicant_user_id,
    details: { reference: caseRow.reference, to: assignee.id, from: caseRow.assigned_to },
  });
  const action = await assignAction(trx, updated, actor);
  if (!action) return { ok: true, caseRow: updated };
  return performAction(
    trx,
    { reference: updated.reference, action: action.name, expectedVersion: updated.version },
    actor,
  );
}

/**
 * Assigns several cases from the queue to one person. Each case is checked on its own (with the
 * version the queue showed), so one that changed meanwhile is reported and the others assigned.
 */
export async function bulkAssign(
  trx: Db,
  input: {
    cases: { reference: string; expectedVersion?: number | undefined }[];
    assigneeId: string;
  },
  actor: CaseActor,
): Promise<{ assigned: string[]; failed: { reference: string; errors: FieldError[] }[] }> {
  const assigned: string[] = [];
  const failed: { reference: string; errors: FieldError[] }[] = [];
  for (const item of input.cases) {
    const outcome = await assignCase(trx, { ...item, assigneeId: input.assigneeId }, actor);
    if (outcome.ok) assigned.push(outcome.caseRow.reference);
    else failed.push({ reference: item.reference, errors: outcome.errors });
  }
  return { assigned, failed };
}

/** Adds an internal note (never shown to the applicant) to a case of the actor's body. */
export async function addNote(
  trx: Db,
  input: { reference: string; body: string },
  actor: CaseActor,
): Promise<{ ok: true; note: CaseNoteRow } | Failure> {
  const caseRow = await ownCase(trx, input.reference, actor);
  if (!caseRow) return fail(404, 'reference', 'casework.case.notFound');
  const body = input.body.trim();
  if (!body) return fail(400, 'note', 'casework.note.required');
  if (body.length > MAX_NOTE) return fail(400, 'note', 'casework.note.tooLong');
  const note = await trx
    .insertInto('case_notes')
    .values({ case_id: caseRow.id, author_user_id: actor.user.id, body })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.case.note_added',
    resourceType: 'case',
    resourceId: caseRow.id,
    subjectUserId: caseRow.applicant_user_id,
    details: { reference: caseRow.reference, note_id: note.id },
  });
  return { ok: true, note };
}

/**
 * Links two cases of the actor's body (both ways), e.g. two reports of the same problem. Another
 * body's reference reads as unknown, as it would to anyone who may not see it.
 */
export async function linkCases(
  trx: Db,
  input: { reference: string; otherReference: string },
  actor: CaseActor,
): Promise<{ ok: true; linked: CaseRow } | Failure> {
  const caseRow = await ownCase(trx, input.reference, actor);
  if (!caseRow) return fail(404, 'reference', 'casework.case.notFound');
  if (!input.otherReference.trim()) return fail(400, 'linkReference', 'casework.link.required');
  const other = await findCaseByReference(trx, input.otherReference);
  if (!other || !canLink(actor.user, caseRow, other))
    return fail(400, 'linkReference', 'casework.link.notFound');
  if (other.id === caseRow.id) return fail(400, 'linkReference', 'casework.link.itself');
  const inserted = await trx
    .insertInto('case_links')
    .values([
      { case_id: caseRow.id, linked_case_id: other.id, created_by: actor.user.id },
      { case_id: other.id, linked_case_id: caseRow.id, created_by: actor.user.id },
    ])
    .onConflict((oc) => oc.doNothing())
    .returning('case_id')
    .execute();
  if (inserted.length === 0) return { ok: true, linked: other };
  for (const [one, two] of [
    [caseRow, other],
    [other, caseRow],
  ] as const)
    await recordCaseEvent(trx, one.id, {
      kind: 'linked',
      actorUserId: actor.user.id,
      actorOrganisationId: actor.user.organisationId,
      details: { reference: two.reference },
    });
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.case.linked',
    resourceType: 'case',
    resourceId: caseRow.id,
    subjectUserId: caseRow.applicant_user_id,
    details: { reference: caseRow.reference, linked: other.reference },
  });
  return { ok: true, linked: other };
}
