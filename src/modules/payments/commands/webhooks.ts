import { createHmac, randomUUID } from 'node:crypto';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Config } from '../../../platform/config/config.js';
import type { Db } from '../../../platform/db/database.js';
import { enqueue, type OutboxHandler } from '../../../platform/outbox/outbox.js';
import { postWebhook } from '../../submissions/index.js';
import type { PaymentRow } from '../db/tables.js';
import { refundedByPayment, serializePayment } from '../queries/payments.js';
import type { PaymentState } from '../state.js';

export const WEBHOOK_TOPIC = 'payments.webhook';
/** Pay's header: the hex HMAC-SHA256 of the body, keyed with the webhook's signing secret. */
export const PAY_SIGNATURE_HEADER = 'Pay-Signature';
/** Retried for 72 hours, as the hub's webhooks are. */
const WEBHOOK_MAX_AGE_MS = 72 * 3600 * 1000;

/** The webhook's signing secret, derived so that none is stored. */
export function webhookSecret(siteSecret: string, webhookId: string): string {
  return `webhook_${createHmac('sha256', siteSecret).update(`pay-webhook:${webhookId}`).digest('base64url')}`;
}

/** Pay-Signature: the hex HMAC-SHA256 of exactly the bytes sent. */
export function paySignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Pay's event type for a state a payment has just reached; null for states Pay sends nothing for. */
export function webhookEventType(state: PaymentState): string | null {
  if (state.status === 'started') return 'card_payment_started';
  if (state.status === 'success') return 'card_payment_succeeded';
  if (state.status === 'cancelled') return 'card_payment_cancelled';
  if (state.status === 'failed' && state.code === 'P0020') return 'card_payment_expired';
  if (state.status === 'failed' || state.status === 'error') return 'card_payment_failed';
  return null;
}

/**
 * Registers a callback URL for the body's payment events and returns its signing secret, which
 * the caller shows once.
 */
export async function createWebhook(
  trx: Db,
  siteSecret: string,
  input: { organisationId: string; callbackUrl: string },
  actor: Actor,
): Promise<{ id: string; signingSecret: string }> {
  const row = await trx
    .insertInto('pay_webhooks')
    .values({ organisation_id: input.organisationId, callback_url: input.callbackUrl })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'payments.webhook.created',
    resourceType: 'pay_webhook',
    resourceId: row.id,
    subjectUserId: null,
    details: { organisationId: input.organisationId, callbackUrl: input.callbackUrl },
  });
  return { id: row.id, signingSecret: webhookSecret(siteSecret, row.id) };
}

/**
 * Queues the event for each of the body's webhooks, in the transaction that made the change.
 * `occurrence` tells apart events of one type that happen more than once (refunds).
 */
export async function enqueuePaymentWebhooks(
  trx: Db,
  payment: PaymentRow,
  eventType: string,
  occurrence = '',
) {
  const hooks = await trx
    .selectFrom('pay_webhooks')
    .select('id')
    .where('organisation_id', '=', payment.organisation_id)
    .where('disabled_at', 'is', null)
    .execute();
  for (const hook of hooks)
    await enqueue(trx, {
      topic: WEBHOOK_TOPIC,
      payload: {
        webhookId: hook.id,
        paymentId: payment.id,
        eventType,
        messageId: randomUUID(),
        createdDate: new Date().toISOString(),
      },
      idempotencyKey: `${WEBHOOK_TOPIC}:${hook.id}:${payment.id}:${eventType}:${occurrence}`,
    });
}

/**
 * Sends one webhook message in Pay's shape (`webhook_message_id`, `event_type`, `resource` = the
 * payment as the API shows it now), signed with Pay-Signature. Anything but a 2xx is retried.
 */
export function webhookHandler(config: Config): OutboxHandler {
  const handler: OutboxHandler = async (payload, { db }) => {
    const hook = await db
      .selectFrom('pay_webhooks')
      .selectAll()
      .where('id', '=', String(payload.webhookId))
      .executeTakeFirst();
    const payment = await db
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', String(payload.paymentId))
      .executeTakeFirst();
    if (!hook || hook.disabled_at || !payment) return;
    const refunded = (await refundedByPayment(db, [payment.id])).get(payment.id) ?? 0;
    const body = JSON.stringify({
      webhook_message_id: payload.messageId,
      created_date: payload.createdDate,
      resource_id: payment.external_id,
      api_version: 1,
      resource_type: 'payment',
      event_type: payload.eventType,
      resource: serializePayment(payment, refunded, {
        baseUrl: config.baseUrl,
        secret: config.SESSION_SECRET,
      }),
    });
    const status = await postWebhook({
      url: hook.callback_url,
      headers: {
        'content-type': 'application/json',
        [PAY_SIGNATURE_HEADER]: paySignature(webhookSecret(config.SESSION_SECRET, hook.id), body),
      },
      body,
      timeoutMs: 10_000,
      allowPrivate: config.hubAllowPrivateWebhooks,
    });
    if (status < 200 || status >= 300) throw new Error(`webhook answered ${status}`);
  };
  handler.maxAgeMs = WEBHOOK_MAX_AGE_MS;
  return handler;
}
