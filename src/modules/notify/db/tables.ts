import type { ColumnType, Generated, Selectable } from 'kysely';

/** Notify's key types; `normal` is what Notify's documentation calls a live key. */
export const KEY_TYPES = ['normal', 'team', 'test'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export const NOTIFICATION_TYPES = ['email', 'sms', 'letter'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const POSTAGE = ['first', 'second', 'economy', 'europe', 'rest-of-world'] as const;
export type Postage = (typeof POSTAGE)[number];

/** Notify's notification statuses (letters use accepted and received; precompiled letters start at pending-virus-check). */
export const NOTIFICATION_STATUSES = [
  'cancelled',
  'created',
  'sending',
  'sent',
  'delivered',
  'pending',
  'failed',
  'technical-failure',
  'temporary-failure',
  'permanent-failure',
  'pending-virus-check',
  'validation-failed',
  'virus-scan-failed',
  'returned-letter',
  'accepted',
  'received',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** One organisation's Notify "service": what an API key's `iss` names. */
export interface NotifyServiceTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  rate_limit: ColumnType<number, number | undefined, number>;
  message_limit: ColumnType<number, number | undefined, number>;
  callback_url: ColumnType<string | null, string | null | undefined, string | null>;
  callback_token_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface NotifyApiKeyTable {
  id: Generated<string>;
  service_id: string;
  name: string;
  key_type: KeyType;
  secret_sealed: string;
  created_by: string | null;
  created_at: Generated<Date>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface NotifyTemplateTable {
  id: Generated<string>;
  service_id: string;
  type: NotificationType;
  name: string;
  subject: string | null;
  body: string;
  postage: Postage | null;
  /** The Welsh version (0017): with a Welsh body, both languages are sent, Welsh first. */
  welsh_subject: ColumnType<string | null, string | null | undefined, string | null>;
  welsh_body: ColumnType<string | null, string | null | undefined, string | null>;
  version: ColumnType<number, number | undefined, number>;
  hidden: ColumnType<boolean, boolean | undefined, boolean>;
  archived: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface NotifyTemplateVersionTable {
  template_id: string;
  version: number;
  name: string;
  subject: string | null;
  body: string;
  postage: Postage | null;
  /** The Welsh version (0017): with a Welsh body, both languages are sent, Welsh first. */
  welsh_subject: ColumnType<string | null, string | null | undefined, string | null>;
  welsh_body: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface NotifyNotificationTable {
  id: string;
  service_id: string;
  api_key_id: string | null;
  key_type: KeyType;
  type: NotificationType;
  template_id: string;
  template_version: number;
  recipient: string;
  address_lines: ColumnType<string[] | null, string | null, string | null>;
  reference: string | null;
  subject: string | null;
  body: string;
  postage: Postage | null;
  precompiled_pdf: Uint8Array | null;
  status: NotificationStatus;
  failure_reason: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  sent_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  completed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    notify_services: NotifyServiceTable;
    notify_api_keys: NotifyApiKeyTable;
    notify_templates: NotifyTemplateTable;
    notify_template_versions: NotifyTemplateVersionTable;
    notify_notifications: NotifyNotificationTable;
  }
}

export type NotifyServiceRow = Selectable<NotifyServiceTable>;
export type NotifyApiKeyRow = Selectable<NotifyApiKeyTable>;
export type NotifyTemplateRow = Selectable<NotifyTemplateTable>;
export type NotifyNotificationRow = Selectable<NotifyNotificationTable>;
