import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formText } from '../../../../../platform/http/forms.js';
import type { AppContext } from '../../../../../platform/http/types.js';
import { requireSignIn } from '../../../../identity/index.js';
import { checkDefinitionText, definitionText } from '../../../../forms/index.js';
import type { ConsultationRow } from '../../../db/consultation-tables.js';
import { changeQuestions } from '../../commands/consultations.js';
import { mayPublishConsultation } from '../../policies/consultations.js';
import { submittedResponses } from '../../queries/consultations.js';
import {
  consultationFormProblems,
  easyReadText,
  questionFormOf,
  readEasyRead,
} from '../../questions.js';
import { actorOf, ownConsultation } from './access.js';

const QUESTIONS = 'modules/engagement/consultations/pages/staff/questions.njk';

/**
 * The questions page: a body's service owners write a consultation's questions as a forms-engine
 * definition (JSON, checked as the forms editor checks it) with their easy read wording; saving
 * changes them in place before any response, or makes the consultation's next version after.
 */
export function staffQuestionRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  async function view(
    request: FastifyRequest,
    reply: FastifyReply,
    consultation: ConsultationRow,
    values: { questionForm: string; easyRead: string },
    errorList: { text: string; href: string }[] = [],
  ) {
    const locked = !!(consultation.withdrawn_at || consultation.outcome_published_at);
    const answered =
      (await submittedResponses(db, consultation.id)).length +
        (await submittedResponses(db, consultation.id, true)).length >
      0;
    const fieldErrors: Record<string, { text: string }> = {};
    for (const e of errorList) fieldErrors[e.href.slice(1)] ??= { text: e.text };
    return reply.view(QUESTIONS, {
      consultation,
      values,
      locked,
      answered,
      errorList,
      fieldErrors,
      backLink: `/staff/consultations/${consultation.id}`,
    });
  }

  app.get('/staff/consultations/:id/questions', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(db, request, user, mayPublishConsultation);
    const { form, easyRead } = questionFormOf(consultation.questions);
    return view(request, reply, consultation, {
      questionForm: definitionText(form),
      easyRead: easyReadText(easyRead),
    });
  });

  app.post('/staff/consultations/:id/questions', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const consultation = await ownConsultation(db, request, user, mayPublishConsultation);
    const body = request.body as Record<string, unknown> | undefined;
    const values = {
      questionForm: typeof body?.questionForm === 'string' ? body.questionForm : '',
      easyRead: formText(body, 'easyRead'),
    };
    if (consultation.withdrawn_at || consultation.outcome_published_at)
      return view(request, reply.code(409), consultation, values, [
        { text: request.t('consultations.edit.locked'), href: '#questionForm' },
      ]);
    // The definition as the forms editor checks it (line numbers), then the wording by name.
    const checked = checkDefinitionText(values.questionForm, request.t, consultationFormProblems);
    const errorList = checked.ok
      ? []
      : checked.errors.map((text) => ({ text, href: '#questionForm' }));
    const easyRead = checked.ok ? readEasyRead(values.easyRead, checked.definition) : null;
    if (easyRead && !easyRead.ok)
      for (const problem of easyRead.problems)
        errorList.push({
          text: request.t(`consultations.questions.easyRead.${problem.key}`, {
            line: problem.line,
            name: problem.name ?? '',
          }),
          href: '#easyRead',
        });
    if (!checked.ok || !easyRead?.ok)
      return view(request, reply.code(400), consultation, values, errorList);
    const changed = await db.transaction().execute((trx) =>
      changeQuestions(trx, actorOf(request, user), consultation, {
        form: checked.definition,
        easyRead: easyRead.easyRead,
      }),
    );
    if (!changed.ok)
      return view(request, reply.code(409), consultation, values, [
        { text: request.t('consultations.edit.locked'), href: '#questionForm' },
      ]);
    if (changed.version !== null) context.wakeOutbox();
    return reply.redirect(
      `/staff/consultations/${consultation.id}?done=${changed.version === null ? 'questions' : 'versioned'}`,
      303,
    );
  });
}
