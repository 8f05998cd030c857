import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';

/** A member of staff's "My data": the articles they are named as owner of. */
export async function articlesOwnedBy(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const rows = await db
    .selectFrom('knowledge_articles')
    .select(['id', 'title', 'status', sql<string>`review_due::text`.as('review_due')])
    .where('owner_user_id', '=', userId)
    .orderBy('title')
    .execute();
  if (rows.length === 0) return [];
  return [
    {
      key: 'knowledge-articles',
      title: 'knowledge.myData.articles',
      rows: rows.map((r) => ({
        id: r.id,
        title: r.title,
        status: r.status,
        reviewDue: r.review_due,
      })),
    },
  ];
}
