import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Config } from '../../../platform/config/config.js';
import type { Db } from '../../../platform/db/database.js';
import {
  countSealed,
  resealIfStale,
  sealer,
  type SealedCount,
  type SecretSource,
} from '../../../platform/keyring/keyring.js';
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

/** Seals webhook signing secrets at rest; the keyring opens those sealed before a rotation. */
function signingSecretSealer(secrets: SecretSource) {
  return sealer(secrets, 'joinedup-payments', 'pay-webhook-secret-v1');
}

/**
 * The signing secret a webhook made before 0064 was given: derived from the session secret of
 * the time. Used once, to seal it (sealLegacyWebhookSecrets), so those receivers keep verifying.
 */
export function legacyWebhookSecret(siteSecret: string, webhookId: string): string {
  return `webhook_${createHmac('sha256', siteSecret).update(`pay-webhook:${webhookId}`).digest('base64url')}`;
}

/** The webhook's signing secret, opened from its sealed form. */
export function webhookSigningSecret(
  secrets: SecretSource,
  hook: { signing_secret_sealed: string | null },
): string {
  if (!hook.signing_secret_sealed) throw new Error('this webhook has no sealed signing secret');
  return signingSecretSealer(secrets).open(hook.signing_secret_sealed).plain;
}

/**
 * Seals the derived secret of every webhook made before 0064 (at start: the session secret
 * then is the one they were derived under, as long as the release goes in before a rotation).
 */
export async function sealLegacyWebhookSecrets(db: Db, config: Config): Promise<number> {
  const legacy = await db
    .selectFrom('pay_webhooks')
    .select('id')
    .where('signing_secret_sealed', 'is', null)
    .execute();
  const sealing = signingSecretSealer(config);
  for (const { id } of legacy)
    await db
      .updateTable('pay_webhooks')
      .set({ signing_secret_sealed: sealing.seal(legacyWebhookSecret(config.SESSION_SECRET, id)) })
      .where('id', '=', id)
      .where('signing_secret_sealed', 'is', null)
      .execute();
  return legacy.length;
}

/** Webhook signing secrets counted by the session secret that opens them (secrets:rotate-check). */
export async function payWebhookSealedCounts(db: Db, secrets: SecretSource): Promise<SealedCount> {
  const rows = await db
    .selectFrom('pay_webhooks')
    .select('signing_secret_sealed')
    .where('signing_secret_sealed', 'is not', null)
    .execute();
  return countSealed(
    signingSecretSealer(secrets),
    rows.flatMap((row) => row.signing_secret_sealed ?? []),
  );
}

/** Seals again under the current secret those only a previous one opens. Returns how many. */
export async function resealPayWebhookSecrets(db: Db, secrets: SecretSource): Promise<number> {
  const sealing = signingSecretSealer(secrets);
  let resealed = 0;
  for (const row of await db
    .selectFrom('pay_webhooks')
    .select(['id', 'signing_secret_sealed'])
    .where('signing_secret_sealed', 'is not', null)
    .execute()) {
    const now = row.signing_secret_sealed && resealIfStale(sealing, row.signing_secret_sealed);
    if (!now) continue;
    const result = await db
      .updateTable('pay_webhooks')
      .set({ signing_secret_sealed: now })
      .where('id', '=', row.id)
      .where('signing_secret_sealed', '=', row.signing_secret_sealed)
      .executeTakeFirst();
    resealed += Number(result.numUpdatedRows);
  }
  return resealed;
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
  secrets: SecretSource,
  input: { organisationId: string; callbackUrl: string },
  actor: Actor,
): Promise<{ id: string; signingSecret: string }> {
  const signingSecret = `webhook_${randomBytes(32).toString('base64url')}`;
  const row = await trx
    .insertInto('pay_webhooks')
    .values({
      organisation_id: input.organisationId,
      callback_url: input.callbackUrl,
      signing_secret_sealed: signingSecretSealer(secrets).seal(signingSecret),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'payments.webhook.created',
    resourceType: 'pay_webhook',
    resourceId: row.id,
    subjectUserId: null,
    details: { organisationId: input.organisationId, callbackUrl: input.callbackUrl },
  });
  return { id: row.id, signingSecret };
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
        [PAY_SIGNATURE_HEADER]: paySignature(webhookSigningSecret(config, hook), body),
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
