import type { Config } from '../../../platform/config/config.js';
import type { OutboxHandler } from '../../../platform/outbox/outbox.js';
import { EXPIRE_TOPIC, expirePayment } from './payments.js';
import { WEBHOOK_TOPIC, webhookHandler } from './webhooks.js';

/**
 * The module's outbox jobs: ending a payment 90 minutes after it was created, if it is still
 * unfinished, and sending signed webhooks.
 */
export function paymentOutboxHandlers(config: Config): Record<string, OutboxHandler> {
  const expire: OutboxHandler = async (payload, { db }) => {
    await db.transaction().execute((trx) => expirePayment(trx, String(payload.paymentId)));
  };
  return { [EXPIRE_TOPIC]: expire, [WEBHOOK_TOPIC]: webhookHandler(config) };
}
