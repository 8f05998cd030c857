import type { ColumnType, Generated, Selectable } from 'kysely';
import type { RetentionAction } from '../../../platform/http/types.js';

/** A body's period and action for one record type (migration 0036); no row means the default. */
export interface RetentionPolicyTable {
  organisation_id: string;
  record_type: string;
  period_months: number;
  action: RetentionAction;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A legal hold on a person (every record of the body about them) or on one record. */
export interface LegalHoldTable {
  id: Generated<string>;
  organisation_id: string;
  subject: 'person' | 'record';
  person_user_id: string | null;
  record_type: string | null;
  record_id: string | null;
  /** What staff typed to find the subject: an e-mail address or a reference. */
  label: string;
  reason: string;
  ends_at: Date | null;
  placed_by: string | null;
  placed_at: ColumnType<Date, Date | undefined, never>;
  lifted_by: ColumnType<string | null, string | null | undefined, string | null>;
  lifted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** One run of the job; a resumed run keeps its `as_of`, so it finishes the same work. */
export interface RetentionRunTable {
  id: Generated<string>;
  run_key: string;
  as_of: Date;
  started_at: ColumnType<Date, Date | undefined, never>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** What a run did per body, record type and action; added to in each batch's transaction. */
export interface RetentionRunCountTable {
  run_id: string;
  organisation_id: string;
  record_type: string;
  action: RetentionAction;
  count: number;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    retention_policies: RetentionPolicyTable;
    legal_holds: LegalHoldTable;
    retention_runs: RetentionRunTable;
    retention_run_counts: RetentionRunCountTable;
  }
}

export type RetentionPolicyRow = Selectable<RetentionPolicyTable>;
export type LegalHoldRow = Selectable<LegalHoldTable>;
export type RetentionRunRow = Selectable<RetentionRunTable>;
