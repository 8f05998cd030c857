import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError, type Outcome } from '../../../platform/errors/errors.js';
import type {
  CurrentUser,
  RetentionAction,
  RetentionRecordType,
} from '../../../platform/http/types.js';
import { mayManageRetention } from '../policies/retention.js';

/** What an admin typed to change one record type's period and action. */
export interface PolicyInput {
  organisationId: string;
  recordType: string;
  /** Months, as typed. */
  periodMonths: string;
  action: string;
}

/** The record type named `key`, or 404 (an unknown type in the address). */
export function recordTypeOf(types: readonly RetentionRecordType[], key: string) {
  const type = types.find((candidate) => candidate.key === key);
  if (!type) throw notFound({ reason: 'no such retention record type', key });
  return type;
}

/**
 * Sets a body's period and action for one record type, within the type's legal minimum and
 * maximum and among the actions it allows; audited. Only the body's admins (or a platform admin).
 */
export async function setRetentionPolicy(
  trx: Db,
  user: CurrentUser | null,
  types: readonly RetentionRecordType[],
  input: PolicyInput,
  actor: Actor,
  now = new Date(),
): Promise<Outcome<{ periodMonths: number; action: RetentionAction }>> {
  if (!user || !mayManageRetention(user, input.organisationId))
    throw notFound({ reason: 'may not set this body’s retention', userId: user?.id });
  const type = recordTypeOf(types, input.recordType);
  const errors: FieldError[] = [];
  const text = input.periodMonths.trim();
  const months = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (text === '')
    errors.push({ field: 'periodMonths', message: 'retention.errors.periodRequired' });
  else if (!Number.isInteger(months))
    errors.push({ field: 'periodMonths', message: 'retention.errors.periodWhole' });
  else if (months < type.minMonths || months > type.maxMonths)
    errors.push({ field: 'periodMonths', message: 'retention.errors.periodRange' });
  const action = type.actions.find((allowed) => allowed === input.action);
  if (!action) errors.push({ field: 'action', message: 'retention.errors.actionRequired' });
  if (errors.length > 0 || !action) return { ok: false, errors };
  await trx
    .insertInto('retention_policies')
    .values({
      organisation_id: input.organisationId,
      record_type: type.key,
      period_months: months,
      action,
      updated_by: user.id,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'record_type']).doUpdateSet({
        period_months: months,
        action,
        updated_by: user.id,
        updated_at: now,
      }),
    )
    .execute();
  await recordAudit(trx, actor, {
    action: 'retention.policy.set',
    resourceType: 'retention-policy',
    resourceId: `${input.organisationId}:${type.key}`,
    subjectUserId: null,
    details: { recordType: type.key, periodMonths: months, retentionAction: action },
  });
  return { ok: true, periodMonths: months, action };
}
