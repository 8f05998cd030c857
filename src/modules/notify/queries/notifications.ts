import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type {
  KeyType,
  NotificationStatus,
  NotificationType,
  NotifyNotificationRow,
} from '../db/tables.js';
import { smsFragments } from '../templates/render.js';
import { notifyDate } from './templates.js';

/** Notify's page size for `GET /v2/notifications`. */
export const PAGE_SIZE = 250;

/** The statuses `status=failed` stands for. */
export const FAILED_STATUSES: NotificationStatus[] = [
  'technical-failure',
  'temporary-failure',
  'permanent-failure',
  'validation-failed',
  'virus-scan-failed',
];

type Row = Omit<NotifyNotificationRow, 'precompiled_pdf'> & { template_name: string | null };

const COLUMNS = [
  'n.id',
  'n.service_id',
  'n.api_key_id',
  'n.key_type',
  'n.type',
  'n.template_id',
  'n.template_version',
  'n.recipient',
  'n.address_lines',
  'n.reference',
  'n.subject',
  'n.body',
  'n.postage',
  'n.status',
  'n.failure_reason',
  'n.created_at',
  'n.sent_at',
  'n.completed_at',
  'n.updated_at',
  'v.name as template_name',
] as const;

function base(db: Db) {
  return db
    .selectFrom('notify_notifications as n')
    .leftJoin('notify_template_versions as v', (join) =>
      join
        .onRef('v.template_id', '=', 'n.template_id')
        .onRef('v.version', '=', 'n.template_version'),
    )
    .select(COLUMNS);
}

/** One of the service's notifications, whichever key sent it (as Notify's `GET /v2/notifications/{id}`). */
export async function findNotification(
  db: Db,
  serviceId: string,
  id: string,
): Promise<Row | undefined> {
  return base(db).where('n.id', '=', id).where('n.service_id', '=', serviceId).executeTakeFirst();
}

export interface NotificationFilter {
  templateTypes?: NotificationType[];
  statuses?: NotificationStatus[];
  reference?: string;
  olderThan?: string;
}

/**
 * A page of the service's notifications sent with keys of the caller's type, newest first;
 * `olderThan` (a notification id) continues after that notification.
 */
export async function listNotifications(
  db: Db,
  serviceId: string,
  keyType: KeyType,
  filter: NotificationFilter,
): Promise<Row[]> {
  let query = base(db).where('n.service_id', '=', serviceId).where('n.key_type', '=', keyType);
  if (filter.templateTypes?.length) query = query.where('n.type', 'in', filter.templateTypes);
  if (filter.statuses?.length) {
    const statuses = filter.statuses.flatMap((s) => (s === 'failed' ? FAILED_STATUSES : [s]));
    query = query.where('n.status', 'in', statuses);
  }
  if (filter.reference !== undefined) query = query.where('n.reference', '=', filter.reference);
  if (filter.olderThan) {
    // Compared in SQL: PostgreSQL keeps microseconds, a JavaScript Date only milliseconds. An
    // unknown id compares as null, so the page is empty, as Notify's is.
    query = query.where(
      sql<boolean>`(n.created_at, n.id) < (select o.created_at, o.id from notify_notifications o where o.id = ${filter.olderThan} and o.service_id = ${serviceId})`,
    );
  }
  return query.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(PAGE_SIZE).execute();
}

/** A notification as Notify's API shows it. */
export function serializeNotification(row: Row, baseUrl: string): Record<string, unknown> {
  const lines = row.address_lines ?? [];
  const letterLines = Object.fromEntries(
    [1, 2, 3, 4, 5, 6, 7].map((n) => [
      `line_${n}`,
      row.type === 'letter' ? (lines[n - 1] ?? null) : null,
    ]),
  );
  return {
    id: row.id,
    reference: row.reference,
    email_address: row.type === 'email' ? row.recipient : null,
    phone_number: row.type === 'sms' ? row.recipient : null,
    ...letterLines,
    postcode: null,
    postage: row.postage,
    type: row.type,
    status: row.status,
    template: {
      id: row.template_id,
      version: row.template_version,
      uri: `${baseUrl}/v2/template/${row.template_id}/version/${row.template_version}`,
      name: row.template_name,
    },
    body: row.body,
    subject: row.type === 'sms' ? null : row.subject,
    created_at: notifyDate(row.created_at),
    created_by_name: null,
    sent_at: notifyDate(row.sent_at),
    completed_at: notifyDate(row.completed_at),
    scheduled_for: null,
    one_click_unsubscribe: null,
    is_cost_data_ready: true,
    cost_in_pounds: 0,
    cost_details:
      row.type === 'sms'
        ? {
            billable_sms_fragments: smsFragments(row.body).fragments,
            international_rate_multiplier: 1,
            sms_rate: 0,
          }
        : row.type === 'letter'
          ? { billable_sheets_of_paper: 1, postage: row.postage }
          : {},
  };
}
