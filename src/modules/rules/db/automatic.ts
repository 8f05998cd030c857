import type { ColumnType, Generated, Selectable } from 'kysely';

/** Whether a service lets its rules decide, and the share checked by a person (migration 0061). */
export interface RuleAutomationTable {
  service_id: string;
  decide: boolean;
  /** Of the decisions the rules make, the percentage (0–100) also sent to a caseworker to check. */
  sample_percent: number;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A decision the rules made on their own, and the person's request for a person to review it. */
export interface AutomaticDecisionTable {
  submission_id: string;
  service_id: string;
  organisation_id: string;
  rule_set_version_id: string;
  outcome: string;
  explanation: ColumnType<{ en: string; cy: string }, string, never>;
  sampled: boolean;
  decided_at: Generated<Date>;
  review_requested_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  review_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    rule_automation: RuleAutomationTable;
    automatic_decisions: AutomaticDecisionTable;
  }
}

export type RuleAutomationRow = Selectable<RuleAutomationTable>;
export type AutomaticDecisionRow = Selectable<AutomaticDecisionTable>;
