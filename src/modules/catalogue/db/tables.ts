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
  /** The assurance level applying needs: 0 anonymous … 3 identity verified (see identity's assurance.ts). */
  required_level: ColumnType<ServiceLevel, ServiceLevel | undefined, ServiceLevel>;
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

/** The seeds' four levels of authentication, as a service declares the one it needs. */
export type ServiceLevel = 0 | 1 | 2 | 3;

export type ServiceRow = Selectable<ServiceTable>;
