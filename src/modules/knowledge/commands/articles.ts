import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { AppError, type Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { londonDate } from '../../../platform/time/london.js';
import { findPublishedServiceById } from '../../catalogue/index.js';
import { staffWithRoles } from '../../identity/index.js';
import { mayWriteKnowledgeOf } from '../policies/knowledge.js';
import type { ArticleInput } from '../schema.js';

/**
 * Refused when a member of staff tries to change what another body keeps: they may read it, so
 * a 404 would mislead. The message is a locale key the error page translates.
 */
export function notYours(): AppError {
  return new AppError('knowledge_not_yours', 403, 'knowledge.notYours');
}

/** The service and owner must be the writer's body's; a new or moved review date not in the past. */
async function checkArticle(
  db: Db,
  user: CurrentUser & { organisationId: string },
  input: ArticleInput,
  now: Date,
  reviewDueBefore: string | null,
) {
  const errors = [];
  const service = await findPublishedServiceById(db, input.serviceId, 'en');
  if (!service || service.organisation.id !== user.organisationId)
    errors.push({ field: 'serviceId', message: 'knowledge.error.serviceId.notYours' });
  const owners = await staffWithRoles(db, user.organisationId, ['service-owner']);
  if (!owners.some((o) => o.id === input.ownerUserId))
    errors.push({ field: 'ownerUserId', message: 'knowledge.error.ownerUserId.notWriter' });
  if (input.reviewDue !== reviewDueBefore && input.reviewDue < londonDate(now))
    errors.push({ field: 'reviewDue-day', message: 'knowledge.error.reviewDue.past' });
  return errors;
}

/**
 * Adds an article to the writer's body's knowledge base, in the caller's transaction, audited.
 * Refused (nothing written) for a service of another body, an owner who may not write, or a
 * review date already past.
 */
export async function addArticle(
  trx: Db,
  actor: Actor,
  user: CurrentUser,
  input: ArticleInput,
  now = new Date(),
): Promise<Outcome<{ id: string }>> {
  if (!user.organisationId || !mayWriteKnowledgeOf(user, user.organisationId)) throw notYours();
  const writer = user as CurrentUser & { organisationId: string };
  const errors = await checkArticle(trx, writer, input, now, null);
  if (errors.length > 0) return { ok: false, errors };
  const { id } = await trx
    .insertInto('knowledge_articles')
    .values({
      organisation_id: writer.organisationId,
      service_id: input.serviceId,
      kind: input.kind,
      title: input.title,
      title_cy: input.titleCy,
      body: input.body,
      body_cy: input.bodyCy,
      owner_user_id: input.ownerUserId,
      review_due: input.reviewDue,
      status: input.status,
      updated_by: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'knowledge.article-added',
    resourceType: 'knowledge_article',
    resourceId: id,
    subjectUserId: null,
    details: { kind: input.kind, status: input.status, serviceId: input.serviceId },
  });
  return { ok: true, id };
}

/**
 * Changes an article of the writer's own body, audited with the fields that changed. Another
 * body's article is refused with `knowledge_not_yours` before anything is read into the form.
 */
export async function editArticle(
  trx: Db,
  actor: Actor,
  user: CurrentUser,
  id: string,
  input: ArticleInput,
  now = new Date(),
): Promise<Outcome<{ id: string }>> {
  const before = await trx
    .selectFrom('knowledge_articles')
    .select([
      'organisation_id',
      'service_id',
      'kind',
      'title',
      'title_cy',
      'body',
      'body_cy',
      'owner_user_id',
      'status',
      sql<string>`review_due::text`.as('review_due'),
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!before) throw new AppError('not_found', 404, 'Page not found', { article: id });
  if (!mayWriteKnowledgeOf(user, before.organisation_id)) throw notYours();
  const writer = user as CurrentUser & { organisationId: string };
  const errors = await checkArticle(trx, writer, input, now, before.review_due);
  if (errors.length > 0) return { ok: false, errors };
  const after = {
    service_id: input.serviceId,
    kind: input.kind,
    title: input.title,
    title_cy: input.titleCy,
    body: input.body,
    body_cy: input.bodyCy,
    owner_user_id: input.ownerUserId,
    review_due: input.reviewDue,
    status: input.status,
  };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter(
    (key) => after[key] !== before[key],
  );
  await trx
    .updateTable('knowledge_articles')
    .set({ ...after, updated_by: user.id, updated_at: now })
    .where('id', '=', id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'knowledge.article-edited',
    resourceType: 'knowledge_article',
    resourceId: id,
    subjectUserId: null,
    details: { changed },
  });
  return { ok: true, id };
}
