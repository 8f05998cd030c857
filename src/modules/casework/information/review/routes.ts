/**
 * `/applications/:reference/review`: the applicant (or their agent) asks for a review of a
 * decision, giving their reasons, through the workflow's applicant `appeal` action. Before the
 * deadline: the form; after it: why it is too late and whom to contact; once asked: what happens
 * next. Anyone else gets "not found".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound, type FieldError } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { nameLookup } from '../../../submissions/index.js';
import { performAction } from '../../commands/actions.js';
import { loadWorkflow } from '../../queries/workflows.js';
import { stateOf } from '../../workflow/engine.js';
import { readReviewReasons, REVIEW_REASONS_MAX } from '../form.js';
import { reviewFor } from './review.js';

const REVIEW = 'modules/casework/information/review/review.njk';

/** The engine's refusals of an appeal, as the review form's fields. */
function onReasons(errors: FieldError[]): FieldError[] {
  return errors.map((error) =>
    error.message === 'casework.action.tooLate'
      ? { field: 'reasons', message: 'casework.review.errors.tooLate' }
      : error.message === 'casework.action.stale'
        ? { field: 'reasons', message: 'casework.review.errors.stale' }
        : { ...error, field: 'reasons' },
  );
}

export async function reviewRoutes(app: FastifyInstance, { db, wakeOutbox }: AppContext) {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    state: { reasons?: string; errors?: FieldError[] } = {},
  ) {
    const { reference } = request.params as { reference: string };
    const { caseRow, standing } = await reviewFor(db, user, reference);
    const names = nameLookup(db, request.locale);
    const definition = await loadWorkflow(db, caseRow.workflow_id);
    return reply.view(REVIEW, {
      reference: caseRow.reference,
      version: caseRow.version,
      serviceTitle: await names.service(caseRow.service_id),
      organisationName: await names.organisation(caseRow.organisation_id),
      decisionLabel: stateOf(definition, caseRow.state)?.label[request.locale] ?? caseRow.state,
      standing,
      reasons: state.reasons ?? '',
      reasonsMax: REVIEW_REASONS_MAX,
      client: user.actingFor?.displayName ?? null,
      ...errorView(state.errors ?? [], request.t),
      backLink: `/applications/${caseRow.reference}`,
    });
  }

  app.get('/applications/:reference/review', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return render(request, reply, user);
  });

  app.post('/applications/:reference/review', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { reference } = request.params as { reference: string };
    const { caseRow, standing } = await reviewFor(db, user, reference);
    const reasons = formText(request.body, 'reasons');
    if (standing.kind !== 'open')
      return render(request, reply.code(409), user, {
        reasons,
        errors: [
          {
            field: 'reasons',
            message:
              standing.kind === 'too-late'
                ? 'casework.review.errors.tooLate'
                : 'casework.review.errors.alreadyAsked',
          },
        ],
      });
    const read = readReviewReasons(request.body as Record<string, unknown>);
    if (!read.ok) return render(request, reply.code(400), user, { reasons, errors: read.errors });
    const outcome = await db.transaction().execute((trx) =>
      performAction(
        trx,
        {
          reference: caseRow.reference,
          action: standing.appeal.name,
          expectedVersion: Number(formText(request.body, 'version')),
          comment: read.reasons,
        },
        { user, requestId: request.id },
      ),
    );
    if (!outcome.ok) {
      if (outcome.status === 404) throw notFound({ reference, userId: user.id });
      return render(request, reply.code(outcome.status), user, {
        reasons,
        errors: onReasons(outcome.errors),
      });
    }
    wakeOutbox();
    return reply.redirect(`/applications/${caseRow.reference}/review`, 303);
  });
}
