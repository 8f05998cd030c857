import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import { listOrganisations } from '../../organisations/index.js';
import type { ContactPointRow, ExpertRow, RoutingRuleRow } from '../db/tables.js';
import { articleQuery, type ArticleRow } from './articles.js';

/** The longest search run; longer ones get a message, not a slow query. */
export const MAX_SEARCH_LENGTH = 100;

export interface KnowledgeResults {
  articles: ArticleRow[];
  contactPoints: ContactPointRow[];
  experts: ExpertRow[];
  rules: RoutingRuleRow[];
}

/** Words typed as a tsquery: English stems or the exact (Welsh) words, every word needed. */
function tsquery(text: string) {
  return sql`(plainto_tsquery('english', ${text}) || plainto_tsquery('simple', ${text}))`;
}

/** `%text%` for ILIKE, with the pattern characters typed taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Searches the knowledge base and the directory with PostgreSQL full-text search (English stems
 * and Welsh words, as the catalogue's search does; PGlite has the same): published articles by
 * title and text (and the drafts of `writerOf`), contact points by name and address, experts by
 * name, role and topics, routing rules by topic or service key. A body's name finds its contact
 * points, so "Stroud" lists Stroud's lines.
 *
 * @example await searchKnowledge(db, 'council tax', { writerOf: null })
 */
export async function searchKnowledge(
  db: Db,
  text: string,
  options: { writerOf: string | null },
): Promise<KnowledgeResults> {
  const words = text.trim();
  if (!words || words.length > MAX_SEARCH_LENGTH)
    return { articles: [], contactPoints: [], experts: [], rules: [] };
  const query = tsquery(words);
  const like = containing(words.toLowerCase());
  const bodies = (await listOrganisations(db))
    .filter((o) => `${o.name} ${o.name_cy ?? ''}`.toLowerCase().includes(words.toLowerCase()))
    .map((o) => o.id);
  const [articles, contactPoints, experts, rules] = await Promise.all([
    articleQuery(db)
      .where(sql<boolean>`search_vector @@ ${query}`)
      .where((eb) =>
        options.writerOf
          ? eb.or([eb('status', '=', 'published'), eb('organisation_id', '=', options.writerOf)])
          : eb('status', '=', 'published'),
      )
      .orderBy(sql`ts_rank(search_vector, ${query})`, 'desc')
      .orderBy('title')
      .limit(50)
      .execute(),
    db
      .selectFrom('knowledge_contact_points')
      .selectAll()
      .where((eb) =>
        bodies.length > 0
          ? eb.or([
              eb(sql<boolean>`search_vector @@ ${query}`, '=', true),
              eb('organisation_id', 'in', bodies),
            ])
          : eb(sql<boolean>`search_vector @@ ${query}`, '=', true),
      )
      .orderBy('name')
      .limit(50)
      .execute(),
    db
      .selectFrom('knowledge_experts')
      .selectAll()
      .where(sql<boolean>`search_vector @@ ${query}`)
      .orderBy('name')
      .limit(50)
      .execute(),
    db
      .selectFrom('knowledge_routing_rules')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['topic']), 'like', like),
          eb(sql`replace(service_key, '-', ' ')`, 'like', like),
        ]),
      )
      .orderBy('area_gss')
      .limit(50)
      .execute(),
  ]);
  return { articles, contactPoints, experts, rules };
}
