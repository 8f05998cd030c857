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
  gateway: string;
  gateway_transaction_id: string | null;
  card_last_four: string | null;
  card_brand: string | null;
  cardholder_name: string | null;
  card_expiry: string | null;
  next_url_used_at: Date | null;
  idempotency_key: string | null;
  idempotency_digest: string | null;
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
  created_at: Generated<Date>;
}

export interface PayWebhookTable {
  id: Generated<string>;
  organisation_id: string;
  callback_url: string;
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

export type PayWebhookRow = Selectable<PayWebhookTable>;
export type PayApiKeyRow = Selectable<PayApiKeyTable>;
export type PaymentRow = Selectable<PaymentTable>;
export type PaymentEventRow = Selectable<PaymentEventTable>;
export type PaymentRefundRow = Selectable<PaymentRefundTable>;

declare module '../../../platform/db/database.js' {
  interface Database {
    pay_api_keys: PayApiKeyTable;
    payments: PaymentTable;
    payment_events: PaymentEventTable;
    payment_refunds: PaymentRefundTable;
    pay_webhooks: PayWebhookTable;
  }
}
