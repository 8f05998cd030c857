import type { ColumnType, Generated, Selectable } from 'kysely';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * The kinds of correspondence a body works at /staff/correspondence; a review is an FOI
 * internal review (migration 0048), linked to the request it looks at again.
 */
export const KINDS = ['complaint', 'foi', 'review', 'member'] as const;
export type CorrespondenceKind = (typeof KINDS)[number];

/** Where a piece of correspondence stands; which states a kind uses is in the migration. */
export type CorrespondenceState =
  'open' | 'clarification' | 'fee-due' | 'responded' | 'closed' | 'drafting' | 'cleared' | 'sent';

/** How a complaint was decided. */
export const COMPLAINT_OUTCOMES = ['upheld', 'partly-upheld', 'not-upheld'] as const;
/** How an FOI request was answered (s.1 given, s.17 refusal notice, or not held). */
export const FOI_OUTCOMES = ['given-in-full', 'given-in-part', 'refused', 'not-held'] as const;
/** How an FOI internal review decided the original answer (migration 0048). */
export const REVIEW_OUTCOMES = ['upheld', 'partly-upheld', 'overturned'] as const;
export type Outcome =
  | (typeof COMPLAINT_OUTCOMES)[number]
  | (typeof FOI_OUTCOMES)[number]
  | (typeof REVIEW_OUTCOMES)[number];

/** The activities the s.12 estimate may count (Appropriate Limit and Fees Regulations, reg. 4(3)). */
export const COST_ACTIVITIES = ['determining', 'locating', 'retrieving', 'extracting'] as const;
export type CostActivity = (typeof COST_ACTIVITIES)[number];
export type CostHours = Record<CostActivity, number>;

/** Who wrote on a constituent's behalf. */
export const MEMBER_ROLES = ['mp', 'ms', 'councillor', 'peer', 'other'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** A body's own time limits in working days (migration 0043). */
export interface CorrespondenceSettingsTable {
  organisation_id: string;
  complaint_stage1_days: Generated<number>;
  complaint_stage2_days: Generated<number>;
  member_reply_days: Generated<number>;
  updated_by: Nullable<string>;
  updated_at: Generated<Date>;
}

/** A complaint, FOI request or member's letter to one body (migration 0043). */
export interface CorrespondenceTable {
  id: Generated<string>;
  reference: string;
  kind: CorrespondenceKind;
  organisation_id: string;
  account_id: Nullable<string>;
  requester_name: string;
  requester_email: Nullable<string>;
  language: 'en' | 'cy';
  subject: string;
  details: string;
  member_role: Nullable<MemberRole>;
  constituent_name: Nullable<string>;
  state: CorrespondenceState;
  stage: Generated<number>;
  received_at: Generated<Date>;
  clock_started_at: Generated<Date>;
  due_at: Nullable<Date>;
  clock_stopped_at: Nullable<Date>;
  clarification: Nullable<string>;
  extension_days: Nullable<number>;
  extension_reason: Nullable<string>;
  owner_id: Nullable<string>;
  outcome: Nullable<Outcome>;
  exemptions: ColumnType<string[], string[] | undefined, string[]>;
  response: Nullable<string>;
  responded_at: Nullable<Date>;
  responded_by: Nullable<string>;
  draft: Nullable<string>;
  cleared_by: Nullable<string>;
  cleared_at: Nullable<Date>;
  published_at: Nullable<Date>;
  disclosure_title: Nullable<string>;
  disclosure_text: Nullable<string>;
  anonymised_at: Nullable<Date>;
  review_of: Nullable<string>;
  cost_hours: ColumnType<CostHours | null, string | null | undefined, string | null>;
  cost_estimated_at: Nullable<Date>;
  cost_estimated_by: Nullable<string>;
  fee_pence: Nullable<number>;
  fee_description: Nullable<string>;
  fee_notice_at: Nullable<Date>;
  fee_paid_at: Nullable<Date>;
  due_before_fee: Nullable<Date>;
  version: Generated<number>;
  created_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    correspondence_settings: CorrespondenceSettingsTable;
    correspondence: CorrespondenceTable;
  }
}

export type CorrespondenceRow = Selectable<CorrespondenceTable>;
export type CorrespondenceSettingsRow = Selectable<CorrespondenceSettingsTable>;
