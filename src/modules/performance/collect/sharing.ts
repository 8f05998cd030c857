import type { Db } from '../../../platform/db/database.js';
import { londonDate } from '../../../platform/time/london.js';
import { changeForMeasure, type DeliveryForMeasure } from '../../sharing/index.js';
import { lockKey } from './rollups.js';

/**
 * Why a body was not sent a change for a reason that means it was never to be told: no agreement
 * covered it, the person did not consent, withdrew their consent, or staff rejected the report.
 * An agreement that ended before the change could be sent still counts as a body to be told (it
 * was to be told when the person told the change): that is a change not joined up.
 */
const NEVER_DUE = new Set(['no-agreement', 'no-consent', 'consent-withdrawn', 'report-rejected']);

/**
 * Whether a body was to be told of a change (consented, or told without consent under its
 * agreement's basis) and whether it was: its webhook answered 2xx, it took the change from its
 * inbox, or it answered (even "failed": the change reached it).
 *
 * @example outcomeOf({ status: 'not-sent', reason: 'no-consent', ... }) // { due: false, delivered: false }
 */
export function outcomeOf(
  delivery: Pick<
    DeliveryForMeasure,
    'status' | 'reason' | 'via' | 'sentAt' | 'confirmedAt' | 'answeredAt'
  >,
): { due: boolean; delivered: boolean } {
  if (delivery.status === 'not-sent' && NEVER_DUE.has(delivery.reason ?? ''))
    return { due: false, delivered: false };
  const delivered =
    delivery.answeredAt !== null ||
    delivery.confirmedAt !== null ||
    (delivery.via === 'pull' && delivery.sentAt !== null);
  return { due: true, delivered };
}

/**
 * Measures one change of circumstances (the `sharing.measure` message): writes one fact per body
 * it was for, as its deliveries stand now, in `trx`. Idempotent and order-free: every message
 * reads the change afresh. A change no longer there is left as last measured.
 */
export async function measureChange(trx: Db, changeId: string): Promise<void> {
  await lockKey(trx, changeId);
  const change = await changeForMeasure(trx, changeId);
  if (!change) return;
  const day = londonDate(change.submittedAt);
  for (const delivery of change.deliveries) {
    const outcome = outcomeOf(delivery);
    await trx
      .insertInto('performance_sharing_deliveries')
      .values({
        delivery_id: delivery.id,
        change_id: change.id,
        organisation_id: delivery.organisationId,
        day,
        ...outcome,
      })
      .onConflict((oc) => oc.column('delivery_id').doUpdateSet(outcome))
      .execute();
  }
}
