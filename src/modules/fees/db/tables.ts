import type { ColumnType, Generated, Selectable } from 'kysely';

export const CHARGE_KINDS = ['form', 'bill', 'instalment'] as const;
/** What a charge is: a form's fee, a bill a body raised, or one instalment of a plan. */
export type ChargeKind = (typeof CHARGE_KINDS)[number];
export type ChargeStatus = 'unpaid' | 'paid';

/**
 * A `date` column: written as YYYY-MM-DD and selected through `chargeColumns` / `planColumns`
 * (queries/charges.ts), which cast it to text, so no driver turns a day into an instant.
 */
type CalendarDate = ColumnType<string, string, never>;

/** One thing a person is to pay a body (migration 0031). */
export interface FeeChargeTable {
  id: Generated<string>;
  kind: ChargeKind;
  organisation_id: string;
  /** Who owes it; null only for a form's fee sent without an account. */
  user_id: string | null;
  email: string | null;
  amount: number;
  description: string;
  reference: string;
  due_date: ColumnType<string | null, string | null | undefined, never>;
  submission_id: string | null;
  plan_id: string | null;
  instalment: number | null;
  status: Generated<ChargeStatus>;
  paid_at: Date | null;
  paid_by_payment: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  /** A form's fee from the service's fee rules: the version that priced it (migration 0065). */
  rule_set_version_id: ColumnType<string | null, string | null | undefined, never>;
}

/** A council tax-style plan: a total paid in monthly instalments (each one a charge). */
export interface FeePlanTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  email: string;
  description: string;
  reference: string;
  total: number;
  instalments: number;
  first_due: CalendarDate;
  created_by: string | null;
  created_at: Generated<Date>;
}

/** A payment asked for a charge: one per try. */
export interface FeeAttemptTable {
  id: Generated<number>;
  payment_id: string;
  charge_id: string;
  created_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    fee_charges: FeeChargeTable;
    fee_plans: FeePlanTable;
    fee_attempts: FeeAttemptTable;
  }
}

export type FeeChargeRow = Selectable<FeeChargeTable>;
export type FeePlanRow = Selectable<FeePlanTable>;
