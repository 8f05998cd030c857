import type { ColumnType, Generated, Selectable } from 'kysely';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** Why a body's staff turn a petition down; shown to its creator. */
export const REJECTION_REASONS = [
  'duplicate',
  'outside-powers',
  'offensive',
  'personal-data',
  'unclear',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** The stored state; `closed` is derived from `closes_at` on read (see petitions/status.ts). */
export type PetitionState = 'pending' | 'open' | 'rejected';

/** A body's rules for new petitions (migration 0037). */
export interface PetitionSettingsTable {
  organisation_id: string;
  duration_months: Generated<number>;
  response_threshold: Generated<number>;
  debate_threshold: Generated<number>;
  updated_by: Nullable<string>;
  updated_at: Generated<Date>;
}

/** A petition to one body (migration 0037). */
export interface PetitionTable {
  id: Generated<string>;
  organisation_id: string;
  created_by: Nullable<string>;
  creator_name: string;
  title: string;
  action: string;
  background: string;
  language: 'en' | 'cy';
  state: Generated<PetitionState>;
  held_reasons: ColumnType<string[], string[] | undefined, string[]>;
  rejection_reason: Nullable<RejectionReason>;
  rejection_detail: Nullable<string>;
  moderated_by: Nullable<string>;
  moderated_at: Nullable<Date>;
  published_at: Nullable<Date>;
  closes_at: Nullable<Date>;
  response_threshold: Nullable<number>;
  debate_threshold: Nullable<number>;
  signature_count: Generated<number>;
  response_threshold_reached_at: Nullable<Date>;
  debate_threshold_reached_at: Nullable<Date>;
  response: Nullable<string>;
  responded_at: Nullable<Date>;
  responded_by: Nullable<string>;
  debate_on: Nullable<string>;
  debate_outcome: Nullable<string>;
  created_at: Generated<Date>;
}

/** A signature: counted once confirmed by the e-mailed link and not struck out by staff. */
export interface PetitionSignatureTable {
  id: Generated<string>;
  petition_id: string;
  name: string;
  email: string;
  postcode: string;
  district: string;
  ip_address: string;
  user_id: Nullable<string>;
  notify: Generated<boolean>;
  language: 'en' | 'cy';
  token_hash: string;
  created_at: Generated<Date>;
  confirmed_at: Nullable<Date>;
  struck_at: Nullable<Date>;
  anonymised_at: Nullable<Date>;
}

/** Bulk signing from one address, refused and waiting for the body's staff to review it. */
export interface PetitionFlagTable {
  id: Generated<string>;
  petition_id: string;
  ip_address: string;
  refused: Generated<number>;
  first_at: Generated<Date>;
  last_at: Generated<Date>;
  reviewed_at: Nullable<Date>;
  reviewed_by: Nullable<string>;
  outcome: Nullable<'dismissed' | 'struck'>;
}

/** What a subscription is to (migration 0050). */
export type SubscriptionKind = 'petitions' | 'consultations';

/**
 * A subscription to new petitions by body and area (migration 0039), or to new consultations by
 * topic and area (migration 0050), live once confirmed.
 */
export interface EngagementSubscriptionTable {
  id: Generated<string>;
  email: string;
  kind: ColumnType<SubscriptionKind, SubscriptionKind | undefined, SubscriptionKind>;
  /** Consultations only: one of CONSULTATION_TOPICS; null: any topic. */
  topic: Nullable<string>;
  /** Petitions only: null: petitions to any body. */
  organisation_id: Nullable<string>;
  /** A postcode district ('GL5'); null: nationally (every petition in the country). */
  district: Nullable<string>;
  language: 'en' | 'cy';
  token_hash: string;
  unsubscribe_token: string;
  choice: string;
  created_at: Generated<Date>;
  confirmed_at: Nullable<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    engagement_subscriptions: EngagementSubscriptionTable;
    petition_settings: PetitionSettingsTable;
    petitions: PetitionTable;
    petition_signatures: PetitionSignatureTable;
    petition_flags: PetitionFlagTable;
  }
}

export type PetitionRow = Selectable<PetitionTable>;
export type PetitionSignatureRow = Selectable<PetitionSignatureTable>;
export type PetitionFlagRow = Selectable<PetitionFlagTable>;
export type EngagementSubscriptionRow = Selectable<EngagementSubscriptionTable>;
