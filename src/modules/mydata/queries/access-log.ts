/**
 * The access log of "My data": every read of a person's records by staff of a public body (or a
 * body's own system through the API), from the audit log — never the person's own reads, an
 * agent's, or the platform's own work.
 */
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { listOrganisationsByIds } from '../../organisations/index.js';

/** How many of the latest reads the page shows (the exports have all of them). */
export const ACCESS_LOG_SHOWN = 200;

/**
 * Audit actions that are reads: a look (`…viewed…`, `…viewed_by_staff`), a download or a read
 * of a shared file. Modules name their read audits this way so they appear here unasked.
 */
export const READ_ACTION = '(viewed|downloaded|[.-]read)';

/** One staff read, as the person sees it. */
export interface AccessLogEntry {
  at: Date;
  /** The body whose staff (or system) read it, in the reader's language. */
  body: string;
  /** `caseworker`, `team-leader`, … or `system` for a body's system through the API. */
  role: string;
  /** The audit action, e.g. `casework.case.viewed`. */
  action: string;
  /** The record looked at: an application's reference, a file's name. */
  record: string | null;
  /** Why, when the reader had to say: a reason code and their words. */
  reason: { code: string; details: string } | null;
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : null);

/**
 * Reads of the person's data by others than themselves: audit entries about them whose actor
 * is staff of a body (an organisation) or a body's system, newest first.
 *
 * @example const log = await accessLog(db, user.id, 'cy');
 */
export async function accessLog(
  db: Db,
  userId: string,
  locale: Locale,
  limit = ACCESS_LOG_SHOWN,
): Promise<AccessLogEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select([
      'occurred_at',
      'action',
      'actor_organisation_id',
      'actor_user_id',
      'actor_role',
      'details',
    ])
    .where('subject_user_id', '=', userId)
    .where('actor_organisation_id', 'is not', null)
    .where((eb) => eb.or([eb('actor_user_id', 'is', null), eb('actor_user_id', '<>', userId)]))
    .where((eb) =>
      eb.or([eb('actor_role', 'is', null), eb('actor_role', 'not in', ['citizen', 'agent'])]),
    )
    .where(sql<boolean>`action ~ ${READ_ACTION}`)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const bodies = new Map(
    (
      await listOrganisationsByIds(
        db,
        rows.map((r) => r.actor_organisation_id!),
      )
    ).map((o) => [o.id, (locale === 'cy' && o.name_cy) || o.name]),
  );
  return rows.map((row) => {
    const details = row.details;
    const code = text(details.accessReason);
    return {
      at: row.occurred_at,
      body: bodies.get(row.actor_organisation_id!) ?? '',
      role: row.actor_user_id === null ? 'system' : (row.actor_role ?? 'staff'),
      action: row.action,
      record: text(details.reference) ?? text(details.filename) ?? text(details.subject),
      reason: code ? { code, details: text(details.accessReasonDetails) ?? '' } : null,
    };
  });
}
