import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Answers, FormDefinition } from '../schema.js';

export interface FormDraftTable {
  id: Generated<string>;
  /** The applicant; null for someone without an account (a level 0 service), who has a token. */
  user_id: ColumnType<string | null, string | null | undefined, string | null>;
  service_id: string;
  answers: ColumnType<Answers, string | undefined, string>;
  /** The agent user who last changed the client's draft while acting for them; null if the client did. */
  agent_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The agent business that user acted through. */
  agent_business_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** A form for businesses: the business or charity account applied for (migration 0028). */
  business_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The form and version the journey began on (null for drafts older than 0023). */
  form_key: ColumnType<string | null, string | null | undefined, string | null>;
  form_version: ColumnType<number | null, number | null | undefined, number | null>;
  /** SHA-256 (hex) of the secret that lets a person without an account continue. */
  token_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** Until when the e-mailed "come back later" link works. */
  resume_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** Every version of every form; published versions never change. */
export interface FormDefinitionTable {
  id: Generated<string>;
  key: string;
  version: number;
  definition: ColumnType<FormDefinition, string, string>;
  status: ColumnType<'draft' | 'published', 'draft' | 'published' | undefined>;
  created_by: string | null;
  created_at: Generated<Date>;
  published_by: ColumnType<string | null, string | null | undefined, string | null>;
  published_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    form_drafts: FormDraftTable;
    form_definitions: FormDefinitionTable;
  }
}

export type FormDraftRow = Selectable<FormDraftTable>;
export type FormDefinitionRow = Selectable<FormDefinitionTable>;
