import type { ColumnType, Generated, Selectable } from 'kysely';
import type { DecisionTable, Purpose, TestCase } from '../schema.js';

/** Every published version of every service's rule sets (migration 0055); rows never change. */
export interface RuleSetTable {
  id: Generated<string>;
  service_id: string;
  purpose: Purpose;
  version: number;
  definition: ColumnType<DecisionTable, string, never>;
  tests: ColumnType<TestCase[], string, never>;
  /** The UK calendar day (YYYY-MM-DD) from which this version is in force. */
  effective_from: string;
  published_by: string | null;
  published_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    rule_sets: RuleSetTable;
  }
}

export type RuleSetRow = Selectable<RuleSetTable>;
