/**
 * "Check if you can get this" (`/services/:slug/check`): a service's eligibility questions on one
 * short page, no account needed, in English or Welsh; the answer page shows the outcome and why,
 * from the version of the rules in force today. Nothing typed is stored.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { findPublishedService, type PublicService } from '../../../catalogue/index.js';
import { answerText, evaluate, outcomeText } from '../../evaluate.js';
import { ruleSetInForce, type RuleSetVersion } from '../../queries/versions.js';
import { fieldViews, readAnswers, type ReadAnswers, type Typed } from '../fields.js';

const QUESTIONS = 'modules/rules/pages/check/questions.njk';
const RESULT = 'modules/rules/pages/check/result.njk';
/** The fields' prefix: `answer-benefit` … */
const PREFIX = 'answer-';

export function checkRoutes(app: FastifyInstance, { db }: AppContext): void {
  async function found(
    request: FastifyRequest,
  ): Promise<{ service: PublicService; rules: RuleSetVersion }> {
    const { slug } = request.params as { slug: string };
    const service = await findPublishedService(db, slug, request.locale);
    if (!service) throw notFound({ slug });
    const rules = await ruleSetInForce(db, service.id, 'eligibility');
    if (!rules) throw notFound({ slug, rules: 'none in force' });
    return { service, rules };
  }

  function questions(
    request: FastifyRequest,
    reply: FastifyReply,
    service: PublicService,
    rules: RuleSetVersion,
    typed: Typed,
    errors: ReadAnswers['errors'],
  ) {
    const { locale } = request;
    return reply.view(QUESTIONS, {
      service,
      heading: rules.table.title[locale],
      fields: fieldViews(rules.table, typed, errors, PREFIX, locale, request.t),
      errorList: errors.map((e) => e.error),
      backLink: `/services/${service.slug}`,
    });
  }

  app.get('/services/:slug/check', async (request, reply) => {
    const { service, rules } = await found(request);
    return questions(request, reply, service, rules, {}, []);
  });

  app.post('/services/:slug/check', async (request, reply) => {
    const { service, rules } = await found(request);
    const { locale } = request;
    const body = request.body as Record<string, unknown> | undefined;
    const read = readAnswers(rules.table, body, PREFIX, locale, request.t);
    if (read.errors.length > 0)
      return questions(request, reply.code(400), service, rules, read.typed, read.errors);
    const result = evaluate(rules.table, read.inputs);
    // A published table is unique, so this cannot happen; if it does, say so rather than guess.
    if (!result.ok)
      throw new Error(`Rule set ${rules.id} gave no single outcome: ${result.problem}`);
    return reply.view(RESULT, {
      service,
      heading: rules.table.title[locale],
      outcome: result.outcome,
      outcomeText: outcomeText(result.outcome, locale),
      explanation: result.explanation[locale],
      answers: rules.table.inputs.map((input) => ({
        key: { text: input.label[locale] },
        value: {
          text:
            input.type === 'yesno'
              ? request.t(read.inputs[input.name] ? 'rules.answer.yes' : 'rules.answer.no')
              : answerText(input, read.inputs[input.name]!, locale),
        },
      })),
      version: rules.version,
      effectiveFrom: rules.effectiveFrom,
      canApply:
        service.formKey !== null &&
        result.outcome.type === 'eligibility' &&
        result.outcome.value !== 'not-eligible',
      backLink: `/services/${service.slug}/check`,
    });
  });
}
