/**
 * Pages of requests for information and reviews. Staff: asking (from the case page's panel, or
 * the ask page when the form had errors) and cancelling. The applicant: their requests, the
 * page answering one (text and files, uploaded one at a time so it works without JavaScript),
 * and asking for a review of a decision. Handlers stay thin: the commands and queries they call
 * check who may do what, and someone who may not gets "not found".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound, type FieldError } from '../../../platform/errors/errors.js';
import { errorView, formText } from '../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';
import { ukToday } from '../../../platform/validation/validators.js';
import {
  acceptedTypesText,
  acceptUploads,
  attachmentsByIds,
  humanSize,
  receiveUpload,
  uploadProblemText,
} from '../../attachments/index.js';
import { hasRole, requireSignIn } from '../../identity/index.js';
import { nameLookup } from '../../submissions/index.js';
import { auditActor, type CaseActor } from '../commands/actor.js';
import { openCaseForStaff } from '../queries/cases.js';
import {
  answerInformationRequest,
  cancelInformationRequest,
  requestInformation,
  uploadOwner,
  type InformationOutcome,
} from './commands.js';
import {
  ANSWER_MAX,
  ANSWER_MAX_FILES,
  fileIdsOf,
  questionFormValues,
  QUESTION_MAX,
  readAnswer,
  readQuestion,
} from './form.js';
import { askingNow } from './panel.js';
import { answerPath, caseForApplicant, openRequestFor, requestsOfCase } from './queries.js';
import { reviewOffer } from './review/review.js';
import { reviewRoutes } from './review/routes.js';

const ASK = 'modules/casework/information/ask.njk';
const ANSWER = 'modules/casework/information/answer.njk';
const REQUESTS = 'modules/casework/information/requests.njk';

/** What an answer's files may be: images and PDFs, up to 10 MB each (less if uploads are capped). */
export const ANSWER_FILE_RULES = { maxBytes: 10 * 1024 * 1024, accept: [] as string[] };

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

function params(request: FastifyRequest) {
  return request.params as { reference: string; id?: string };
}

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  return (request.body ?? {}) as Record<string, unknown>;
}

/** A refused command as the page's status; "not found" hides the case from whoever may not see it. */
function refused(outcome: Extract<InformationOutcome<object>, { ok: false }>, detail: unknown) {
  if (outcome.status === 404) throw notFound(detail);
  return outcome.status;
}

export async function informationRoutes(app: FastifyInstance, context: AppContext) {
  const { db, wakeOutbox, config } = context;

  /** The ask page: the same form as the panel's, with the error summary when it had problems. */
  async function renderAsk(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    problem: { errors: FieldError[]; values: Record<string, unknown> } | null,
  ) {
    const actor = actorOf(request, user);
    const { caseRow, shared } = await openCaseForStaff(
      db,
      user,
      params(request).reference,
      auditActor(actor),
    );
    if (shared) throw notFound({ reference: caseRow.reference, reason: 'shared, not owned' });
    const open = (await requestsOfCase(db, caseRow.id)).find((r) => r.status === 'open');
    return reply.view(ASK, {
      form: {
        reference: caseRow.reference,
        version: caseRow.version,
        asking: await askingNow(db, caseRow, request.locale),
        questionMax: QUESTION_MAX,
      },
      open: open ?? null,
      serviceTitle: await nameLookup(db, request.locale).service(caseRow.service_id),
      values: problem ? questionFormValues(problem.values) : {},
      ...(problem ? errorView(problem.errors, request.t) : { fieldErrors: {} }),
      backLink: `/casework/${caseRow.reference}`,
    });
  }

  app.get('/casework/:reference/information/new', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    return renderAsk(request, reply, user, null);
  });

  app.post('/casework/:reference/information', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const body = bodyOf(request);
    const read = readQuestion(body, ukToday());
    if (!read.ok)
      return renderAsk(request, reply.code(400), user, { errors: read.errors, values: body });
    const outcome = await db.transaction().execute((trx) =>
      requestInformation(
        trx,
        {
          reference: params(request).reference,
          expectedVersion: Number(formText(body, 'version')),
          question: read.question,
        },
        actorOf(request, user),
        config,
      ),
    );
    if (!outcome.ok) {
      const status = refused(outcome, { reference: params(request).reference });
      return renderAsk(request, reply.code(status), user, { errors: outcome.errors, values: body });
    }
    wakeOutbox();
    return reply.redirect(
      `/casework/${outcome.caseRow.reference}?done=information-requested#information`,
      303,
    );
  });

  app.post('/casework/:reference/information/:id/cancel', async (request, reply) => {
    const user = requireCaseworker(request, reply);
    if (!user) return reply;
    const { reference, id } = params(request);
    const outcome = await db.transaction().execute((trx) =>
      cancelInformationRequest(
        trx,
        {
          reference,
          requestId: id ?? '',
          expectedVersion: Number(formText(request.body, 'version')),
        },
        actorOf(request, user),
        config,
      ),
    );
    if (!outcome.ok) {
      const status = refused(outcome, { reference, requestId: id });
      return renderAsk(request, reply.code(status), user, { errors: outcome.errors, values: {} });
    }
    wakeOutbox();
    return reply.redirect(
      `/casework/${outcome.caseRow.reference}?done=information-cancelled#information`,
      303,
    );
  });

  app.get('/applications/:reference/information', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { caseRow } = await caseForApplicant(db, user, params(request).reference);
    const requests = await requestsOfCase(db, caseRow.id);
    const names = nameLookup(db, request.locale);
    return reply.view(REQUESTS, {
      reference: caseRow.reference,
      serviceTitle: await names.service(caseRow.service_id),
      organisationName: await names.organisation(caseRow.organisation_id),
      closed: caseRow.closed_at !== null,
      requests: requests.map((r) => ({ ...r, href: answerPath(caseRow.reference, r.id) })),
      review: await reviewOffer(db, user, caseRow.reference),
      client: user.actingFor?.displayName ?? null,
      backLink: `/applications/${caseRow.reference}`,
    });
  });

  /** The answer page: the question, what was uploaded so far, and the answer form (or the answer given). */
  async function renderAnswer(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    state: { answer?: string; fileIds?: string[]; errors?: FieldError[]; sent?: boolean } = {},
  ) {
    const { reference, id } = params(request);
    const { caseRow, request: asked } = await openRequestFor(db, user, reference, id ?? '');
    const names = nameLookup(db, request.locale);
    const owner = uploadOwner(caseRow, actorOf(request, user));
    const pending = (await attachmentsByIds(db, state.fileIds ?? [])).filter(
      (file) => file.ownerUserId === owner && !file.submissionId,
    );
    const given =
      asked.status === 'answered' ? await attachmentsByIds(db, asked.attachment_ids) : [];
    const describe = (file: { id: string; name: string; size: number }) => ({
      id: file.id,
      name: file.name,
      size: humanSize(file.size),
    });
    return reply.view(ANSWER, {
      reference: caseRow.reference,
      serviceTitle: await names.service(caseRow.service_id),
      organisationName: await names.organisation(caseRow.organisation_id),
      asked,
      answerable: asked.status === 'open' && !caseRow.closed_at,
      filesAllowed: caseRow.submission_id !== null,
      sent: state.sent === true,
      answer: state.answer ?? '',
      files: pending.map(describe),
      givenFiles: given.map(describe),
      maxFiles: ANSWER_MAX_FILES,
      answerMax: ANSWER_MAX,
      fileHint: request.t('casework.information.answer.fileHint', {
        types: acceptedTypesText(request.t, ANSWER_FILE_RULES.accept),
        max: humanSize(Math.min(ANSWER_FILE_RULES.maxBytes, config.UPLOAD_MAX_BYTES)),
        count: ANSWER_MAX_FILES,
      }),
      client: user.actingFor?.displayName ?? null,
      ...errorView(state.errors ?? [], request.t),
      backLink: `/applications/${caseRow.reference}/information`,
    });
  }

  app.get('/applications/:reference/information/:id', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return renderAnswer(request, reply, user, { sent: formText(request.query, 'sent') === '1' });
  });

  // The answer may carry files, so it reads multipart/form-data: only in this scope.
  await app.register(async (scope) => {
    await acceptUploads(scope);
    scope.post('/applications/:reference/information/:id', async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const { reference, id } = params(request);
      // Who may answer is known before any file is read: anyone else gets "not found".
      const { caseRow } = await openRequestFor(db, user, reference, id ?? '');
      const maxBytes = Math.min(ANSWER_FILE_RULES.maxBytes, config.UPLOAD_MAX_BYTES);
      const rules = { maxBytes, accept: ANSWER_FILE_RULES.accept };
      const upload = await receiveUpload(request, {
        ...rules,
        ownerUserId: uploadOwner(caseRow, actorOf(request, user)),
      });
      const body = bodyOf(request);
      const action = formText(body, 'action');
      const answer = formText(body, 'answer');
      let fileIds = fileIdsOf(body);
      if (action.startsWith('remove:')) fileIds = fileIds.filter((f) => f !== action.slice(7));
      if (upload.ok) fileIds = [...fileIds, upload.attachment.id];
      const again = (errors: FieldError[], status = 400) =>
        renderAnswer(request, reply.code(status), user, { answer, fileIds, errors });

      if (!upload.ok && upload.problem !== 'missing')
        return again([
          { field: 'file', message: uploadProblemText(request.t, upload.problem, rules) },
        ]);
      if (upload.ok && !caseRow.submission_id)
        return again([{ field: 'file', message: 'casework.information.errors.noFiles' }]);
      if (fileIds.length > ANSWER_MAX_FILES)
        return again([{ field: 'file', message: 'casework.information.errors.tooManyFiles' }]);
      // "Upload file" or "Remove": the page again, with the answer as typed so far.
      if (action !== 'send') return renderAnswer(request, reply, user, { answer, fileIds });

      const read = readAnswer(body);
      if (!read.ok) return again(read.errors);
      const outcome = await db
        .transaction()
        .execute((trx) =>
          answerInformationRequest(
            trx,
            { reference: caseRow.reference, requestId: id ?? '', answer: read.answer, fileIds },
            actorOf(request, user),
          ),
        );
      if (!outcome.ok) return again(outcome.errors, refused(outcome, { reference, requestId: id }));
      wakeOutbox();
      return reply.redirect(`${answerPath(caseRow.reference, outcome.request.id)}?sent=1`, 303);
    });
  });

  await reviewRoutes(app, context);
}
