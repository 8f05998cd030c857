/**
 * The back office's pages: the queue (`/casework`), a case (`/casework/:reference`) and the small
 * forms on it — an action, assignment, a note, a link — each posting to its own route. Every
 * form works without JavaScript; a failed one re-renders the case with the GOV.UK error summary
 * and what was typed, and a case changed by someone else meanwhile (409) shows the newer version.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';
import { acceptUploads, receiveUpload, uploadProblemText } from '../../attachments/index.js';
import { hasRole, requireSignIn } from '../../identity/index.js';
import { performAction, rolesOnCase, type ActionOutcome } from '../commands/actions.js';
import type { CaseActor } from '../commands/actor.js';
import { addNote, assignCase, bulkAssign, linkCases } from '../commands/work.js';
import type { CaseRow } from '../db/tables.js';
import { REQUEST_ACTION } from '../information/commands.js';
import { findCaseByReference, openCaseForStaff } from '../queries/cases.js';
import { auditActor } from '../commands/actor.js';
import { caseView, type FormProblem } from './case/view.js';
import { queueView, readQueueFilter } from './queue/view.js';

const QUEUE = 'modules/casework/pages/queue/queue.njk';
const CASE = 'modules/casework/pages/case/case.njk';
/** A document sent with an action: images and PDFs up to 10 MB. */
const DOCUMENT_RULES = { maxBytes: 10 * 1024 * 1024, accept: [] as string[] };

/** Staff who work cases: their body's caseworkers and team leaders. Anyone else: not found. */
function requireCaseworker(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (!user.organisationId || !(hasRole(user, 'caseworker') || hasRole(user, 'team-leader')))
    throw notFound({ reason: 'not a caseworker', userId: user.id });
  return user;
}

const actorOf = (request: FastifyRequest, user: CurrentUser): CaseActor => ({
  user,
  requestId: request.id,
});

function reference(request: FastifyRequest): string {
  return (request.params as { reference: string }).reference;
}

/** The references and versions the queue's checkboxes carry: `JU-7K3M-Q2XD@3`. */
function selectedCases(body: unknown) {
  const raw = (body as Record<string, unknown> | undefined)?.cases;
  const values = (Array.isArray(raw) ? raw : [raw]).filter(
    (v): v is string => typeof v === 'string',
  );
  return values.slice(0, 200).map((value) => {
    const [ref, version] = value.split('@');
    const number = Number(version);
    return { reference: ref ?? '', expectedVersion: Number.isInteger(number) ? number : undefined };
  });
}

/** The date boxes of an action's inputs: every `<name>-day|month|year` field. */
function dateFields(body: Record<string, unknown>): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(body))
    if (/^[a-z][a-zA-Z0-9]{0,62}-(day|month|year)$/.test(name) && typeof value === 'string')
      inputs[name] = value;
  return inputs;
}

export async function caseworkRoutes(app: FastifyInstance, { db, wakeOutbox }: AppContext) {
  /** The case page, for the case's own staff; a failed form's problem shown with `status`. */
  async function renderCase(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    problem?: FormProblem,
    notice?: string,
  ) {
    const actor = actorOf(request, user);
    const { caseRow, shared } = await openCaseForStaff(
      db,
      user,
      reference(request),
      auditActor(actor),
    );
    // Another body's caseworker reads only the parts shared with them, on the referral's page.
    if (shared) return reply.redirect(`/casework/referrals/${shared.referralId}`, 303);
    const view = await caseView(db, actor, caseRow, request.locale, request.t, problem);
    return reply.view(CASE, { ...view, notice, backLink: '/casework' });
  }

  /** A failed command's outcome as a page: 404 hides the case, others re-render it. */
  function failed(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    form: string,
    outcome: Extract<ActionOutcome, { ok: false }>,
  ) {
    if (outcome.status === 404) throw notFound({ reference: reference(request), form });
    const body = (request.body ?? {}) as Record<string, unknown>;
    return renderCase(request, reply.code(outcome.status), user, {
      form,
      errors: outcome.errors,
      values: body,
    });
  }

  app.get('/casework', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const query = request.query as Record<string, unknown>;
    const filter = readQueueFilter(query);
    const view = await queueView(db, user, filter, request.locale, request.t);
    const assigned = Number(formText(query, 'assigned_count')) || 0;
    const notAssigned = formText(query, 'not_assigned')
      .split(',')
      .filter((r) => /^[A-Z0-9-]{1,40}$/.test(r));
    return reply.view(QUEUE, {
      ...view,
      result: { assigned, notAssigned, shown: query.assigned_count !== undefined },
    });
  });

  app.post('/casework/assign', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const body = request.body as Record<string, unknown>;
    const returnTo = formText(body, 'returnTo');
    const back = /^\/casework\?[\w\-=&%.]*$/.test(returnTo) ? returnTo : '/casework?';
    const cases = selectedCases(body);
    const result = await db
      .transaction()
      .execute((trx) =>
        bulkAssign(trx, { cases, assigneeId: formText(body, 'assignee') }, actorOf(request, user)),
      );
    if (result.assigned.length) wakeOutbox();
    const params = new URLSearchParams({
      assigned_count: String(result.assigned.length),
      not_assigned: result.failed.map((f) => f.reference).join(','),
    });
    return reply.redirect(`${back}${back.endsWith('?') ? '' : '&'}${params.toString()}`, 303);
  });

  app.get('/casework/:reference', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const done = formText(request.query, 'done');
    try {
      return await renderCase(
        request,
        reply,
        user,
        undefined,
        /^[a-z-]{1,40}$/.test(done) ? done : undefined,
      );
    } catch (error) {
      // A colleague's case: first the reason for opening it (access/routes.ts).
      if (error instanceof AppError && error.code === 'access_reason_required')
        return reply.redirect(`/casework/${encodeURIComponent(reference(request))}/reason`, 303);
      throw error;
    }
  });

  app.post('/casework/:reference/assign', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const body = request.body as Record<string, unknown>;
    const outcome = await db.transaction().execute((trx) =>
      assignCase(
        trx,
        {
          reference: reference(request),
          assigneeId: formText(body, 'assignee') || user.id,
          expectedVersion: Number(formText(body, 'version')),
        },
        actorOf(request, user),
      ),
    );
    if (!outcome.ok) return failed(request, reply, user, 'assign', outcome);
    wakeOutbox();
    return reply.redirect(`/casework/${outcome.caseRow.reference}?done=assigned`, 303);
  });

  app.post('/casework/:reference/notes', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const outcome = await db
      .transaction()
      .execute((trx) =>
        addNote(
          trx,
          { reference: reference(request), body: formText(request.body, 'note') },
          actorOf(request, user),
        ),
      );
    if (!outcome.ok) return failed(request, reply, user, 'note', outcome);
    return reply.redirect(
      `/casework/${encodeURIComponent(reference(request))}?done=noted#notes`,
      303,
    );
  });

  app.post('/casework/:reference/links', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const outcome = await db.transaction().execute((trx) =>
      linkCases(
        trx,
        {
          reference: reference(request),
          otherReference: formText(request.body, 'linkReference'),
        },
        actorOf(request, user),
      ),
    );
    if (!outcome.ok) return failed(request, reply, user, 'link', outcome);
    return reply.redirect(
      `/casework/${encodeURIComponent(reference(request))}?done=linked#links`,
      303,
    );
  });

  // An action may carry a document, so it reads multipart/form-data: only in this scope.
  await app.register(async (scope) => {
    await acceptUploads(scope);
    scope.post('/casework/:reference/actions/:action', async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const actor = actorOf(request, user);
      const { action } = request.params as { action: string };
      // Who may act is known before any file is read: someone who may not gets "not found".
      const caseRow = await findCaseByReference(db, reference(request));
      if (!caseRow || (await rolesOnCase(db, caseRow, actor)).length === 0)
        throw notFound({ reference: reference(request), userId: user.id });
      // Asking for information also stores the request and tells the applicant how to answer:
      // the ask page does all of it, where a bare move would leave them nothing to answer.
      if (action === REQUEST_ACTION && user.kind === 'staff')
        return reply.redirect(`/casework/${caseRow.reference}/information/new`, 303);
      const form = `action-${action}`;
      const documents: string[] = [];
      const upload = await receiveUpload(request, { ...DOCUMENT_RULES, ownerUserId: user.id });
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (upload.ok) documents.push(upload.attachment.id);
      else if (upload.problem !== 'missing')
        return respond(request, reply, user, caseRow, form, {
          ok: false,
          status: 400,
          errors: [
            {
              field: 'document',
              message: uploadProblemText(request.t, upload.problem, DOCUMENT_RULES),
            },
          ],
        });
      const outcome = await db.transaction().execute((trx) =>
        performAction(
          trx,
          {
            reference: caseRow.reference,
            action,
            expectedVersion: Number(formText(body, 'version')),
            comment: formText(body, 'comment'),
            documents,
            inputs: dateFields(body),
          },
          actor,
        ),
      );
      return respond(request, reply, user, caseRow, form, outcome);
    });
  });

  /** After an action: staff back to the case, the applicant to their application. */
  function respond(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    caseRow: CaseRow,
    form: string,
    outcome: ActionOutcome,
  ) {
    const staff = user.kind === 'staff';
    if (outcome.ok) {
      wakeOutbox();
      return reply.redirect(
        staff ? `/casework/${caseRow.reference}?done=action` : `/applications/${caseRow.reference}`,
        303,
      );
    }
    if (!staff) {
      // The applicant's page for their actions (an appeal) is the application's; here, the refusal.
      if (outcome.status === 404) throw notFound({ reference: caseRow.reference });
      throw new AppError(
        'case_action_refused',
        outcome.status,
        request.t(outcome.errors[0]?.message ?? 'casework.action.notYours'),
      );
    }
    return failed(request, reply, user, form, outcome);
  }
}
