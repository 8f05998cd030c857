import type { Db } from '../../../platform/db/database.js';
import type { RetentionAction, RetentionRecordType } from '../../../platform/http/types.js';

/** The period and action a body applies to one record type, and whether it is the default. */
export interface EffectivePolicy {
  recordType: RetentionRecordType;
  periodMonths: number;
  action: RetentionAction;
  isDefault: boolean;
  updatedAt: Date | null;
}

/**
 * The instant `months` calendar months before `instant` (UTC), the day clamped to the month's
 * last: six months before 31 August is 28 (or 29) February.
 *
 * @example monthsBefore(new Date('2026-08-31T02:00:00Z'), 6) // 2026-02-28T02:00:00Z
 */
export function monthsBefore(instant: Date, months: number): Date {
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(instant.getTime());
  result.setUTCFullYear(year, month, Math.min(instant.getUTCDate(), lastDay));
  return result;
}

/** Every record type with the body's own period and action where it set one, else the default. */
export async function effectivePolicies(
  db: Db,
  organisationId: string,
  types: readonly RetentionRecordType[],
): Promise<EffectivePolicy[]> {
  const rows = await db
    .selectFrom('retention_policies')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .execute();
  return types.map((recordType) => {
    const row = rows.find((r) => r.record_type === recordType.key);
    // A stored choice the record type no longer allows falls back to its default.
    const usable = row && recordType.actions.includes(row.action);
    // A stored period outside bounds the law (and so the record type) has since changed is held to them.
    const period = usable
      ? Math.min(recordType.maxMonths, Math.max(recordType.minMonths, row.period_months))
      : recordType.defaultMonths;
    return {
      recordType,
      periodMonths: period,
      action: usable ? row.action : recordType.defaultAction,
      isDefault: !usable,
      updatedAt: usable ? row.updated_at : null,
    };
  });
}
