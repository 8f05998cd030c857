import { sql } from 'kysely';
import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { OutboxHandler } from '../../../platform/outbox/outbox.js';
import { normaliseUkMobile } from './account-lifecycle.js';

/**
 * The outbox topic on which a message service reports an address that cannot be reached; payload
 * {@link DeliveryProblem}. Notify enqueues it (a module never imports identity's tables) and this
 * module marks the accounts that use the address.
 */
export const DELIVERY_PROBLEM_TOPIC = 'account.delivery-problem';

export type DeliveryChannel = 'email' | 'sms';

/** An e-mail that bounced for good, or a text message the provider refused for good. */
export interface DeliveryProblem {
  channel: DeliveryChannel;
  /** The e-mail address or mobile number the message went to, as sent. */
  address: string;
  /** The notification that failed, for the audit entry. */
  notificationId?: string | null;
  reason?: string | null;
}

const SYSTEM: Actor = { userId: null, organisationId: null, role: 'delivery' };

/**
 * Marks every account that uses the address (`email_bounced_at` or `phone_failed_at`), so
 * "Your account" asks the person to check it. An address no account uses is ignored; an account
 * already marked keeps its first date. Returns the ids of the accounts marked now.
 *
 * @example await markDeliveryProblem(trx, { channel: 'email', address: 'sam@example.com', notificationId });
 */
export async function markDeliveryProblem(
  db: Db,
  problem: DeliveryProblem,
  actor: Actor = SYSTEM,
): Promise<string[]> {
  const now = new Date();
  let marked: { id: string }[];
  if (problem.channel === 'email') {
    const address = problem.address.trim().toLowerCase();
    if (!address) return [];
    marked = await db
      .updateTable('users')
      .set({ email_bounced_at: now })
      .where(sql<string>`lower(email)`, '=', address)
      .where('deleted_at', 'is', null)
      .where('email_bounced_at', 'is', null)
      .returning('id')
      .execute();
  } else {
    const phone = normaliseUkMobile(problem.address);
    if (!phone) return [];
    marked = await db
      .updateTable('users')
      .set({ phone_failed_at: now })
      .where('phone', '=', phone)
      .where('deleted_at', 'is', null)
      .where('phone_failed_at', 'is', null)
      .returning('id')
      .execute();
  }
  for (const { id } of marked)
    await recordAudit(db, actor, {
      action: 'identity.delivery-problem.marked',
      resourceType: 'user',
      resourceId: id,
      subjectUserId: id,
      details: {
        channel: problem.channel,
        notificationId: problem.notificationId ?? null,
        reason: problem.reason ?? null,
      },
    });
  return marked.map((row) => row.id);
}

/**
 * Clears the mark for one channel, when the person changes the address or tells us it is right.
 * Returns false when there was no mark.
 */
export async function clearDeliveryProblem(
  db: Db,
  userId: string,
  channel: DeliveryChannel,
  actor: Actor,
  why: 'changed' | 'confirmed',
): Promise<boolean> {
  const cleared = await (
    channel === 'email'
      ? db
          .updateTable('users')
          .set({ email_bounced_at: null })
          .where('id', '=', userId)
          .where('email_bounced_at', 'is not', null)
      : db
          .updateTable('users')
          .set({ phone_failed_at: null })
          .where('id', '=', userId)
          .where('phone_failed_at', 'is not', null)
  )
    .returning('id')
    .executeTakeFirst();
  if (!cleared) return false;
  await recordAudit(db, actor, {
    action: 'identity.delivery-problem.cleared',
    resourceType: 'user',
    resourceId: userId,
    subjectUserId: userId,
    details: { channel, why },
  });
  return true;
}

function isProblem(payload: Record<string, unknown>): payload is Record<string, unknown> & {
  channel: DeliveryChannel;
  address: string;
} {
  return (
    (payload.channel === 'email' || payload.channel === 'sms') &&
    typeof payload.address === 'string'
  );
}

/** Handles {@link DELIVERY_PROBLEM_TOPIC}: marks the accounts in one transaction (idempotent). */
export function deliveryProblemOutboxHandler(): OutboxHandler {
  return async (payload, context) => {
    if (!isProblem(payload)) {
      context.logger.warn('delivery problem without channel and address; ignored');
      return;
    }
    const problem: DeliveryProblem = {
      channel: payload.channel,
      address: payload.address,
      notificationId: typeof payload.notificationId === 'string' ? payload.notificationId : null,
      reason: typeof payload.reason === 'string' ? payload.reason : null,
    };
    const marked = await context.db
      .transaction()
      .execute((trx) => markDeliveryProblem(trx, problem));
    if (marked.length)
      context.logger.info(
        { channel: problem.channel, accounts: marked.length },
        'address marked as undeliverable',
      );
  };
}
