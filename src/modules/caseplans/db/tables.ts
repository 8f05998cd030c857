import type { ColumnType, Generated, Selectable } from 'kysely';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** The parts of a case plan the lead shares with each body (and may withhold from the person). */
export const SECTIONS = ['assessment', 'plan', 'conferences', 'chronology', 'links'] as const;
export type Section = (typeof SECTIONS)[number];

/** How a body taking part answered its invitation. */
export type BodyState = 'invited' | 'accepted' | 'declined';
/** The lawful basis for sharing with a body: the person's consent, or a safeguarding duty. */
export type Basis = 'consent' | 'safeguarding';

/** Why a plan was closed (the lead's reason in its own words goes with it). */
export const CLOSING_OUTCOMES = ['needs-met', 'moved', 'disengaged', 'other'] as const;
export type ClosingOutcome = (typeof CLOSING_OUTCOMES)[number];

export const ACTION_STATUSES = ['not-started', 'in-progress', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Scores of a needs assessment: 0 no need … 4 severe need. */
export const MAX_SCORE = 4;

/** What a linked record is: an application (submissions), a casework case, a tell-us-once change. */
export const LINK_KINDS = ['submission', 'case', 'change'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface CasePlanTemplatesTable {
  kind: string;
  name: string;
  name_cy: string;
  domains: string[];
}

export interface CasePlansTable {
  id: Generated<string>;
  reference: string;
  kind: string;
  subject: Generated<'person' | 'household'>;
  lead_organisation_id: string;
  lead_professional_id: string;
  person_account_id: Nullable<string>;
  person_name: string;
  person_date_of_birth: Nullable<string>;
  person_address: Nullable<string>;
  person_contact: Nullable<string>;
  sensitive: Generated<boolean>;
  summary: Generated<string>;
  state: Generated<'open' | 'closed'>;
  opened_at: Generated<Date>;
  closed_at: Nullable<Date>;
  closed_outcome: Nullable<ClosingOutcome>;
  closed_reason: Nullable<string>;
  closed_by: Nullable<string>;
}

export interface CasePlanBodiesTable {
  case_plan_id: string;
  organisation_id: string;
  state: Generated<BodyState>;
  basis: Basis;
  basis_detail: string;
  basis_shown_to_person: Generated<boolean>;
  consent_given_at: Nullable<Date>;
  consent_withdrawn_at: Nullable<Date>;
  named: Generated<boolean>;
  shared_sections: Generated<Section[]>;
  invited_at: Generated<Date>;
  invited_by: Nullable<string>;
  responded_at: Nullable<Date>;
  responded_by: Nullable<string>;
}

export interface CasePlanWithheldTable {
  case_plan_id: string;
  section: Section;
  reason: string;
  recorded_by: Nullable<string>;
  recorded_at: Generated<Date>;
}

export interface CasePlanBreakGlassTable {
  id: Generated<string>;
  case_plan_id: string;
  organisation_id: string;
  user_id: string;
  section: Section;
  reason: string;
  granted_at: Generated<Date>;
  expires_at: Date;
}

export interface CasePlanAssessmentsTable {
  id: Generated<string>;
  case_plan_id: string;
  organisation_id: string;
  assessed_on: string;
  assessed_by: Nullable<string>;
  scores: ColumnType<Record<string, number>, string, string>;
  notes: Generated<string>;
  recorded_at: Generated<Date>;
}

export interface CasePlanActionsTable {
  id: Generated<string>;
  case_plan_id: string;
  organisation_id: string;
  description: string;
  responsible: string;
  due_on: string;
  status: Generated<ActionStatus>;
  outcome: Generated<string>;
  completed_on: Nullable<string>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CasePlanConferencesTable {
  id: Generated<string>;
  case_plan_id: string;
  held_on: string;
  attendees: string;
  minutes: string;
  decisions: Generated<string>;
  recorded_by: Nullable<string>;
  recorded_at: Generated<Date>;
}

export interface CasePlanLinksTable {
  id: Generated<string>;
  case_plan_id: string;
  organisation_id: string;
  kind: LinkKind;
  reference: string;
  linked_by: Nullable<string>;
  linked_at: Generated<Date>;
}

export interface CasePlanEventsTable {
  id: Generated<string>;
  case_plan_id: string;
  organisation_id: string;
  section: Section;
  kind: string;
  summary: string;
  actor_user_id: Nullable<string>;
  occurred_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    case_plan_templates: CasePlanTemplatesTable;
    case_plans: CasePlansTable;
    case_plan_bodies: CasePlanBodiesTable;
    case_plan_withheld: CasePlanWithheldTable;
    case_plan_break_glass: CasePlanBreakGlassTable;
    case_plan_assessments: CasePlanAssessmentsTable;
    case_plan_actions: CasePlanActionsTable;
    case_plan_conferences: CasePlanConferencesTable;
    case_plan_links: CasePlanLinksTable;
    case_plan_events: CasePlanEventsTable;
  }
}

export type CasePlanRow = Selectable<CasePlansTable>;
export type CasePlanBodyRow = Selectable<CasePlanBodiesTable>;
export type CasePlanActionRow = Selectable<CasePlanActionsTable>;
export type CasePlanAssessmentRow = Selectable<CasePlanAssessmentsTable>;
export type CasePlanConferenceRow = Selectable<CasePlanConferencesTable>;
export type CasePlanEventRow = Selectable<CasePlanEventsTable>;
export type CasePlanLinkRow = Selectable<CasePlanLinksTable>;
export type CasePlanTemplateRow = Selectable<CasePlanTemplatesTable>;
