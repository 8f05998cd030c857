import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../platform/http/types.js';
import { londonDate } from '../../../platform/time/london.js';
import { postcodeProblemView } from '../../catalogue/index.js';
import { requireSignIn } from '../../identity/index.js';
import { seesAllReviewsOf } from '../policies/knowledge.js';
import { articlesDueForReview } from '../queries/articles.js';
import { MAX_SEARCH_LENGTH, searchKnowledge } from '../queries/search.js';
import { whichBody } from '../queries/which-body.js';
import {
  adviserOf,
  articleView,
  bodyNames,
  contactPointView,
  expertView,
  ruleView,
  VIEWS,
  writerBody,
} from './shared.js';

const HOME = `${VIEWS}/home.njk`;
const SEARCH = `${VIEWS}/search.njk`;
const WHICH_BODY = `${VIEWS}/which-body.njk`;

/** The longest text read from a query string; longer is cut, not refused, except the search. */
const MAX_INPUT = 200;

function queryText(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim().slice(0, MAX_INPUT) : '';
}

/**
 * The adviser's start page (search, and the articles due for review that are theirs to check),
 * the search across articles and the directory, and "which body does this?" by postcode.
 */
export function findRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get('/staff/knowledge', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = adviserOf(signedIn);
    const now = new Date();
    const writes = writerBody(user) !== null;
    const due = writes
      ? await articlesDueForReview(
          db,
          user.organisationId,
          seesAllReviewsOf(user, user.organisationId) ? null : user.id,
          londonDate(now),
        )
      : [];
    const bodies = await bodyNames(db, [user.organisationId], request.locale);
    return reply.view(HOME, {
      due: due.map((a) => articleView(a, bodies, request.locale, now)),
      mayWrite: writes,
    });
  });

  app.get('/staff/knowledge/search', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = adviserOf(signedIn);
    const raw = (request.query as { q?: unknown }).q;
    const q = typeof raw === 'string' ? raw.trim() : '';
    const common = { q: q.slice(0, MAX_INPUT), backLink: '/staff/knowledge' };
    if (!q) return reply.view(SEARCH, { ...common, searched: false });
    if (q.length > MAX_SEARCH_LENGTH) {
      const text = request.t('knowledge.search.tooLong', { max: MAX_SEARCH_LENGTH });
      return reply.code(400).view(SEARCH, {
        ...common,
        searched: false,
        errorList: [{ text, href: '#q' }],
        fieldErrors: { q: { text } },
      });
    }
    const found = await searchKnowledge(db, q, { writerOf: writerBody(user) });
    const ids = [...found.articles, ...found.contactPoints, ...found.experts, ...found.rules].map(
      (r) => r.organisation_id,
    );
    const bodies = await bodyNames(db, ids, request.locale);
    const now = new Date();
    return reply.view(SEARCH, {
      ...common,
      searched: true,
      total:
        found.articles.length +
        found.contactPoints.length +
        found.experts.length +
        found.rules.length,
      articles: found.articles.map((a) => articleView(a, bodies, request.locale, now)),
      contactPoints: found.contactPoints.map((p) => contactPointView(p, bodies, request, now)),
      experts: found.experts.map((e) => expertView(e, bodies)),
      rules: found.rules.map((r) => ruleView(r, bodies, request.locale)),
    });
  });

  app.get('/staff/knowledge/which-body', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    adviserOf(signedIn);
    const topic = queryText(request, 'topic');
    const postcode = queryText(request, 'postcode');
    const service = queryText(request, 'service');
    const common = { topic, postcode, backLink: '/staff/knowledge' };
    // The empty form, before the adviser has asked anything.
    if (!('postcode' in (request.query as object)) && !topic)
      return reply.view(WHICH_BODY, { ...common, asked: false });
    const errors: { text: string; href: string }[] = [];
    const fieldErrors: Record<string, { text: string }> = {};
    if (!topic) {
      const text = request.t('knowledge.whichBody.topic.required');
      errors.push({ text, href: '#topic' });
      fieldErrors.topic = { text };
    }
    const now = new Date();
    const answer = await whichBody(
      db,
      { text: topic, postcode, serviceSlug: service || undefined, locale: request.locale },
      now,
    );
    if (!answer.ok) {
      const problem = postcodeProblemView(answer.problem, postcode, request);
      errors.push(...problem.errorList);
      Object.assign(fieldErrors, problem.fieldErrors);
    }
    if (errors.length > 0 || !answer.ok)
      return reply
        .code(400)
        .view(WHICH_BODY, { ...common, asked: false, errorList: errors, fieldErrors });
    const ids = answer.signposts.map((s) => s.contactPoint.organisation_id);
    const bodies = await bodyNames(db, ids, request.locale);
    return reply.view(WHICH_BODY, {
      ...common,
      asked: true,
      answer,
      signposts: answer.signposts.map((s) => ({
        rule: s.rule ? ruleView(s.rule, bodies, request.locale) : null,
        contactPoint: contactPointView(s.contactPoint, bodies, request, now, s.hours),
      })),
    });
  });
}
