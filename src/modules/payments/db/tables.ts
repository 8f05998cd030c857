import type { ColumnType, Generated, Selectable } from 'kysely';
import type { PaymentStatus } from '../state.js';

export interface PayApiKeyTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  secret_sha256: string;
  hint: string;
  created_by: string | null;
  created_at: Generated<Date>;
  revoked_at: Date | null;
}

export interface PaymentTable {
  id: Generated<string>;
  external_id: string;
  organisation_id: string;
  api_key_id: string | null;
  amount: number;
  description: string;
  reference: string;
  return_url: string;
  language: 'en' | 'cy';
  email: string | null;
  metadata: ColumnType<
    Record<string, string | number | boolean> | null,
    string | null,
    string | null
  >;
  status: PaymentStatus;
  state_code: string | null;
  /** The gateway that took the card; null for a module's payment until a card is submitted. */
  gateway: string | null;
  gateway_transaction_id: string | null;
  /** Set when the gateway's answer to an authorisation never came (see commands/unknown.ts). */
  gateway_unknown_since: Date | null;
  card_last_four: string | null;
  card_brand: string | null;
  cardholder_name: string | null;
  card_expiry: string | null;
  next_url_used_at: Date | null;
  idempotency_key: string | null;
  idempotency_digest: string | null;
  /** What a module's payment is for (`bookings`, the booking's id); null for the Pay API's. */
  purpose_kind: string | null;
  purpose_id: string | null;
  /** SHA-256 of a module's payment's random next_url token (the API's is an HMAC instead). */
  next_url_sha256: string | null;
  /** Taken over the phone (MOTO): the card is typed by staff, not the paying person, with no 3-D Secure. */
  moto: Generated<boolean>;
  /** The one member of staff whose session may use a MOTO payment's card page (0047). */
  moto_user_id: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PaymentEventTable {
  id: Generated<string>;
  payment_id: string;
  status: PaymentStatus;
  state_code: string | null;
  created_at: Generated<Date>;
}

export const REFUND_STATUSES = ['submitted', 'success', 'error'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface PaymentRefundTable {
  id: Generated<string>;
  external_id: string;
  payment_id: string;
  amount: number;
  status: RefundStatus;
  gateway_refund_id: string | null;
  settled_at: Date | null;
  created_at: Generated<Date>;
}

export const LEDGER_ACCOUNTS = ['card_clearing', 'income'] as const;
export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number];

export interface LedgerEntryTable {
  id: Generated<string>;
  posting: string;
  organisation_id: string;
  payment_id: string;
  refund_id: string | null;
  account: LedgerAccount;
  debit: number;
  credit: number;
  created_at: Generated<Date>;
}

export interface PayWebhookTable {
  id: Generated<string>;
  organisation_id: string;
  callback_url: string;
  created_at: Generated<Date>;
  disabled_at: Date | null;
  /** The signing secret, sealed (0064); null only before the app first started on 0064. */
  signing_secret_sealed: string | null;
}

/** A body's payment settings (0047): whether it takes card payments over the phone (MOTO). */
export interface PaymentSettingsTable {
  organisation_id: string;
  moto_allowed: boolean;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export type PayWebhookRow = Selectable<PayWebhookTable>;
export type PayApiKeyRow = Selectable<PayApiKeyTable>;
export type PaymentRow = Selectable<PaymentTable>;
export type PaymentEventRow = Selectable<PaymentEventTable>;
export type PaymentRefundRow = Selectable<PaymentRefundTable>;
export type LedgerEntryRow = Selectable<LedgerEntryTable>;

declare module '../../../platform/db/database.js' {
  interface Database {
    pay_api_keys: PayApiKeyTable;
    payments: PaymentTable;
    payment_events: PaymentEventTable;
    payment_refunds: PaymentRefundTable;
    pay_webhooks: PayWebhookTable;
    ledger_entries: LedgerEntryTable;
    payment_settings: PaymentSettingsTable;
  }
}
