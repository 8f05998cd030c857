import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../../platform/errors/errors.js';
import { errorView } from '../../../platform/http/forms.js';
import type { AppContext } from '../../../platform/http/types.js';
import { londonDate } from '../../../platform/time/london.js';
import { findPublishedServiceById, findServices } from '../../catalogue/index.js';
import { requireSignIn, staffWithRoles } from '../../identity/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import { addArticle, editArticle, notYours } from '../commands/articles.js';
import { ARTICLE_KINDS, ARTICLE_STATUSES, type ArticleKind } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';
import { mayReadArticle, mayWriteKnowledgeOf } from '../policies/knowledge.js';
import { findArticle, listArticles, type ArticleRow } from '../queries/articles.js';
import { ARTICLE_FIELDS, formValues, readArticleForm, type FormValues } from '../schema.js';
import {
  actorOf,
  adviserOf,
  articleView,
  bodyNames,
  VIEWS,
  writerBody,
  type Adviser,
} from './shared.js';

const LIST = `${VIEWS}/articles.njk`;
const ARTICLE = `${VIEWS}/article.njk`;
const FORM = `${VIEWS}/article-form.njk`;

/** The form's values from a stored article, for editing it. */
function valuesOf(article: ArticleRow): FormValues {
  const [year, month, day] = article.review_due.split('-');
  return {
    serviceId: article.service_id,
    kind: article.kind,
    title: article.title,
    titleCy: article.title_cy,
    body: article.body,
    bodyCy: article.body_cy,
    ownerUserId: article.owner_user_id ?? '',
    'reviewDue-day': String(Number(day)),
    'reviewDue-month': String(Number(month)),
    'reviewDue-year': year ?? '',
    status: article.status,
  };
}

/** Articles advisers browse and read, and the pages a body's writers add and change them with. */
export function articleRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  /** What the article form offers: the writer's body's published services and its writers. */
  async function formView(request: FastifyRequest, user: Adviser, values: FormValues) {
    const body = await findOrganisationById(db, user.organisationId);
    const { services } = body
      ? await findServices(db, { locale: request.locale, body: body.slug })
      : { services: [] };
    const owners = await staffWithRoles(db, user.organisationId, ['service-owner']);
    return {
      values,
      services: services.map((s) => ({
        value: s.id,
        text: s.title,
        selected: s.id === values.serviceId,
      })),
      owners: owners.map((o) => ({
        value: o.id,
        text: o.display_name,
        selected: o.id === values.ownerUserId,
      })),
      kinds: ARTICLE_KINDS,
      statuses: ARTICLE_STATUSES,
    };
  }

  function writer(request: FastifyRequest, reply: Parameters<typeof requireSignIn>[1]) {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return null;
    const user = adviserOf(signedIn);
    if (!mayWriteKnowledgeOf(user, user.organisationId)) throw notYours();
    return user;
  }

  async function ownArticle(request: FastifyRequest, user: Adviser): Promise<ArticleRow> {
    const { id } = request.params as { id: string };
    const article = isUuid(id) ? await findArticle(db, id) : undefined;
    if (!article || !mayReadArticle(user, article)) throw notFound({ article: id });
    if (!mayWriteKnowledgeOf(user, article.organisation_id)) throw notYours();
    return article;
  }

  app.get('/staff/knowledge/articles', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = adviserOf(signedIn);
    const asked = (request.query as { kind?: string }).kind;
    const kind = ARTICLE_KINDS.includes(asked as ArticleKind) ? (asked as ArticleKind) : undefined;
    const articles = await listArticles(db, { writerOf: writerBody(user), kind });
    const bodies = await bodyNames(
      db,
      articles.map((a) => a.organisation_id),
      request.locale,
    );
    const now = new Date();
    return reply.view(LIST, {
      articles: articles.map((a) => articleView(a, bodies, request.locale, now)),
      kind: kind ?? '',
      kinds: ARTICLE_KINDS,
      mayWrite: writerBody(user) !== null,
      backLink: '/staff/knowledge',
    });
  });

  app.get('/staff/knowledge/articles/new', async (request, reply) => {
    const user = writer(request, reply);
    if (!user) return reply;
    const values: FormValues = { status: 'published', ownerUserId: user.id };
    return reply.view(FORM, { ...(await formView(request, user, values)), action: 'new' });
  });

  app.post('/staff/knowledge/articles/new', async (request, reply) => {
    const user = writer(request, reply);
    if (!user) return reply;
    const values = formValues(request.body, ARTICLE_FIELDS);
    const read = readArticleForm(values);
    const outcome = read.ok
      ? await db
          .transaction()
          .execute((trx) => addArticle(trx, actorOf(request, user), user, read.article))
      : read;
    if (!outcome.ok)
      return reply.code(400).view(FORM, {
        ...(await formView(request, user, values)),
        action: 'new',
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/staff/knowledge/articles/${outcome.id}?done=added`, 303);
  });

  app.get('/staff/knowledge/articles/:id', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = adviserOf(signedIn);
    const { id } = request.params as { id: string };
    const article = isUuid(id) ? await findArticle(db, id) : undefined;
    if (!article || !mayReadArticle(user, article)) throw notFound({ article: id });
    const bodies = await bodyNames(db, [article.organisation_id], request.locale);
    const service = await findPublishedServiceById(db, article.service_id, request.locale);
    const now = new Date();
    return reply.view(ARTICLE, {
      article: articleView(article, bodies, request.locale, now),
      service,
      mayEdit: mayWriteKnowledgeOf(user, article.organisation_id),
      done: (request.query as { done?: string }).done,
      today: londonDate(now),
      backLink: '/staff/knowledge/articles',
    });
  });

  app.get('/staff/knowledge/articles/:id/edit', async (request, reply) => {
    const user = writer(request, reply);
    if (!user) return reply;
    const article = await ownArticle(request, user);
    return reply.view(FORM, {
      ...(await formView(request, user, valuesOf(article))),
      action: `${article.id}/edit`,
      backLink: `/staff/knowledge/articles/${article.id}`,
    });
  });

  app.post('/staff/knowledge/articles/:id/edit', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = adviserOf(signedIn);
    const article = await ownArticle(request, user);
    const values = formValues(request.body, ARTICLE_FIELDS);
    const read = readArticleForm(values);
    const outcome = read.ok
      ? await db
          .transaction()
          .execute((trx) =>
            editArticle(trx, actorOf(request, user), user, article.id, read.article),
          )
      : read;
    if (!outcome.ok)
      return reply.code(400).view(FORM, {
        ...(await formView(request, user, values)),
        action: `${article.id}/edit`,
        backLink: `/staff/knowledge/articles/${article.id}`,
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/staff/knowledge/articles/${article.id}?done=saved`, 303);
  });
}
