import type { ColumnType, Generated, Selectable } from 'kysely';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * The kinds of a body's items a contact-centre sharing agreement may open to the contact
 * centre's advisers. Contact details are the person's Joinedup account: any confirmed view shows them.
 */
export const ITEM_KINDS = [
  'applications',
  'enrolments',
  'payments',
  'bookings',
  'messages',
  'changes',
  'contacts',
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** How the customer is in touch: an assisted application records the first two as its channel. */
export const CONTACT_CHANNELS = ['phone', 'face-to-face', 'email', 'letter', 'web-chat'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const ASSISTED_CHANNELS = ['phone', 'face-to-face'] as const;
export type AssistedChannel = (typeof ASSISTED_CHANNELS)[number];

/** Why the customer got in touch, from a fixed list so contacts can be counted. */
export const CONTACT_REASONS = [
  'progress-of-application',
  'help-to-apply',
  'payment',
  'booking',
  'change-of-circumstances',
  'complaint',
  'general-enquiry',
] as const;
export const CONTACT_OUTCOMES = [
  'resolved',
  'applied-for-customer',
  'referred-to-body',
  'call-back-booked',
  'not-resolved',
] as const;

/** Why an adviser opens a customer's record; shown to the person in their access log. */
export const OPEN_REASONS = [
  'customer-called',
  'customer-at-counter',
  'call-back',
  'other',
] as const;
export type OpenReason = (typeof OPEN_REASONS)[number];

/** A contact-centre sharing agreement (0041). */
export interface CrmSharingAgreementTable {
  id: Generated<string>;
  contact_centre_id: string;
  owning_body_id: string;
  item_kinds: ColumnType<ItemKind[], ItemKind[], ItemKind[]>;
  created_by: Nullable<string>;
  created_at: Generated<Date>;
  ended_by: Nullable<string>;
  ended_at: Nullable<Date>;
}

/** The identity questions asked of a caller and their results (0041); never the answers. */
export interface CrmIdentityCheckTable {
  id: Generated<string>;
  adviser_user_id: string;
  contact_centre_id: string;
  customer_user_id: string;
  results: ColumnType<Record<string, 'passed' | 'failed'>, string, never>;
  passed: boolean;
  reason: string;
  reason_details: ColumnType<string, string | undefined, never>;
  checked_at: Generated<Date>;
}

/** An adviser's session assisting a customer who consented (0041). */
export interface CrmAssistingSessionTable {
  session_id_hash: string;
  adviser_user_id: string;
  contact_centre_id: string;
  customer_user_id: string;
  channel: AssistedChannel;
  consent_given_at: Date;
  started_at: Generated<Date>;
}

/** An enquiry handled by a contact centre (0041). */
export interface CrmContactTable {
  id: Generated<string>;
  contact_centre_id: string;
  adviser_user_id: Nullable<string>;
  customer_user_id: Nullable<string>;
  channel: ContactChannel;
  reason: string;
  outcome: string;
  minutes: number;
  application_reference: Nullable<string>;
  notes: ColumnType<string, string | undefined, never>;
  created_at: Generated<Date>;
}

/** A call-back promised in a contact, in the contact centre's queue (0041). */
export interface CrmCallbackTable {
  id: Generated<string>;
  contact_id: string;
  contact_centre_id: string;
  customer_user_id: Nullable<string>;
  due_at: Date;
  phone: string;
  status: ColumnType<'open' | 'done', 'open' | undefined, 'open' | 'done'>;
  done_by: Nullable<string>;
  done_at: Nullable<Date>;
  created_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    crm_sharing_agreements: CrmSharingAgreementTable;
    crm_identity_checks: CrmIdentityCheckTable;
    crm_assisting_sessions: CrmAssistingSessionTable;
    crm_contacts: CrmContactTable;
    crm_callbacks: CrmCallbackTable;
  }
}

export type SharingAgreementRow = Selectable<CrmSharingAgreementTable>;
export type IdentityCheckRow = Selectable<CrmIdentityCheckTable>;
export type ContactRow = Selectable<CrmContactTable>;
export type CallbackRow = Selectable<CrmCallbackTable>;
