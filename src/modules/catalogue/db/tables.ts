import type { ColumnType, Generated, Selectable } from 'kysely';

export interface ServiceTable {
  id: Generated<string>;
  slug: string;
  organisation_id: string;
  title: string;
  title_cy: string;
  summary: string;
  summary_cy: string;
  body: string;
  body_cy: string;
  keywords: Generated<string>;
  form_key: string | null;
  status: ColumnType<
    'draft' | 'published' | 'withdrawn',
    'draft' | 'published' | 'withdrawn' | undefined
  >;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    services: ServiceTable;
  }
}

export type ServiceRow = Selectable<ServiceTable>;
