import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import { parsePounds } from '../../forms/index.js';
import { TRANSACTION_CHANNELS, type TransactionChannel } from '../db/tables.js';

/** The most a body may say one transaction costs: £1,000. */
export const MAX_UNIT_PENCE = 100_000;

/**
 * Sets a body's unit cost of each channel from the form (pounds, like "2.40"; blank to leave a
 * channel uncosted), all or nothing, with an audit entry. The caller checked the policy.
 */
export async function setUnitCosts(
  trx: Db,
  actor: Actor & { userId: string },
  organisationId: string,
  body: unknown,
): Promise<Outcome<{ costs: Partial<Record<TransactionChannel, number>> }>> {
  const costs: Partial<Record<TransactionChannel, number>> = {};
  const errors: FieldError[] = [];
  for (const channel of TRANSACTION_CHANNELS) {
    const text = formText(body, channel);
    if (!text) continue;
    const pence = parsePounds(text);
    if (pence === undefined || pence > MAX_UNIT_PENCE)
      errors.push({ field: channel, message: 'performance.costs.errors.amount' });
    else costs[channel] = pence;
  }
  if (errors.length) return { ok: false, errors };
  await trx
    .deleteFrom('performance_unit_costs')
    .where('organisation_id', '=', organisationId)
    .execute();
  const rows = Object.entries(costs).map(([channel, pence]) => ({
    organisation_id: organisationId,
    channel: channel as TransactionChannel,
    pence,
    updated_by: actor.userId,
  }));
  if (rows.length) await trx.insertInto('performance_unit_costs').values(rows).execute();
  await recordAudit(trx, actor, {
    action: 'performance.unit-costs.set',
    resourceType: 'organisation',
    resourceId: organisationId,
    subjectUserId: null,
    details: { costs },
  });
  return { ok: true, costs };
}
