import type { ColumnType, Generated, Selectable } from 'kysely';

/** The kinds of record a body can hold that a person or a business may enrol into. */
export const ENROLABLE_SERVICES = ['council-tax', 'business-rates', 'trade-waste'] as const;
export type EnrolableService = (typeof ENROLABLE_SERVICES)[number];

/** A body's register entry: the facts a person must know, and the address its letters go to. */
export interface EnrolmentRecordTable {
  id: Generated<string>;
  held_by: string;
  service: EnrolableService;
  reference: string;
  postcode: string;
  holder_name: string;
  address_lines: ColumnType<string[], string, string>;
  created_at: Generated<Date>;
}

/**
 * A link to a record, pending until the code from the letter is entered. A person's own when
 * `business_account_id` is null; otherwise the business's, and `user_id` is the member who asked.
 */
export interface EnrolmentTable {
  id: Generated<string>;
  user_id: string;
  business_account_id: ColumnType<string | null, string | null | undefined, string | null>;
  record_id: string;
  status: 'pending' | 'active';
  requested_at: Generated<Date>;
  code_expires_at: Date;
  activated_at: Date | null;
}

export interface EnrolmentAttemptTable {
  id: Generated<number>;
  user_id: string;
  record_service: string;
  held_by: string;
  matched: boolean;
  attempted_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    enrolment_records: EnrolmentRecordTable;
    enrolments: EnrolmentTable;
    enrolment_attempts: EnrolmentAttemptTable;
  }
}

export type EnrolmentRecordRow = Selectable<EnrolmentRecordTable>;
export type EnrolmentRow = Selectable<EnrolmentTable>;
