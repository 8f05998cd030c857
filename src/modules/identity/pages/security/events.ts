import { sql } from 'kysely';
import type { Db } from '../../../../platform/db/database.js';
import type { Translate } from '../../../../platform/i18n/i18n.js';

/** How many of a person's latest security events their Security page shows. */
export const EVENTS_SHOWN = 50;

/** A security event as the Security page shows it. */
export interface SecurityEvent {
  occurredAt: Date;
  description: string;
}

/**
 * A person's security events from the audit log, newest first: every entry about them whose
 * action starts `account.`, so other parts of the Gateway appear here by using that prefix and
 * adding an `identity.security.event.<action>` message.
 */
export async function securityEvents(
  db: Db,
  userId: string,
  t: Translate,
): Promise<SecurityEvent[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['occurred_at', 'action', 'details'])
    .where('subject_user_id', '=', userId)
    .where('action', 'like', sql<string>`'account.%'`)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(EVENTS_SHOWN)
    .execute();
  return rows.map((row) => ({ occurredAt: row.occurred_at, description: describe(row, t) }));
}

function describe(row: { action: string; details: Record<string, unknown> }, t: Translate): string {
  const values = {
    browser:
      typeof row.details.userAgent === 'string' && row.details.userAgent
        ? row.details.userAgent
        : t('identity.security.sessions.unknownBrowser'),
  };
  const base = `identity.security.event.${row.action}`;
  const reason = typeof row.details.reason === 'string' ? `${base}.${row.details.reason}` : null;
  for (const key of [reason, base]) {
    if (key && t(key) !== key) return t(key, values);
  }
  return t('identity.security.event.other');
}
