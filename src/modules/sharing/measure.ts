import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import type { ChangeStatus, DeliveryStatus } from './db/tables.js';

/**
 * The outbox topic on which every change of circumstances is announced, in the same transaction
 * as each step of its deliveries, for the performance module's joined-up-ness measure.
 */
export const SHARING_MEASURE_TOPIC = 'sharing.measure';

/**
 * Announces that a change's deliveries moved on. Each step gets its own message (the key is
 * fresh) because the handler reads the change as it stands, so a late or repeated message only
 * records the same thing again.
 */
export async function announceChange(trx: Db, changeId: string): Promise<void> {
  await enqueue(trx, {
    topic: SHARING_MEASURE_TOPIC,
    payload: { changeId },
    idempotencyKey: `${SHARING_MEASURE_TOPIC}:${changeId}:${randomUUID()}`,
  });
}

/** One body a change was to be told of, as the performance module needs to measure it. */
export interface DeliveryForMeasure {
  id: string;
  organisationId: string;
  status: DeliveryStatus;
  reason: string | null;
  via: 'push' | 'pull' | null;
  sentAt: Date | null;
  confirmedAt: Date | null;
  answeredAt: Date | null;
}

/** A change of circumstances and its deliveries, without its details (nobody's personal data). */
export interface ChangeForMeasure {
  id: string;
  status: ChangeStatus;
  submittedAt: Date;
  deliveries: DeliveryForMeasure[];
}

/**
 * A change and where each of its deliveries stands, or undefined when there is no such change.
 *
 * @example const change = await changeForMeasure(trx, changeId);
 */
export async function changeForMeasure(
  db: Db,
  changeId: string,
): Promise<ChangeForMeasure | undefined> {
  const change = await db
    .selectFrom('sharing_changes')
    .select(['id', 'status', 'submitted_at'])
    .where('id', '=', changeId)
    .executeTakeFirst();
  if (!change) return undefined;
  const deliveries = await db
    .selectFrom('sharing_deliveries')
    .select([
      'id',
      'organisation_id',
      'status',
      'reason',
      'via',
      'sent_at',
      'confirmed_at',
      'answered_at',
    ])
    .where('change_id', '=', changeId)
    .orderBy('id')
    .execute();
  return {
    id: change.id,
    status: change.status,
    submittedAt: change.submitted_at,
    deliveries: deliveries.map((d) => ({
      id: d.id,
      organisationId: d.organisation_id,
      status: d.status,
      reason: d.reason,
      via: d.via,
      sentAt: d.sent_at,
      confirmedAt: d.confirmed_at,
      answeredAt: d.answered_at,
    })),
  };
}

/**
 * A page of the ids of changes told since an instant (all, without one), in id order after
 * `after`: the performance back-fill walks them.
 */
export async function changeIdsSince(
  db: Db,
  page: { since: Date | null; after: string | null; limit: number },
): Promise<string[]> {
  let query = db.selectFrom('sharing_changes').select('id').orderBy('id').limit(page.limit);
  if (page.since) query = query.where('submitted_at', '>=', page.since);
  if (page.after) query = query.where('id', '>', page.after);
  return (await query.execute()).map((row) => row.id);
}
