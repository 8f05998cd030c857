import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../../platform/config/config.js';
import type { Database, Db } from '../../../platform/db/database.js';
import {
  LETTER_TOPIC,
  letterOutboxHandler,
  type LetterPayload,
} from '../../../platform/letters/letters.js';
import {
  createMailer,
  MAIL_TOPIC,
  mailHeaders,
  type Mailer,
} from '../../../platform/mail/mailer.js';
import { enqueue, type OutboxHandler } from '../../../platform/outbox/outbox.js';
import {
  createSmsSender,
  SMS_TOPIC,
  smsOutboxHandler,
  type SmsSender,
} from '../../../platform/sms/sms.js';
import { isUuid } from '../../../platform/validation/uuid.js';
import {
  createOrganisation,
  findOrganisationById,
  findOrganisationBySlug,
} from '../../organisations/index.js';
import type { NotificationStatus, NotificationType, NotifyNotificationRow } from '../db/tables.js';
import { DELIVERY_PROBLEM_TOPIC } from './deliver.js';
import { ensureService } from './services.js';

/**
 * The messages Joinedup sends itself — sign-in and confirmation codes, security warnings,
 * receipts, decisions, activation letters — are queued by many modules on the outbox topics
 * `mail.send`, `sms.send` and `letter.send`. The handlers here take those topics over, so each
 * such message becomes a Notify notification (a record, a status, retries) of the sending
 * body's service, or of the platform's own service when no body is named, and shows in that
 * service's `GET /v2/notifications`.
 */

/** What a platform message may carry besides its content: the public body that sends it. */
export interface PlatformMessageSender {
  /** The organisation whose Notify service the message is recorded under; the platform's own when absent. */
  organisationId?: string;
}

/** `mail.send`'s payload. */
export interface PlatformMailPayload extends PlatformMessageSender {
  to: string;
  subject: string;
  text: string;
}

/** `sms.send`'s payload. */
export interface PlatformSmsPayload extends PlatformMessageSender {
  to: string;
  text: string;
}

/** `letter.send`'s payload. */
export type PlatformLetterPayload = LetterPayload & PlatformMessageSender;

/** The organisation the platform's own Notify service belongs to, created the first time it is needed. */
export const PLATFORM_ORGANISATION_SLUG = 'platform-operator';

/**
 * Messages Notify itself hands to these topics (`notify.sms:{id}`, `notify.letter:{id}`) already
 * have a notification: they are passed straight to the provider.
 */
const NOTIFY_OWN = /^notify[.:]/;

/** Statuses after which a platform message is not sent again. */
const SETTLED = new Set<NotificationStatus>(['delivered', 'permanent-failure', 'accepted']);

/**
 * The notification id of a platform message: derived from its outbox idempotency key, so a
 * retried or repeated delivery finds the same row instead of adding one.
 */
export function platformNotificationId(idempotencyKey: string): string {
  const hex = createHash('sha256')
    .update(`joinedup.platform-message:${idempotencyKey}`)
    .digest('hex');
  // Laid out as a UUID (version 8, "custom", RFC 9562), which Notify's API expects an id to be.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The organisation that runs the platform: its service records messages no public body sends. */
export async function platformOrganisationId(db: Db, config: Config): Promise<string> {
  const existing = await findOrganisationBySlug(db, PLATFORM_ORGANISATION_SLUG);
  if (existing) return existing.id;
  const created = await createOrganisation(db, {
    slug: PLATFORM_ORGANISATION_SLUG,
    name: config.BRAND_NAME,
    type: 'other',
  });
  if (created.ok) return created.organisation.id;
  // Another worker created it at the same moment.
  return (await findOrganisationBySlug(db, PLATFORM_ORGANISATION_SLUG))!.id;
}

const SYSTEM_TEMPLATES = {
  email: { name: 'Platform e-mail', subject: '((subject))', body: '((body))', postage: null },
  sms: { name: 'Platform text message', subject: null, body: '((body))', postage: null },
  letter: {
    name: 'Platform letter (PDF)',
    subject: 'Pre-compiled PDF',
    body: '',
    postage: 'second' as const,
  },
} as const;

/**
 * The service's hidden template that platform messages of this type are recorded against (as
 * precompiled letters are in Notify): never listed, never usable through the API.
 */
export async function systemTemplate(
  db: Db,
  serviceId: string,
  type: NotificationType,
): Promise<{ id: string; version: number }> {
  const values = { ...SYSTEM_TEMPLATES[type], created_by: null };
  const existing = await db
    .selectFrom('notify_templates')
    .select(['id', 'version'])
    .where('service_id', '=', serviceId)
    .where('hidden', '=', true)
    .where('type', '=', type)
    .where('name', '=', values.name)
    .orderBy('created_at')
    .executeTakeFirst();
  if (existing) return existing;
  const row = await db
    .insertInto('notify_templates')
    .values({ service_id: serviceId, type, hidden: true, ...values })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('notify_template_versions')
    .values({ template_id: row.id, version: 1, ...values })
    .execute();
  return row;
}

interface MessageRecord {
  type: NotificationType;
  organisationId: unknown;
  recipient: string;
  addressLines?: string[];
  subject: string | null;
  body: string;
  pdf?: Buffer;
}

/**
 * The notification for one platform message, recorded the first time its outbox message is
 * handled (status `sending`) and found again on every retry.
 */
export async function recordPlatformMessage(
  db: Kysely<Database>,
  config: Config,
  idempotencyKey: string,
  message: MessageRecord,
): Promise<NotifyNotificationRow> {
  const id = platformNotificationId(idempotencyKey);
  const found = await db
    .selectFrom('notify_notifications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (found) return found;
  return db.transaction().execute(async (trx) => {
    const named =
      // Checked before it reaches SQL: a bad uuid would abort the transaction on PostgreSQL.
      isUuid(message.organisationId)
        ? await findOrganisationById(trx, message.organisationId)
        : undefined;
    const organisationId = named?.id ?? (await platformOrganisationId(trx, config));
    const service = await ensureService(trx, organisationId);
    const template = await systemTemplate(trx, service.id, message.type);
    await trx
      .insertInto('notify_notifications')
      .values({
        id,
        service_id: service.id,
        api_key_id: null,
        key_type: 'normal',
        type: message.type,
        template_id: template.id,
        template_version: template.version,
        recipient: message.recipient,
        address_lines: message.addressLines ? JSON.stringify(message.addressLines) : null,
        reference: idempotencyKey.slice(0, 1000),
        subject: message.subject,
        // The platform's own messages carry one-time codes (sign-in, activation letters), so
        // their content is not kept where API keys can read it: the record says what was sent
        // to whom and what became of it; the outbox and the mailbox hold the message itself.
        body: '',
        postage: message.type === 'letter' ? 'second' : null,
        precompiled_pdf: null,
        status: 'sending',
        sent_at: new Date(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return trx
      .selectFrom('notify_notifications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  });
}

async function setStatus(
  db: Kysely<Database>,
  notification: NotifyNotificationRow,
  status: NotificationStatus,
  extra: { failureReason?: string; completed?: boolean } = {},
): Promise<void> {
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('notify_notifications')
      .set({
        status,
        updated_at: now,
        failure_reason: extra.failureReason ?? null,
        ...(extra.completed ? { completed_at: now } : {}),
      })
      .where('id', '=', notification.id)
      .execute();
    // An address that failed for good is reported, so the accounts that use it are marked (as
    // for the bodies' own notifications). No delivery-status callback is sent: like Notify's,
    // callbacks are for what a body sent through the API.
    if (status === 'permanent-failure' && notification.type !== 'letter')
      await enqueue(trx, {
        topic: DELIVERY_PROBLEM_TOPIC,
        payload: {
          channel: notification.type,
          address: notification.recipient,
          notificationId: notification.id,
          reason: extra.failureReason ?? null,
        },
        idempotencyKey: `${DELIVERY_PROBLEM_TOPIC}:${notification.id}`,
      });
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

/**
 * The handlers that take over `mail.send`, `sms.send` and `letter.send`. E-mail is sent by the
 * platform mailer with the outbox key as before (so a dev-mailbox file is still named by it)
 * and ends `delivered`, `permanent-failure` (a 5xx answer; not retried) or, while the outbox
 * retries, `temporary-failure` then `technical-failure` after the last attempt. Text messages
 * and letters are handed to the platform's SMS sender and post room and left `sending` and
 * `accepted`, as Notify's own are.
 */
export function platformMessageHandlers(
  config: Config,
  mailer: Mailer = createMailer(config),
  providers: { sms?: SmsSender; letter?: OutboxHandler } = {},
): Record<string, OutboxHandler> {
  const smsSender = providers.sms ?? createSmsSender(config);
  const passOnSms = smsOutboxHandler(smsSender);
  const postLetter = providers.letter ?? letterOutboxHandler(config);

  const mail: OutboxHandler = async (payload, context) => {
    const { to, subject, text, organisationId } = payload as unknown as PlatformMailPayload;
    const notification = await recordPlatformMessage(context.db, config, context.idempotencyKey, {
      type: 'email',
      organisationId,
      recipient: to,
      subject,
      body: text,
    });
    if (SETTLED.has(notification.status)) return;
    try {
      await mailer.send({
        to,
        subject,
        text,
        headers: mailHeaders(payload.headers),
        idempotencyKey: context.idempotencyKey,
      });
    } catch (error) {
      if (isPermanent(error)) {
        context.logger.warn({ notificationId: notification.id, err: error }, 'e-mail refused');
        await setStatus(context.db, notification, 'permanent-failure', {
          failureReason: reason(error),
          completed: true,
        });
        return;
      }
      const last = context.attempt >= config.OUTBOX_MAX_ATTEMPTS;
      await setStatus(context.db, notification, last ? 'technical-failure' : 'temporary-failure', {
        failureReason: reason(error),
        completed: last,
      });
      throw error;
    }
    await setStatus(context.db, notification, 'delivered', { completed: true });
  };

  const sms: OutboxHandler = async (payload, context) => {
    if (NOTIFY_OWN.test(context.idempotencyKey)) return passOnSms(payload, context);
    const { to, text, organisationId } = payload as unknown as PlatformSmsPayload;
    const notification = await recordPlatformMessage(context.db, config, context.idempotencyKey, {
      type: 'sms',
      organisationId,
      recipient: to,
      subject: null,
      body: text,
    });
    if (SETTLED.has(notification.status)) return;
    // The notification id goes to the provider as the reference its delivery receipt names.
    const outcome = await smsSender.send({
      to,
      text,
      idempotencyKey: context.idempotencyKey,
      reference: notification.id,
    });
    if (outcome.status === 'accepted') {
      // Left `sending` until a delivery receipt says more (one may have come already).
      await context.db
        .updateTable('notify_notifications')
        .set({ status: 'sending', failure_reason: null, updated_at: new Date() })
        .where('id', '=', notification.id)
        .where('status', 'in', ['sending', 'temporary-failure'])
        .execute();
      return;
    }
    if (outcome.status === 'permanent-failure') {
      context.logger.warn({ notificationId: notification.id }, 'text message refused for good');
      await setStatus(context.db, notification, 'permanent-failure', {
        failureReason: outcome.reason,
        completed: true,
      });
      return;
    }
    const last = context.attempt >= config.OUTBOX_MAX_ATTEMPTS;
    await setStatus(context.db, notification, last ? 'technical-failure' : 'temporary-failure', {
      failureReason: outcome.reason,
      completed: last,
    });
    throw new Error(outcome.reason);
  };

  const letter: OutboxHandler = async (payload, context) => {
    if (NOTIFY_OWN.test(context.idempotencyKey)) return postLetter(payload, context);
    const { to, pdfBase64, organisationId } = payload as unknown as PlatformLetterPayload;
    const lines = [to?.name ?? '', ...(Array.isArray(to?.lines) ? to.lines : [])].filter(Boolean);
    const notification = await recordPlatformMessage(context.db, config, context.idempotencyKey, {
      type: 'letter',
      organisationId,
      recipient: lines[0] ?? 'Provided as PDF',
      addressLines: lines,
      subject: SYSTEM_TEMPLATES.letter.subject,
      body: '',
      pdf: typeof pdfBase64 === 'string' ? Buffer.from(pdfBase64, 'base64') : undefined,
    });
    if (SETTLED.has(notification.status)) return;
    try {
      await postLetter(payload, context);
    } catch (error) {
      const last = context.attempt >= config.OUTBOX_MAX_ATTEMPTS;
      await setStatus(context.db, notification, last ? 'technical-failure' : 'temporary-failure', {
        failureReason: reason(error),
        completed: last,
      });
      throw error;
    }
    // Handed to the post room: `accepted`, as Notify's letters are until printed.
    await setStatus(context.db, notification, 'accepted');
  };

  return { [MAIL_TOPIC]: mail, [SMS_TOPIC]: sms, [LETTER_TOPIC]: letter };
}
