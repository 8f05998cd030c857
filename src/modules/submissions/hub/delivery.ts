import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Config } from '../../../platform/config/config.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { deriveKeys, type SecretSource } from '../../../platform/keyring/keyring.js';
import { loadMessages, translator } from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue, type OutboxHandler } from '../../../platform/outbox/outbox.js';
import { findOrganisationById } from '../../organisations/index.js';
import { staffEmailsWithRole } from '../../identity/index.js';
import { markReceived, SUBMITTED_TOPIC } from '../commands/submissions.js';
import type {
  HubDeliveryRow,
  HubWebhookSecretRow,
  StoredSubmissionRow,
  SubmissionRow,
} from '../db/tables.js';
import { findSubmissionById } from '../queries/submissions.js';
import { receivedSubmission } from './payload.js';
import { addressBytes, isBlockedAddress, isLocalName } from './addresses.js';
import { signatureHeader } from './signatures.js';
import { postWebhook, RefusedWebhookTarget } from './webhook-request.js';

/** The outbox topic of one webhook delivery of one submission. */
export const DELIVER_TOPIC = 'submission.deliver';

/** A webhook is retried (with the outbox's exponential backoff) for this long, then dead-lettered. */
export const WEBHOOK_MAX_AGE_MS = 72 * 3600 * 1000;

/** A receiver that has not answered within this long has failed this attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** How long a rotated-out signing secret still signs, so the receiver can switch without a gap. */
export const SECRET_OVERLAP_HOURS = 24;

export type DeliveryMode = 'casework' | 'push' | 'pull';

/**
 * The signing secret with this id: an HMAC of the id under a key derived from the current
 * session secret (src/platform/keyring), so no secret is stored and every node computes the
 * same one. This is the one a body's admin is shown.
 */
export function webhookSecret(secrets: SecretSource, secretId: string): string {
  return webhookSecrets(secrets, secretId)[0]!;
}

/**
 * Every form of the signing secret with this id, one per session secret, newest first. After
 * SESSION_SECRET changes, deliveries are signed under each, so a receiver that still holds the
 * secret it was given before keeps verifying until a new one is issued (rotateWebhookSecret).
 */
export function webhookSecrets(secrets: SecretSource, secretId: string): string[] {
  return deriveKeys(secrets, 'joinedup-hub', 'webhook-secrets-v1').map(
    (key) => `whsec_${createHmac('sha256', key).update(secretId).digest('base64url')}`,
  );
}

/** How a body takes its submissions; undefined means Joinedup's casework. */
export async function findDelivery(
  db: Db,
  organisationId: string,
): Promise<HubDeliveryRow | undefined> {
  return db
    .selectFrom('hub_delivery')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

/** The secrets that sign now, newest first: the current one, and a rotated-out one in its overlap. */
export async function activeSecrets(
  db: Db,
  organisationId: string,
): Promise<HubWebhookSecretRow[]> {
  return db
    .selectFrom('hub_webhook_secrets')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * A webhook address we will POST personal data to: https, not to a private or local address
 * (SSRF: the admin of a body must not make Joinedup call into its own network). Where private
 * targets are allowed (HUB_ALLOW_PRIVATE_WEBHOOKS, development), they may be, and http to this
 * machine too. A name is checked again, after DNS, at every delivery (webhook-request.ts).
 */
export function webhookUrlProblem(value: string, allowPrivate = false): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'submissions.hub.error.url';
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = addressBytes(host) !== undefined;
  const privateTarget = isLocalName(host) || (literal && isBlockedAddress(host));
  const loopback = host === 'localhost' || host === '127.0.0.1' || host === '::1';
  if (url.protocol !== 'https:' && !(allowPrivate && loopback && url.protocol === 'http:'))
    return 'submissions.hub.error.urlHttps';
  if (url.username || url.password) return 'submissions.hub.error.urlCredentials';
  if (privateTarget && !allowPrivate) return 'submissions.hub.error.urlPrivate';
  return undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A new signing secret for the body; the ones signing until now keep signing for the overlap. */
export async function rotateWebhookSecret(
  trx: Db,
  config: Pick<Config, 'SESSION_SECRET'>,
  organisationId: string,
  actor: Actor,
): Promise<string> {
  await trx
    .updateTable('hub_webhook_secrets')
    .set({ expires_at: sql<Date>`now() + ${`${SECRET_OVERLAP_HOURS} hours`}::interval` })
    .where('organisation_id', '=', organisationId)
    .where('expires_at', 'is', null)
    .execute();
  const row = await trx
    .insertInto('hub_webhook_secrets')
    .values({ organisation_id: organisationId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'hub.webhook-secret.created',
    resourceType: 'hub_webhook_secret',
    resourceId: row.id,
    subjectUserId: null,
    details: { organisationId, overlapHours: SECRET_OVERLAP_HOURS },
  });
  return webhookSecret(config, row.id);
}

/** Ends the overlap now: only the newest secret signs from here on. */
export async function retireOldSecrets(
  trx: Db,
  organisationId: string,
  actor: Actor,
): Promise<number> {
  const [newest] = await activeSecrets(trx, organisationId);
  if (!newest) return 0;
  const result = await trx
    .updateTable('hub_webhook_secrets')
    .set({ expires_at: sql<Date>`now()` })
    .where('organisation_id', '=', organisationId)
    .where('id', '<>', newest.id)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
    .executeTakeFirst();
  const retired = Number(result.numUpdatedRows);
  if (retired > 0)
    await recordAudit(trx, actor, {
      action: 'hub.webhook-secret.retired',
      resourceType: 'organisation',
      resourceId: organisationId,
      subjectUserId: null,
      details: { retired },
    });
  return retired;
}

export interface DeliveryInput {
  mode: DeliveryMode;
  webhookUrl?: string;
  alertEmail?: string;
}

/**
 * Sets how a body takes its submissions, as its admin chose (or the CLI). Push needs an https
 * webhook and an address for alerts; its first signing secret is made here and returned this
 * once. Submissions still waiting are routed again the new way (through the outbox).
 */
export async function setDelivery(
  trx: Db,
  config: Pick<Config, 'SESSION_SECRET' | 'hubAllowPrivateWebhooks'>,
  organisationId: string,
  input: DeliveryInput,
  actor: Actor,
): Promise<{ ok: true; secret: string | null } | { ok: false; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const url = input.webhookUrl?.trim() ?? '';
  const alert = input.alertEmail?.trim() ?? '';
  if (input.mode === 'push') {
    const problem = url
      ? webhookUrlProblem(url, config.hubAllowPrivateWebhooks)
      : 'submissions.hub.error.urlRequired';
    if (problem) errors.push({ field: 'webhookUrl', message: problem });
    if (!alert)
      errors.push({ field: 'alertEmail', message: 'submissions.hub.error.alertRequired' });
    else if (!EMAIL.test(alert) || alert.length > 320)
      errors.push({ field: 'alertEmail', message: 'submissions.hub.error.alert' });
  }
  if (errors.length) return { ok: false, errors };
  if (input.mode === 'casework') {
    await trx.deleteFrom('hub_delivery').where('organisation_id', '=', organisationId).execute();
  } else {
    const values = {
      mode: input.mode,
      webhook_url: input.mode === 'push' ? url : null,
      alert_email: input.mode === 'push' ? alert : null,
      updated_by: actor.userId,
      updated_at: new Date(),
    };
    await trx
      .insertInto('hub_delivery')
      .values({ organisation_id: organisationId, ...values })
      .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values))
      .execute();
  }
  const secret =
    input.mode === 'push' && (await activeSecrets(trx, organisationId)).length === 0
      ? await rotateWebhookSecret(trx, config, organisationId, actor)
      : null;
  // Whatever waits undelivered is routed again under the new set-up.
  const waiting = await trx
    .selectFrom('submissions')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'submitted')
    .execute();
  const routing = `route-${Date.now()}`;
  for (const { id } of waiting)
    await enqueue(trx, {
      topic: SUBMITTED_TOPIC,
      payload: { submissionId: id, routing },
      idempotencyKey: `${SUBMITTED_TOPIC}:${id}:${routing}`,
    });
  await recordAudit(trx, actor, {
    action: 'hub.delivery.set',
    resourceType: 'organisation',
    resourceId: organisationId,
    subjectUserId: null,
    details: {
      mode: input.mode,
      webhookUrl: input.mode === 'push' ? url : null,
      rerouted: waiting.length,
    },
  });
  return { ok: true, secret };
}

/** The applicant's "received" e-mail, written outside the transaction (see notifications.ts). */
export interface ReceivedMails {
  received(
    db: Db,
    submission: SubmissionRow,
  ): Promise<{ to: string; subject: string; text: string; organisationId: string } | null>;
}

/**
 * Marks a submission delivered (the body's webhook answered 2xx, or its system acknowledged
 * it from the pull inbox) and queues the applicant's "received" e-mail, once whichever way it
 * came. False when it had been delivered already.
 */
export async function markDelivered(
  trx: Db,
  submission: StoredSubmissionRow,
  via: 'push' | 'pull' | 'reply',
  mail: Awaited<ReturnType<ReceivedMails['received']>>,
): Promise<boolean> {
  const updated = await markReceived(trx, submission.id, via);
  if (updated && mail)
    await enqueue(trx, {
      topic: MAIL_TOPIC,
      payload: { ...mail },
      idempotencyKey: `${SUBMITTED_TOPIC}:${submission.id}:mail`,
    });
  return !!updated;
}

/**
 * The `submission.deliver` handler: POSTs the submission to the body's webhook, signed with
 * every active secret, with `Idempotency-Key: <submission id>`. A 2xx marks it delivered;
 * anything else (another status, a redirect, a timeout, no answer) throws, and the outbox
 * tries again with exponential backoff until the message is 72 hours old. Then the body's
 * alert address is e-mailed and the message is dead (the submission stays in the pull inbox,
 * and a platform admin can send it again from /admin/outbox).
 */
export function webhookDeliveryHandler(
  config: Config,
  mails: ReceivedMails,
  options: { webhookTimeoutMs?: number } = {},
): OutboxHandler {
  const timeoutMs = options.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const handler: OutboxHandler = async (payload, { db }) => {
    const submission = await findSubmissionById(db, String(payload.submissionId));
    if (!submission || submission.status !== 'submitted') return; // gone, or delivered already
    const delivery = await findDelivery(db, submission.organisation_id);
    // Set up differently since: the new set-up routed it again (see setDelivery).
    if (delivery?.mode !== 'push' || !delivery.webhook_url) return;
    const secrets = (await activeSecrets(db, submission.organisation_id)).flatMap((s) =>
      webhookSecrets(config, s.id),
    );
    if (secrets.length === 0) throw new Error('The body has no webhook signing secret');
    const body = JSON.stringify(await receivedSubmission(db, submission));
    // Only the status matters: redirects are not followed, the receiver's body is not read,
    // and a private or local target is refused before any connection (unless allowed).
    const status = await postWebhook({
      url: delivery.webhook_url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Joinedup-Hub/1',
        'joinedup-signature': signatureHeader(secrets, Math.floor(Date.now() / 1000), body),
        'idempotency-key': submission.id,
      },
      body,
      timeoutMs,
      allowPrivate: config.hubAllowPrivateWebhooks,
    });
    if (status < 200 || status > 299) throw new Error(`The webhook answered ${status}`);
    const mail = await mails.received(db, submission);
    await db.transaction().execute((trx) => markDelivered(trx, submission, 'push', mail));
  };
  handler.maxAgeMs = WEBHOOK_MAX_AGE_MS;
  handler.onDead = async (payload, { db, idempotencyKey, error }) => {
    const submission = await findSubmissionById(db, String(payload.submissionId));
    if (!submission) return;
    const delivery = await findDelivery(db, submission.organisation_id);
    const organisation = await findOrganisationById(db, submission.organisation_id);
    const messages = await loadMessages();
    // A refused address is dead at once, not after 72 hours: the e-mail says why.
    const refused = error instanceof RefusedWebhookTarget ? error : undefined;
    const inBoth = (key: string, separator: string) =>
      (['en', 'cy'] as const)
        .map((locale) =>
          translator(messages, locale)(key, {
            organisation:
              (locale === 'cy' ? organisation?.name_cy : null) ?? organisation?.name ?? '',
            reference: submission.reference,
            id: submission.id,
            url: delivery?.webhook_url ?? '—',
            admin: `${config.baseUrl}/admin/hub/${organisation?.slug ?? ''}`,
            host: refused?.host ?? '',
            address: refused?.address ?? '',
          }),
        )
        .join(separator);
    const text = inBoth(
      refused ? 'submissions.hub.mail.deadLetterRefused' : 'submissions.hub.mail.deadLetter',
      '\n\n———\n\n',
    );
    // The address set with the webhook, and every admin of the body.
    const admins = await staffEmailsWithRole(db, submission.organisation_id, 'admin');
    const recipients = [
      ...(delivery?.alert_email ? [{ to: delivery.alert_email, key: '' }] : []),
      ...admins
        .filter((email) => email.toLowerCase() !== delivery?.alert_email?.toLowerCase())
        .map((email) => ({ to: email, key: `:${email.toLowerCase()}` })),
    ];
    await db.transaction().execute(async (trx) => {
      for (const recipient of recipients)
        await enqueue(trx, {
          topic: MAIL_TOPIC,
          payload: {
            to: recipient.to,
            subject: inBoth('submissions.hub.mail.deadLetterSubject', ' / '),
            text,
          },
          idempotencyKey: `${idempotencyKey}:dead-letter-alert${recipient.key}`,
        });
      await recordAudit(
        trx,
        { userId: null, organisationId: null, role: 'system' },
        {
          action: 'submission.delivery_dead_lettered',
          resourceType: 'submission',
          resourceId: submission.id,
          subjectUserId: submission.applicant_user_id,
          details: {
            reference: submission.reference,
            webhookUrl: delivery?.webhook_url ?? null,
            alertedTo: delivery?.alert_email ?? null,
            reason: error instanceof Error ? error.message : null,
          },
        },
      );
    });
  };
  return handler;
}
