import type { ColumnType, Generated, Selectable } from 'kysely';
import type { OpeningPeriod } from '../hours.js';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** A jsonb column read as T and written as its JSON text. */
type Json<T> = ColumnType<T, string | undefined, string>;

/** What an article is for: words to say on a call, a question people ask, or the rule behind an answer. */
export const ARTICLE_KINDS = ['script', 'faq', 'policy'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];

/** Drafts and archived articles are seen only by the owning body's writers. */
export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** An article of the knowledge base (migration 0042). */
export interface KnowledgeArticleTable {
  id: Generated<string>;
  organisation_id: string;
  service_id: string;
  kind: ArticleKind;
  title: string;
  title_cy: Generated<string>;
  body: string;
  body_cy: Generated<string>;
  owner_user_id: Nullable<string>;
  /**
   * A calendar date: the drivers would turn a `date` into a local-midnight instant, so every
   * query reads it as text (`review_due::text`).
   */
  review_due: ColumnType<string, string, string>;
  status: Generated<ArticleStatus>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  updated_by: Nullable<string>;
  search_vector: ColumnType<string, never, never>;
}

/** A phone line, mailbox or office of a body, with its opening hours (migration 0042). */
export interface KnowledgeContactPointTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  name_cy: Generated<string>;
  phone: Nullable<string>;
  email: Nullable<string>;
  address: Generated<string>;
  opening_hours: Json<OpeningPeriod[]>;
  updated_at: Generated<Date>;
  updated_by: Nullable<string>;
  search_vector: ColumnType<string, never, never>;
}

/** Someone at a body advisers may pass a hard question to (migration 0042). */
export interface KnowledgeExpertTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  role: string;
  topics: Generated<string>;
  how_to_reach: string;
  updated_at: Generated<Date>;
  updated_by: Nullable<string>;
  search_vector: ColumnType<string, never, never>;
}

/** Where to send a call about a service or topic in an area (migration 0042). */
export interface KnowledgeRoutingRuleTable {
  id: Generated<string>;
  organisation_id: string;
  service_key: Nullable<string>;
  topic: Generated<string>;
  area_gss: string;
  contact_point_id: string;
  opening_hours: ColumnType<OpeningPeriod[] | null, string | null | undefined, string | null>;
  notes: Generated<string>;
  updated_at: Generated<Date>;
  updated_by: Nullable<string>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    knowledge_articles: KnowledgeArticleTable;
    knowledge_contact_points: KnowledgeContactPointTable;
    knowledge_experts: KnowledgeExpertTable;
    knowledge_routing_rules: KnowledgeRoutingRuleTable;
  }
}

export type ContactPointRow = Selectable<KnowledgeContactPointTable>;
export type ExpertRow = Selectable<KnowledgeExpertTable>;
export type RoutingRuleRow = Selectable<KnowledgeRoutingRuleTable>;
