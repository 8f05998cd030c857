import type { ColumnType, Generated, Selectable } from 'kysely';

/** The kinds of change of circumstances a person can tell once. */
export const EVENT_TYPES = [
  'change-of-address',
  'change-of-name',
  'change-of-contact-details',
  'death',
  'birth',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** UK GDPR Article 6(1) lawful bases, (a) to (f). Only `consent` needs the person's tick. */
export const LEGAL_BASES = [
  'consent',
  'contract',
  'legal-obligation',
  'vital-interests',
  'public-task',
  'legitimate-interests',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const DELIVERY_STATUSES = [
  'waiting',
  'sent',
  'acknowledged',
  'updated',
  'failed',
  'not-sent',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type ChangeStatus = 'held' | 'sending' | 'done' | 'rejected';

export interface SharingAgreementTable {
  id: Generated<string>;
  organisation_id: string;
  event_types: ColumnType<EventType[], string, string>;
  fields: ColumnType<string[], string, string>;
  legal_basis: LegalBasis;
  purpose: string;
  purpose_cy: string;
  starts_at: Date;
  ends_at: Date | null;
  ended_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface SharingRelationshipTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  body_reference: string;
  matched_by: 'enrolment' | 'submission' | 'demo';
  matched_reference: string;
  declared_by_key_id: string | null;
  created_at: Generated<Date>;
}

export interface SharingConsentTable {
  id: Generated<string>;
  user_id: string;
  agreement_id: string;
  given_at: Generated<Date>;
  withdrawn_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SharingChangeTable {
  id: Generated<string>;
  reference: string;
  user_id: string;
  event_type: EventType;
  details: ColumnType<Record<string, unknown>, string, string>;
  status: ChangeStatus;
  submitted_at: Generated<Date>;
  verified_by: ColumnType<string | null, string | null | undefined, string | null>;
  verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  verification_note: ColumnType<string | null, string | null | undefined, string | null>;
  completed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Set when retention has removed its details (every delivery of it anonymised). */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SharingDeliveryTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  change_id: string;
  organisation_id: string;
  agreement_id: string | null;
  consent_id: string | null;
  body_reference: string | null;
  status: DeliveryStatus;
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  via: ColumnType<
    'push' | 'pull' | null,
    'push' | 'pull' | null | undefined,
    'push' | 'pull' | null
  >;
  ready_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  sent_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  confirmed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Set when retention has removed the body's reference for the person. */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  answered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SharingDraftTable {
  user_id: string;
  event_type: EventType;
  details: ColumnType<Record<string, unknown>, string, string>;
  consents: ColumnType<string[], string | undefined, string>;
  bodies_chosen: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    sharing_agreements: SharingAgreementTable;
    sharing_relationships: SharingRelationshipTable;
    sharing_consents: SharingConsentTable;
    sharing_changes: SharingChangeTable;
    sharing_deliveries: SharingDeliveryTable;
    sharing_drafts: SharingDraftTable;
  }
}

export type AgreementRow = Selectable<SharingAgreementTable>;
export type RelationshipRow = Selectable<SharingRelationshipTable>;
export type ConsentRow = Selectable<SharingConsentTable>;
export type ChangeRow = Selectable<SharingChangeTable>;
export type DeliveryRow = Selectable<SharingDeliveryTable>;
export type DraftRow = Selectable<SharingDraftTable>;
