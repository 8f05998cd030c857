import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Answers } from '../definition.js';

export interface FormDraftTable {
  id: Generated<string>;
  user_id: string;
  service_id: string;
  answers: ColumnType<Answers, string | undefined, string>;
  /** The agent user who last changed the client's draft while acting for them; null if the client did. */
  agent_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The agent business that user acted through. */
  agent_business_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    form_drafts: FormDraftTable;
  }
}

export type FormDraftRow = Selectable<FormDraftTable>;
