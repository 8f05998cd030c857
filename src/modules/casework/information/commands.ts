/**
 * Requests for information: a caseworker asks the applicant something, the applicant answers
 * (with files), or the caseworker cancels the request. One request is open per case at a time.
 *
 * A workflow takes part through two actions, by name: `request-information` moves the case to
 * its waiting state (whose `pausesClock` stops the clock) and `information-received` moves it
 * back. Where the workflow has no `request-information` action, a request is made in any open
 * state and leaves the case, and its clock, where they are.
 */
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Config } from '../../../platform/config/config.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { attachmentsByIds, linkAttachments } from '../../attachments/index.js';
import { findSubmissionById } from '../../submissions/index.js';
import { performAction, type ActionOutcome } from '../commands/actions.js';
import { auditActor, type CaseActor } from '../commands/actor.js';
import { resumeClock } from '../commands/clock.js';
import { recordCaseEvent } from '../commands/events.js';
import type { CaseRow } from '../db/tables.js';
import { findCaseByReference } from '../queries/cases.js';
import { loadWorkflow } from '../queries/workflows.js';
import { stateOf } from '../workflow/engine.js';
import type { WorkflowAction, WorkflowDefinition } from '../workflow/schema.js';
import { ANSWER_MAX_FILES, type InformationQuestion } from './form.js';
import { canAskForInformation, type AnswererRole } from './policies.js';
import {
  answerPath,
  caseForApplicant,
  latestActionEvent,
  openRequestCount,
  requestOfCase,
  type InformationRequest,
} from './queries.js';
import { tellAboutRequest } from './tell.js';

/** The action that moves a case to wait for the applicant, and the one that moves it back. */
export const REQUEST_ACTION = 'request-information';
export const RECEIVED_ACTION = 'information-received';

export type InformationOutcome<T> =
  | ({ ok: true } & T)
  | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldError[]; current?: CaseRow };

type Failure = Extract<InformationOutcome<object>, { ok: false }>;

const fail = (status: Failure['status'], field: string, message: string): Failure => ({
  ok: false,
  status,
  errors: [{ field, message: `casework.information.errors.${message}` }],
});

/** What sending messages needs from the configuration. */
export type TellConfig = Pick<Config, 'baseUrl' | 'BRAND_NAME'>;

function actionNamed(definition: WorkflowDefinition, name: string): WorkflowAction | undefined {
  return definition.actions.find((action) => action.name === name);
}

/** The case, locked for the rest of the transaction so two requests cannot cross. */
async function lockCase(trx: Db, reference: string): Promise<CaseRow | undefined> {
  const found = await findCaseByReference(trx, reference);
  if (!found) return undefined;
  return trx
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', found.id)
    .forUpdate()
    .executeTakeFirst();
}

/** The form errors of a failed workflow action, under the field the information pages show. */
function fromAction(outcome: Extract<ActionOutcome, { ok: false }>): Failure {
  return { ...outcome, errors: outcome.errors.map((e) => ({ ...e, field: 'question' })) };
}

/**
 * A caseworker asks the applicant for information, in the caller's transaction: the case moves
 * to the workflow's waiting state (pausing the clock where the state says so), the request is
 * stored and recorded in the history with its reply-by date, the applicant is told (inbox or
 * e-mail, with the link to answer) and the audit log says who asked. Nothing changes on a
 * refusal: another body's case (404), a colleague's change since the page was read, a case
 * already waiting for an answer, or in a state the workflow does not ask from (409).
 *
 * @example await requestInformation(trx, { reference, expectedVersion: 4, question: { question: 'Send a photo', replyBy: null } }, { user }, config);
 */
export async function requestInformation(
  trx: Db,
  input: { reference: string; expectedVersion: number; question: InformationQuestion },
  actor: CaseActor,
  config: TellConfig,
  now = new Date(),
): Promise<InformationOutcome<{ caseRow: CaseRow; request: InformationRequest }>> {
  let caseRow = await lockCase(trx, input.reference);
  if (!caseRow || !canAskForInformation(actor.user, caseRow))
    return fail(404, 'question', 'notFound');
  if (caseRow.closed_at) return fail(409, 'question', 'closed');
  if (caseRow.version !== input.expectedVersion)
    return { ...fail(409, 'question', 'stale'), current: caseRow };
  if ((await openRequestCount(trx, caseRow.id)) > 0) return fail(409, 'question', 'alreadyOpen');

  const definition = await loadWorkflow(trx, caseRow.workflow_id);
  const ask = actionNamed(definition, REQUEST_ACTION);
  let tellOf: number | null = null;
  if (ask) {
    if (!ask.from.includes(caseRow.state)) return fail(409, 'question', 'notNow');
    const moved = await performAction(
      trx,
      {
        reference: caseRow.reference,
        action: ask.name,
        expectedVersion: caseRow.version,
        comment: input.question.question,
      },
      actor,
      now,
    );
    if (!moved.ok) return fromAction(moved);
    caseRow = moved.caseRow;
    tellOf = (await latestActionEvent(trx, caseRow.id, ask.name)) ?? null;
  }
  const pausesClock = ask ? stateOf(definition, ask.to)?.pausesClock === true : false;

  const row = await trx
    .insertInto('information_requests')
    .values({
      case_id: caseRow.id,
      asked_by_user_id: actor.user.id,
      question: input.question.question,
      pauses_clock: pausesClock,
      asked_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordCaseEvent(trx, caseRow.id, {
    kind: 'information-requested',
    actorUserId: actor.user.id,
    actorOrganisationId: actor.user.organisationId,
    // Moved by the workflow's action, the question is already in its event.
    comment: ask ? null : input.question.question,
    details: { requestId: row.id, replyBy: input.question.replyBy, pausesClock },
  });
  const submission = await submissionOf(trx, caseRow);
  const channel = await tellAboutRequest(
    trx,
    {
      caseRow,
      submission,
      requestId: row.id,
      message: {
        kind: 'asked',
        question: row.question,
        replyBy: input.question.replyBy,
        link: `${config.baseUrl}${answerPath(caseRow.reference, row.id)}`,
      },
      tellOf,
      action: ask?.name ?? null,
    },
    actor,
    config,
  );
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.information.requested',
    resourceType: 'case',
    resourceId: caseRow.id,
    subjectUserId: caseRow.applicant_user_id,
    details: {
      reference: caseRow.reference,
      request_id: row.id,
      reply_by: input.question.replyBy,
      pauses_clock: pausesClock,
      told_by: channel,
    },
  });
  return {
    ok: true,
    caseRow,
    request: { ...row, status: 'open', replyBy: input.question.replyBy },
  };
}

async function submissionOf(trx: Db, caseRow: CaseRow) {
  return caseRow.submission_id ? findSubmissionById(trx, caseRow.submission_id) : undefined;
}

/**
 * Moves a case back from waiting when its request is settled: by the workflow's
 * `information-received` action when the person may take it from the waiting state — the
 * applicant's, their agent's, and (`answeredAs` 'email-holder') the answer of whoever is signed
 * in with the confirmed e-mail address an application without an account gave, as the
 * applicant's — so the earlier time limit continues, moved on by the days it stood still.
 * Otherwise (a workflow that leaves the move to staff) the clock restarts alone, and the
 * caseworker moves the case on with the time the applicant took not counted.
 */
async function stopWaiting(
  trx: Db,
  caseRow: CaseRow,
  request: InformationRequest,
  actor: CaseActor,
  now: Date,
  answeredAs?: AnswererRole,
): Promise<CaseRow> {
  const definition = await loadWorkflow(trx, caseRow.workflow_id);
  const ask = actionNamed(definition, REQUEST_ACTION);
  const received = actionNamed(definition, RECEIVED_ACTION);
  if (ask && received && caseRow.state === ask.to && received.from.includes(caseRow.state)) {
    const moved = await performAction(
      trx,
      {
        reference: caseRow.reference,
        action: received.name,
        expectedVersion: caseRow.version,
      },
      answeredAs === 'email-holder' ? { ...actor, answersForApplicant: true } : actor,
      now,
    );
    if (moved.ok) return moved.caseRow;
  }
  return request.pauses_clock && caseRow.paused_at ? resumeClock(trx, caseRow, now) : caseRow;
}

/** The uploads an answer may carry: the uploader's own, not yet sent with anything. */
async function filesProblem(
  trx: Db,
  ids: readonly string[],
  ownerUserId: string,
): Promise<Failure | null> {
  if (ids.length > ANSWER_MAX_FILES) return fail(400, 'file', 'tooManyFiles');
  const found = await attachmentsByIds(trx, ids);
  const usable = found.filter((file) => file.ownerUserId === ownerUserId && !file.submissionId);
  return usable.length === ids.length ? null : fail(400, 'file', 'fileUnknown');
}

/**
 * The applicant (or their agent, or the holder of an application's e-mail address) answers a
 * request, with files uploaded through the attachments module: the request is answered, the
 * files go with the application to the body (its caseworkers may then read them), the history
 * records the answer, and the case stops waiting — the clock resumes with the paused working
 * days added to its due date. Someone else gets 404; an answered or cancelled request, or a
 * closed case, 409; nothing changes then.
 */
export async function answerInformationRequest(
  trx: Db,
  input: {
    reference: string;
    requestId: string;
    answer: string;
    fileIds: readonly string[];
  },
  actor: CaseActor,
  now = new Date(),
): Promise<InformationOutcome<{ caseRow: CaseRow; request: InformationRequest }>> {
  const {
    caseRow: found,
    role,
    submission,
  } = await caseForApplicant(trx, actor.user, input.reference);
  const caseRow = (await lockCase(trx, found.reference))!;
  const request = await requestOfCase(trx, caseRow.id, input.requestId);
  if (!request) return fail(404, 'answer', 'notFound');
  if (request.status === 'answered') return fail(409, 'answer', 'alreadyAnswered');
  if (request.status === 'cancelled') return fail(409, 'answer', 'cancelled');
  if (caseRow.closed_at) return fail(409, 'answer', 'closed');
  const owner = uploadOwner(caseRow, actor);
  const ids = [...new Set(input.fileIds.map((id) => id.toLowerCase()))];
  if (ids.length && !caseRow.submission_id) return fail(400, 'file', 'noFiles');
  const problem = await filesProblem(trx, ids, owner);
  if (problem) return problem;

  const answered = await trx
    .updateTable('information_requests')
    .set({
      answered_at: now,
      answered_by_user_id: actor.user.id,
      answer: input.answer,
      attachment_ids: JSON.stringify(ids),
    })
    .where('id', '=', request.id)
    .where('answered_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!answered) return fail(409, 'answer', 'alreadyAnswered');
  if (ids.length && caseRow.submission_id)
    await linkAttachments(trx, caseRow.submission_id, caseRow.organisation_id, ids, {
      ownerUserId: owner,
    });
  await recordCaseEvent(trx, caseRow.id, {
    kind: 'information-received',
    actorUserId: actor.user.id,
    comment: input.answer,
    documents: ids,
    details: {
      requestId: request.id,
      answered_as: role,
      ...(actor.user.actingFor ? { on_behalf_of: actor.user.actingFor.userId } : {}),
    },
  });
  const after = await stopWaiting(trx, caseRow, request, actor, now, role);
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.information.answered',
    resourceType: 'case',
    resourceId: caseRow.id,
    subjectUserId: caseRow.applicant_user_id ?? actor.user.id,
    details: {
      reference: caseRow.reference,
      request_id: request.id,
      answered_as: role,
      files: ids.length,
      ...(submission ? { submission_id: submission.id } : {}),
    },
  });
  return {
    ok: true,
    caseRow: after,
    request: { ...answered, status: 'answered', replyBy: request.replyBy },
  };
}

/**
 * Whose uploads an answer's files are: the applicant's account (also when their agent uploads,
 * as the application's own files are), or the person answering for an application without one.
 */
export function uploadOwner(caseRow: Pick<CaseRow, 'applicant_user_id'>, actor: CaseActor): string {
  return caseRow.applicant_user_id ?? actor.user.id;
}

/**
 * A caseworker cancels an open request (answered another way, or asked by mistake): the case
 * stops waiting as it would on an answer, the applicant is told they need do nothing, and the
 * history and audit log record it.
 */
export async function cancelInformationRequest(
  trx: Db,
  input: { reference: string; requestId: string; expectedVersion: number },
  actor: CaseActor,
  config: TellConfig,
  now = new Date(),
): Promise<InformationOutcome<{ caseRow: CaseRow }>> {
  const caseRow = await lockCase(trx, input.reference);
  if (!caseRow || !canAskForInformation(actor.user, caseRow))
    return fail(404, 'request', 'notFound');
  const request = await requestOfCase(trx, caseRow.id, input.requestId);
  if (!request) return fail(404, 'request', 'notFound');
  if (request.status !== 'open') return fail(409, 'request', 'notOpen');
  if (caseRow.version !== input.expectedVersion)
    return { ...fail(409, 'request', 'stale'), current: caseRow };

  await trx
    .updateTable('information_requests')
    .set({ cancelled_at: now })
    .where('id', '=', request.id)
    .execute();
  await recordCaseEvent(trx, caseRow.id, {
    kind: 'information-cancelled',
    actorUserId: actor.user.id,
    actorOrganisationId: actor.user.organisationId,
    details: { requestId: request.id },
  });
  const after = caseRow.closed_at ? caseRow : await stopWaiting(trx, caseRow, request, actor, now);
  if (!caseRow.closed_at)
    await tellAboutRequest(
      trx,
      {
        caseRow: after,
        submission: await submissionOf(trx, caseRow),
        requestId: request.id,
        message: { kind: 'cancelled', question: request.question, replyBy: null, link: '' },
        tellOf: null,
        action: null,
      },
      actor,
      config,
    );
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.information.cancelled',
    resourceType: 'case',
    resourceId: caseRow.id,
    subjectUserId: caseRow.applicant_user_id,
    details: { reference: caseRow.reference, request_id: request.id },
  });
  return { ok: true, caseRow: after };
}
