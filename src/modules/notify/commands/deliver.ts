import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../../../platform/config/config.js';
import type { Database, Db } from '../../../platform/db/database.js';
import type { Sealer } from '../../../platform/keyring/keyring.js';
import { queueLetter } from '../../../platform/letters/letters.js';
import { createMailer, type Mailer } from '../../../platform/mail/mailer.js';
import { enqueue, type OutboxHandler } from '../../../platform/outbox/outbox.js';
import { sendSms } from '../../../platform/sms/sms.js';
import { postWebhook } from '../../submissions/index.js';
import type { NotificationStatus, NotifyNotificationRow } from '../db/tables.js';
import { notifyDate } from '../queries/templates.js';
import { normaliseUkMobile } from '../recipients.js';
import { letterSender, renderLetterPdf } from './letter-pdf.js';

/** The outbox topic that POSTs one delivery-status callback; payload `{ serviceId, body }`. */
export const CALLBACK_TOPIC = 'notify.callback';

/**
 * The outbox topic on which an address that cannot be reached is reported; the identity module
 * handles it and marks the accounts that use the address (payload `{ channel, address,
 * notificationId, reason }`). Named here rather than imported: notify does not depend on identity.
 */
export const DELIVERY_PROBLEM_TOPIC = 'account.delivery-problem';

/** Statuses after which a notification is not delivered again. */
export const SETTLED = new Set<NotificationStatus>([
  'delivered',
  'permanent-failure',
  'sent',
  'received',
  'cancelled',
  'validation-failed',
  'virus-scan-failed',
  'returned-letter',
]);

/** Statuses the body is told about by callback. */
const REPORTED = new Set<NotificationStatus>([
  'delivered',
  'permanent-failure',
  'technical-failure',
  'received',
]);

/**
 * Records a notification's new status; for a final one, queues the body's delivery-status
 * callback and, for a permanent failure of a live e-mail or text message, reports the address
 * so an account that uses it is marked.
 */
export async function setStatus(
  db: Kysely<Database>,
  notification: NotifyNotificationRow,
  status: NotificationStatus,
  extra: {
    failureReason?: string | null;
    sent?: boolean;
    completed?: boolean;
    /** Queue the callback even for a status not normally reported (a provider's temporary-failure). */
    report?: boolean;
  } = {},
): Promise<void> {
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('notify_notifications')
      .set({
        status,
        updated_at: now,
        failure_reason: extra.failureReason ?? null,
        ...(extra.sent && !notification.sent_at ? { sent_at: now } : {}),
        ...(extra.completed ? { completed_at: now } : {}),
      })
      .where('id', '=', notification.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (REPORTED.has(status) || extra.report) await queueCallback(trx, updated);
    if (status === 'permanent-failure')
      await reportDeliveryProblem(trx, updated, extra.failureReason);
  });
}

/** Tells the identity module (by outbox) that an address failed for good; letters are not reported. */
async function reportDeliveryProblem(
  trx: Db,
  notification: NotifyNotificationRow,
  failureReason: string | null | undefined,
): Promise<void> {
  if (notification.type === 'letter' || notification.key_type === 'test') return;
  const address =
    notification.type === 'sms'
      ? (() => {
          const phone = normaliseUkMobile(notification.recipient);
          return phone.ok ? phone.number : notification.recipient;
        })()
      : notification.recipient;
  await enqueue(trx, {
    topic: DELIVERY_PROBLEM_TOPIC,
    payload: {
      channel: notification.type,
      address,
      notificationId: notification.id,
      reason: failureReason ?? null,
    },
    idempotencyKey: `${DELIVERY_PROBLEM_TOPIC}:${notification.id}`,
  });
}

/** Queues the delivery-status callback Notify would send, when the service has a callback URL. */
async function queueCallback(trx: Db, notification: NotifyNotificationRow): Promise<void> {
  const service = await trx
    .selectFrom('notify_services')
    .select('callback_url')
    .where('id', '=', notification.service_id)
    .executeTakeFirstOrThrow();
  if (!service.callback_url) return;
  const body = {
    id: notification.id,
    reference: notification.reference,
    to: notification.recipient,
    status: notification.status,
    created_at: notifyDate(notification.created_at),
    completed_at: notifyDate(notification.completed_at),
    sent_at: notifyDate(notification.sent_at),
    notification_type: notification.type,
    template_id: notification.template_id,
    template_version: notification.template_version,
  };
  await enqueue(trx, {
    topic: CALLBACK_TOPIC,
    payload: { serviceId: notification.service_id, body },
    idempotencyKey: `${CALLBACK_TOPIC}:${notification.id}:${notification.status}`,
  });
}

/** An SMTP answer in the 5xx range: the receiving server refuses the message for good. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

async function deliverEmail(
  db: Kysely<Database>,
  mailer: Mailer,
  notification: NotifyNotificationRow,
  attempt: { number: number; last: boolean },
  log: Logger,
): Promise<void> {
  if (notification.status !== 'sending')
    await setStatus(db, notification, 'sending', { sent: true });
  try {
    await mailer.send({
      to: notification.recipient,
      subject: notification.subject ?? '',
      text: notification.body,
      idempotencyKey: `notify:${notification.id}`,
    });
  } catch (error) {
    if (isPermanent(error)) {
      log.warn({ notificationId: notification.id, err: error }, 'e-mail refused for good');
      await setStatus(db, notification, 'permanent-failure', {
        failureReason: reason(error),
        completed: true,
      });
      return;
    }
    // A dropped connection or a 4xx answer: the outbox tries again with backoff; after the
    // last attempt the notification is a technical failure and the message a dead letter.
    await setStatus(db, notification, attempt.last ? 'technical-failure' : 'temporary-failure', {
      failureReason: reason(error),
      completed: attempt.last,
    });
    throw error;
  }
  await setStatus(db, notification, 'delivered', { completed: true });
}

/**
 * Hands a text message to the SMS provider directly (no second outbox hop, so the outcome is
 * known here): accepted → `sending` until the provider's receipt arrives at
 * `/api/v1/providers/sms/status` (the development log sends none); refused for good (4xx) →
 * `permanent-failure`, not retried, and the number reported; 429, 5xx or no answer →
 * `temporary-failure` and the outbox retries (`technical-failure` after the last attempt). The
 * idempotency key `notify.sms:{id}` lets the provider drop a repeat after a retry.
 */
async function deliverSms(
  db: Kysely<Database>,
  config: Config,
  notification: NotifyNotificationRow,
  attempt: { last: boolean },
  log: Logger,
): Promise<void> {
  if (notification.sent_at && notification.status === 'sending') return; // already accepted
  const phone = normaliseUkMobile(notification.recipient);
  const outcome = await sendSms(config, {
    to: phone.ok ? phone.number : notification.recipient,
    text: notification.body,
    reference: notification.id,
    idempotencyKey: `notify.sms:${notification.id}`,
  });
  if (outcome.status === 'accepted') {
    await setStatus(db, notification, 'sending', { sent: true });
    return;
  }
  if (outcome.status === 'permanent-failure') {
    log.warn({ notificationId: notification.id, reason: outcome.reason }, 'text refused for good');
    await setStatus(db, notification, 'permanent-failure', {
      failureReason: outcome.reason,
      sent: true,
      completed: true,
    });
    return;
  }
  await setStatus(db, notification, attempt.last ? 'technical-failure' : 'temporary-failure', {
    failureReason: outcome.reason,
    completed: attempt.last,
  });
  throw new Error(outcome.reason);
}

/**
 * The outbox handlers that deliver notifications: e-mail through the platform mailer (SMTP when
 * SMTP_URL is set), text messages handed to the `sms.send` topic, letters to the letter topic as
 * PDFs; test-key notifications are marked delivered without sending anything. Status callbacks
 * are POSTed to the body's URL with its bearer token, retried on 5xx and 429.
 */
export function notifyOutboxHandlers(
  config: Config,
  sealingKey: Sealer,
  mailer: Mailer = createMailer(config),
): Record<string, OutboxHandler> {
  const deliver: OutboxHandler = async (payload, context) => {
    const id = String(payload.notificationId);
    const notification = await context.db
      .selectFrom('notify_notifications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!notification || SETTLED.has(notification.status)) return;
    const db = context.db;
    if (notification.key_type === 'test') {
      await setStatus(db, notification, notification.type === 'letter' ? 'received' : 'delivered', {
        sent: true,
        completed: true,
      });
      return;
    }
    if (notification.type === 'email') {
      await deliverEmail(
        db,
        mailer,
        notification,
        { number: context.attempt, last: context.attempt >= config.OUTBOX_MAX_ATTEMPTS },
        context.logger,
      );
      return;
    }
    if (notification.type === 'sms') {
      await deliverSms(
        db,
        config,
        notification,
        { last: context.attempt >= config.OUTBOX_MAX_ATTEMPTS },
        context.logger,
      );
      return;
    }
    if (notification.sent_at) return; // already handed on (the hand-over is idempotent anyway)
    const pdf = notification.precompiled_pdf
      ? Buffer.from(notification.precompiled_pdf)
      : renderLetterPdf({
          addressLines: notification.address_lines ?? [],
          subject: notification.subject,
          body: notification.body,
          date: notification.created_at,
          sender: await letterSender(db, notification.service_id),
        });
    await db.transaction().execute(async (trx) => {
      const lines = notification.address_lines ?? [];
      await queueLetter(
        trx,
        { to: { name: lines[0] ?? 'Provided as PDF', lines: lines.slice(1) }, pdf },
        `notify.letter:${notification.id}`,
      );
      // Letters are `accepted` once handed to the printer.
      await trx
        .updateTable('notify_notifications')
        .set({
          status: 'accepted',
          sent_at: new Date(),
          updated_at: new Date(),
        })
        .where('id', '=', notification.id)
        .execute();
    });
  };

  const callback: OutboxHandler = async (payload, context) => {
    const service = await context.db
      .selectFrom('notify_services')
      .select(['callback_url', 'callback_token_sealed'])
      .where('id', '=', String(payload.serviceId))
      .executeTakeFirst();
    if (!service?.callback_url) return;
    const opened = service.callback_token_sealed
      ? sealingKey.open(service.callback_token_sealed)
      : undefined;
    const token = opened?.plain ?? '';
    // Sealed before SESSION_SECRET changed: sealed again under the current one.
    if (opened?.stale)
      await context.db
        .updateTable('notify_services')
        .set({ callback_token_sealed: sealingKey.seal(token) })
        .where('id', '=', String(payload.serviceId))
        .where('callback_token_sealed', '=', service.callback_token_sealed!)
        .execute();
    // As the hub's webhooks: never to this machine or a private network (SSRF), checked again
    // after DNS at connection time, no redirects followed, the answer's body never read.
    const status = await postWebhook({
      url: service.callback_url,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(payload.body),
      timeoutMs: 10_000,
      allowPrivate: config.hubAllowPrivateWebhooks,
    });
    if (status >= 500 || status === 429 || status === 0)
      throw new Error(`Delivery-status callback answered ${status}`);
    if (status < 200 || status >= 300)
      context.logger.warn({ status }, 'delivery-status callback refused; not retried');
  };

  return { 'notify.deliver': deliver, [CALLBACK_TOPIC]: callback };
}
