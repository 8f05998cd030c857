import type { ColumnType } from 'kysely';

/** A caseworker's reason for opening a case of their body outside their own queue. */
export interface CaseAccessReasonTable {
  user_id: string;
  case_id: string;
  reason: string;
  details: ColumnType<string, string | undefined, string>;
  given_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    case_access_reasons: CaseAccessReasonTable;
  }
}
