/**
 * A service's choice to let its rules decide, and the share of those decisions a caseworker
 * checks. Set by whoever may write the service's rules; every change is audited.
 */
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { OwnedServiceSummary } from '../../catalogue/index.js';
import { canSetAutomation } from '../policies/automatic.js';

/** Whether the rules decide, and the sample (0–100 %) checked by a person. */
export interface Automation {
  decide: boolean;
  samplePercent: number;
  updatedAt: Date | null;
}

/** The service's setting; off (a person decides everything) when never set. */
export async function automationOf(db: Db, serviceId: string): Promise<Automation> {
  const row = await db
    .selectFrom('rule_automation')
    .selectAll()
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
  return row
    ? { decide: row.decide, samplePercent: row.sample_percent, updatedAt: row.updated_at }
    : { decide: false, samplePercent: 0, updatedAt: null };
}

/** A sample percentage as typed: a whole number from 0 to 100. */
export function parseSamplePercent(text: string): number | undefined {
  const trimmed = text.trim().replace(/%$/, '').trim();
  if (!/^\d{1,3}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= 100 ? value : undefined;
}

/**
 * Changes a service's setting, after the policy (a 404-worthy `forbidden` for someone who may
 * not write its rules); audited as `rules.automation.changed` with the old and new values.
 *
 * @example await setAutomation(trx, user, service, { decide: true, samplePercent: '10' }, actor)
 */
export async function setAutomation(
  trx: Db,
  user: CurrentUser,
  service: Pick<OwnedServiceSummary, 'id' | 'organisationId' | 'ownerUserId'>,
  input: { decide: boolean; samplePercent: string },
  actor: Actor,
): Promise<{ ok: true; automation: Automation } | { ok: false; errors: FieldError[] }> {
  if (!canSetAutomation(user, service))
    return { ok: false, errors: [{ field: 'service', message: 'forbidden' }] };
  const samplePercent = parseSamplePercent(input.samplePercent);
  if (samplePercent === undefined)
    return {
      ok: false,
      errors: [{ field: 'samplePercent', message: 'rules.automatic.settings.error.sample' }],
    };
  const before = await automationOf(trx, service.id);
  await trx
    .insertInto('rule_automation')
    .values({
      service_id: service.id,
      decide: input.decide,
      sample_percent: samplePercent,
      updated_by: user.id,
    })
    .onConflict((oc) =>
      oc.column('service_id').doUpdateSet({
        decide: input.decide,
        sample_percent: samplePercent,
        updated_by: user.id,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
  await recordAudit(trx, actor, {
    action: 'rules.automation.changed',
    resourceType: 'service',
    resourceId: service.id,
    subjectUserId: null,
    details: {
      before: { decide: before.decide, samplePercent: before.samplePercent },
      after: { decide: input.decide, samplePercent },
    },
  });
  return { ok: true, automation: await automationOf(trx, service.id) };
}
