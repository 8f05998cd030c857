import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { BUSINESS_PARSERS, type BusinessScheme } from '../validation/identifiers.js';

/**
 * Adds a validated number to a business account (the caller checks the actor administers it).
 * A number belongs to one business account: one already held (by this or another business) is
 * refused as `held`.
 *
 * @example await addBusinessNumber(trx, actor, business.id, 'companies-house', '04567890');
 */
export async function addBusinessNumber(
  db: Db,
  actor: Actor,
  businessId: string,
  scheme: BusinessScheme,
  typed: string,
): Promise<{ ok: true; value: string } | { ok: false; reason: string }> {
  const parsed = BUSINESS_PARSERS[scheme](typed);
  if (!parsed.ok) return parsed;
  const inserted = await db
    .insertInto('reference_business_numbers')
    .values({ business_id: businessId, scheme, value: parsed.value, added_by: actor.userId })
    .onConflict((oc) => oc.columns(['scheme', 'value']).doNothing())
    .returning('value')
    .executeTakeFirst();
  if (!inserted) return { ok: false, reason: 'held' };
  await recordAudit(db, actor, {
    action: 'references.business-number.added',
    resourceType: 'business_account',
    resourceId: businessId,
    subjectUserId: null,
    details: { scheme, value: parsed.value },
  });
  return { ok: true, value: parsed.value };
}

/** The business account that holds a number (in its normal form), if any. */
export async function businessWithNumber(
  db: Db,
  scheme: BusinessScheme,
  value: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('reference_business_numbers')
    .select('business_id')
    .where('scheme', '=', scheme)
    .where('value', '=', value)
    .executeTakeFirst();
  return row?.business_id;
}
