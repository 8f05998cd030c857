import type { ColumnType, Generated, Selectable } from 'kysely';
import type { BusinessScheme } from '../validation/identifiers.js';

export const RECORD_STATUSES = ['linked', 'queued', 'unmatched', 'rejected', 'ended'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** How a record came to be linked to an account: never by guessing. */
export const LINK_METHODS = ['known-facts', 'person-confirmed', 'staff-check'] as const;
export type LinkMethod = (typeof LINK_METHODS)[number];

/** Why a record waits in the resolution queue. */
export const QUEUE_REASONS = [
  'partial-match',
  'several-matches',
  'reference-conflict',
  'claimed-elsewhere',
  'nino-unconfirmed',
  'nino-differs',
] as const;
export type QueueReason = (typeof QUEUE_REASONS)[number];

/** The basic identity set a body tells about a person, each fact in its normal form. */
export interface PersonFacts {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  /** Standard form, "GL5 4UB" (from the UPRN's address when only that was given). */
  postcode: string;
  uprn?: string;
  /** Compact, "JG103759A". */
  nino: string;
}

/** A business's numbers as a body tells them, in their normal forms. */
export type BusinessFacts = { name?: string } & Partial<Record<BusinessScheme, string>>;

export interface ReferenceRecordTable {
  id: Generated<string>;
  organisation_id: string;
  subject: 'person' | 'business';
  reference: string;
  status: RecordStatus;
  user_id: string | null;
  business_id: string | null;
  link_method: LinkMethod | null;
  facts: ColumnType<PersonFacts | BusinessFacts, string, string>;
  queue_reason: QueueReason | null;
  candidate_user_id: string | null;
  candidate_business_id: string | null;
  resolution_reason: string | null;
  resolved_by: string | null;
  registered_by_user: string | null;
  registered_by_key: string | null;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  linked_at: Date | null;
}
export type ReferenceRecordRow = Selectable<ReferenceRecordTable>;

export interface ReferenceIdentitySetTable {
  user_id: string;
  nino: string | null;
  nino_confirmed_by: 'register' | 'person' | 'staff' | null;
  uprn: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ReferencePseudonymTable {
  organisation_id: string;
  user_id: string;
  pseudonym: string;
  created_at: Generated<Date>;
}

export interface ReferenceBusinessNumberTable {
  business_id: string;
  scheme: BusinessScheme;
  value: string;
  added_by: string | null;
  added_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    reference_records: ReferenceRecordTable;
    reference_identity_sets: ReferenceIdentitySetTable;
    reference_pseudonyms: ReferencePseudonymTable;
    reference_business_numbers: ReferenceBusinessNumberTable;
  }
}
