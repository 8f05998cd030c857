import type { ColumnType, Generated, Selectable } from 'kysely';

/** A workflow version's lifecycle: edited as a draft, published for new cases, retired. */
export type WorkflowStatus = 'draft' | 'published' | 'retired';

/** One version of a workflow; `definition` is checked by the workflow schema before it is stored. */
export interface WorkflowVersionTable {
  id: Generated<string>;
  /** The body that wrote it; null for the platform's own, which every body may use. */
  organisation_id: string | null;
  key: string;
  version: number;
  definition: ColumnType<unknown, string, string>;
  status: WorkflowStatus;
  created_by: string | null;
  created_at: Generated<Date>;
  published_at: Date | null;
}

/** Which workflow a service's cases follow; no row means the platform's `default`. */
export interface ServiceWorkflowTable {
  service_id: string;
  workflow_key: string;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** Where a problem is, for reports of local problems. */
export interface CaseLocation {
  lat?: number;
  long?: number;
  address?: string;
  postcode?: string;
}

export type CaseSource = 'submission' | 'referral';

export interface CaseTable {
  id: Generated<string>;
  reference: string;
  organisation_id: string;
  service_id: string;
  submission_id: string | null;
  source: CaseSource;
  referred_from_case_id: ColumnType<string | null, string | null | undefined, never>;
  applicant_user_id: string | null;
  applicant_name: string | null;
  /** The exact workflow version (workflow_versions.id) the case follows. */
  workflow_id: string;
  state: string;
  state_entered_at: ColumnType<Date, Date | undefined, Date>;
  due_at: Date | null;
  paused_at: Date | null;
  escalated_at: Date | null;
  assigned_to: string | null;
  /** Optimistic locking: every change checks the version it read and bumps it. */
  version: ColumnType<number, number | undefined, number>;
  opened_at: ColumnType<Date, Date | undefined, never>;
  closed_at: Date | null;
  location: ColumnType<CaseLocation | null, string | null | undefined, string | null>;
  /** When retention anonymised it (migration 0036): the applicant's details are gone. */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/**
 * What happened to a case. `kind` says what: `opened`, `action` (with action, from_state,
 * to_state), `assigned`, `information-requested`, `information-received`, `escalated`,
 * `message`, `referred`, `referral-answered`, `linked`, `clock-paused`, `clock-resumed`.
 */
export interface CaseEventTable {
  id: Generated<number>;
  case_id: string;
  kind: string;
  action: string | null;
  from_state: string | null;
  to_state: string | null;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  comment: string | null;
  /** Attachment ids sent with the event. */
  documents: ColumnType<string[], string | undefined, never>;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  occurred_at: Generated<Date>;
}

export interface CaseNoteTable {
  id: Generated<string>;
  case_id: string;
  author_user_id: string | null;
  body: string;
  created_at: Generated<Date>;
}

export interface CaseLinkTable {
  case_id: string;
  linked_case_id: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface InformationRequestTable {
  id: Generated<string>;
  case_id: string;
  asked_by_user_id: string | null;
  question: string;
  pauses_clock: boolean;
  asked_at: Generated<Date>;
  answered_at: Date | null;
  answered_by_user_id: string | null;
  answer: string | null;
  attachment_ids: ColumnType<string[], string | undefined, string>;
  cancelled_at: Date | null;
}

/** The parts of a case a referral may show the other body. */
export const SHARED_PARTS = ['answers', 'attachments', 'history', 'notes'] as const;
export type SharedPart = (typeof SHARED_PARTS)[number];

/** How the applicant consented to a referral, and who recorded it when. */
export interface ReferralConsent {
  how: 'in-account' | 'phone' | 'face-to-face' | 'in-writing';
  recordedBy: string;
  recordedAt: string;
  note?: string;
}

export type ReferralStatus = 'offered' | 'accepted' | 'declined' | 'withdrawn';

export interface CaseReferralTable {
  id: Generated<string>;
  case_id: string;
  from_organisation_id: string;
  to_organisation_id: string;
  kind: 'refer' | 'share';
  shared_parts: ColumnType<SharedPart[], SharedPart[], never>;
  reason: string;
  consent: ColumnType<ReferralConsent, string, never>;
  status: ReferralStatus;
  referred_case_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  responded_by: string | null;
  responded_at: Date | null;
  response: string | null;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    workflow_versions: WorkflowVersionTable;
    service_workflows: ServiceWorkflowTable;
    cases: CaseTable;
    case_events: CaseEventTable;
    case_notes: CaseNoteTable;
    case_links: CaseLinkTable;
    information_requests: InformationRequestTable;
    case_referrals: CaseReferralTable;
  }
}

export type WorkflowVersionRow = Selectable<WorkflowVersionTable>;
export type CaseRow = Selectable<CaseTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type CaseNoteRow = Selectable<CaseNoteTable>;
export type InformationRequestRow = Selectable<InformationRequestTable>;
export type CaseReferralRow = Selectable<CaseReferralTable>;
