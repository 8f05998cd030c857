import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { ArticleKind, ArticleStatus } from '../db/tables.js';

/** An article as the pages read it, its review date as YYYY-MM-DD. */
export interface ArticleRow {
  id: string;
  organisation_id: string;
  service_id: string;
  kind: ArticleKind;
  title: string;
  title_cy: string;
  body: string;
  body_cy: string;
  owner_user_id: string | null;
  review_due: string;
  status: ArticleStatus;
  updated_at: Date;
}

export function articleQuery(db: Db) {
  return db
    .selectFrom('knowledge_articles')
    .select([
      'id',
      'organisation_id',
      'service_id',
      'kind',
      'title',
      'title_cy',
      'body',
      'body_cy',
      'owner_user_id',
      sql<string>`review_due::text`.as('review_due'),
      'status',
      'updated_at',
    ]);
}

export async function findArticle(db: Db, id: string): Promise<ArticleRow | undefined> {
  return articleQuery(db).where('id', '=', id).executeTakeFirst();
}

/**
 * The articles an adviser may browse, by title: every body's published articles, and the drafts
 * and archived articles of `writerOf` (the reader's body when they may write it).
 */
export async function listArticles(
  db: Db,
  options: { writerOf: string | null; kind?: ArticleKind | undefined },
): Promise<ArticleRow[]> {
  let query = articleQuery(db);
  const { writerOf, kind } = options;
  query = query.where((eb) =>
    writerOf
      ? eb.or([eb('status', '=', 'published'), eb('organisation_id', '=', writerOf)])
      : eb('status', '=', 'published'),
  );
  if (kind) query = query.where('kind', '=', kind);
  return query.orderBy('title').limit(500).execute();
}

/**
 * Articles of a body past their review date (not archived): those a member of staff owns, or
 * every one of the body's for its admins (an article whose owner left has no one else).
 */
export async function articlesDueForReview(
  db: Db,
  organisationId: string,
  ownerUserId: string | null,
  today: string,
): Promise<ArticleRow[]> {
  let query = articleQuery(db)
    .where('organisation_id', '=', organisationId)
    .where('status', '<>', 'archived')
    .where('review_due', '<', today);
  if (ownerUserId) query = query.where('owner_user_id', '=', ownerUserId);
  return query.orderBy('review_due').orderBy('title').execute();
}

/** True when an article's review date has passed on the London calendar. */
export function isDueForReview(article: Pick<ArticleRow, 'review_due' | 'status'>, today: string) {
  return article.status !== 'archived' && article.review_due < today;
}
