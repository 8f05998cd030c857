import { recordAudit, type Actor } from '../../platform/audit/audit.js';
import type { Config } from '../../platform/config/config.js';
import type { Db } from '../../platform/db/database.js';
import { MAIL_TOPIC } from '../../platform/mail/mailer.js';
import { enqueue, type OutboxHandler } from '../../platform/outbox/outbox.js';
import { staffEmailsWithRole } from '../identity/index.js';
import { findOrganisationById } from '../organisations/index.js';
import {
  activeSecrets,
  findDelivery,
  postWebhook,
  signatureHeader,
  webhookSecrets,
  WEBHOOK_TIMEOUT_MS,
} from '../submissions/index.js';
import { finishIfDone, recordRefusal, SYSTEM, type NotSentReason } from './commands/changes.js';
import type { AgreementRow, ChangeRow, DeliveryRow } from './db/tables.js';
import { pickFields } from './events.js';
import { bilingual } from './mail.js';
import { announceChange } from './measure.js';
import { agreementCovers, basisNeedsConsent } from './queries/agreements.js';

/** A body's endpoint is tried (with the outbox's backoff) for 72 hours, then the delivery fails. */
export const SHARING_MAX_AGE_MS = 72 * 3600 * 1000;

/** What a body receives: only the agreement's fields, with its reference for the person. */
export interface SharedChange {
  id: string;
  cursor: string;
  type: ChangeRow['event_type'];
  reference: string;
  reportedAt: string;
  /** The body's own reference for the person (null for a death: no relationship is used). */
  yourReference: string | null;
  data: Record<string, unknown>;
  agreement: { id: string; legalBasis: string; purpose: string };
  acknowledge: string;
}

export function sharedChange(
  delivery: DeliveryRow,
  change: ChangeRow,
  agreement: AgreementRow,
  baseUrl: string,
): SharedChange {
  return {
    id: delivery.id,
    cursor: String(delivery.seq),
    type: change.event_type,
    reference: change.reference,
    reportedAt: new Date(change.submitted_at).toISOString(),
    yourReference: delivery.body_reference,
    data: pickFields(change.event_type, change.details, agreement.fields),
    agreement: { id: agreement.id, legalBasis: agreement.legal_basis, purpose: agreement.purpose },
    acknowledge: `${baseUrl}/api/v1/sharing/deliveries/${delivery.id}/answer`,
  };
}

/**
 * The check at the moment of sending, in the caller's transaction with the delivery and its
 * consent locked (a withdrawal waits for it, or it sees the withdrawal): the change must have
 * been let go, the agreement must still be in force for the change, and a consent basis needs
 * the consent still live. Returns what to send, or why not.
 */
export async function checkAtSending(
  trx: Db,
  deliveryId: string,
  now: Date,
): Promise<
  | { send: true; delivery: DeliveryRow; change: ChangeRow; agreement: AgreementRow }
  | { send: false; reason: NotSentReason | null; delivery?: DeliveryRow; change?: ChangeRow }
> {
  const delivery = await trx
    .selectFrom('sharing_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .forUpdate()
    .executeTakeFirst();
  if (!delivery || delivery.status !== 'waiting') return { send: false, reason: null };
  const change = await trx
    .selectFrom('sharing_changes')
    .selectAll()
    .where('id', '=', delivery.change_id)
    .executeTakeFirstOrThrow();
  if (change.status !== 'sending') return { send: false, reason: null };
  const agreement = delivery.agreement_id
    ? await trx
        .selectFrom('sharing_agreements')
        .selectAll()
        .where('id', '=', delivery.agreement_id)
        .executeTakeFirst()
    : undefined;
  if (!agreement || !agreementCovers(agreement, change.event_type, now))
    return { send: false, reason: 'agreement-ended', delivery, change };
  if (basisNeedsConsent(agreement.legal_basis)) {
    const consent = delivery.consent_id
      ? await trx
          .selectFrom('sharing_consents')
          .selectAll()
          .where('id', '=', delivery.consent_id)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (!consent || consent.withdrawn_at !== null)
      return { send: false, reason: 'consent-withdrawn', delivery, change };
  }
  return { send: true, delivery, change, agreement };
}

/** Not sent after all: recorded on the delivery, in the audit log, and the change may be done. */
async function refuse(
  trx: Db,
  actor: Actor,
  delivery: DeliveryRow,
  change: ChangeRow,
  reason: NotSentReason,
  baseUrl: string,
): Promise<void> {
  await trx
    .updateTable('sharing_deliveries')
    .set({ status: 'not-sent', reason, updated_at: new Date() })
    .where('id', '=', delivery.id)
    .execute();
  await recordRefusal(trx, actor, change, delivery, reason);
  await finishIfDone(trx, change.id, baseUrl);
}

async function recordSent(
  trx: Db,
  actor: Actor,
  delivery: DeliveryRow,
  change: ChangeRow,
  agreement: AgreementRow,
  via: 'push' | 'pull',
): Promise<void> {
  await recordAudit(trx, actor, {
    action: 'sharing.sent',
    resourceType: 'sharing_delivery',
    resourceId: delivery.id,
    subjectUserId: change.user_id,
    details: {
      reference: change.reference,
      type: change.event_type,
      organisationId: delivery.organisation_id,
      agreementId: agreement.id,
      legalBasis: agreement.legal_basis,
      consentId: delivery.consent_id,
      fields: Object.keys(pickFields(change.event_type, change.details, agreement.fields)),
      via,
    },
  });
}

export interface DeliveryOptions {
  webhookTimeoutMs?: number;
  /** The clock agreements are checked against (tests move it). */
  now?: () => Date;
}

/**
 * The `sharing.deliver` handler: checks again that the change may go to the body (agreement in
 * force, consent live) and either records it not sent, or sends it — to the body's webhook,
 * signed the hub's way with `Idempotency-Key: <delivery id>`, or into its pull inbox. The
 * delivery is marked sent in the same transaction as the check, before the POST, so a consent
 * withdrawn after that moment cannot unsend it and one withdrawn before stops it. A failed POST
 * puts it back to waiting and throws: the outbox tries again for 72 hours, then `onDead` marks
 * it failed and e-mails the body's alert address and admins.
 */
export function sharingDeliveryHandler(
  config: Config,
  options: DeliveryOptions = {},
): OutboxHandler {
  const now = options.now ?? (() => new Date());
  const handler: OutboxHandler = async (payload, { db }) => {
    const deliveryId = String(payload.deliveryId);
    const organisationId = (
      await db
        .selectFrom('sharing_deliveries')
        .select('organisation_id')
        .where('id', '=', deliveryId)
        .executeTakeFirst()
    )?.organisation_id;
    if (!organisationId) return;
    const setup = await findDelivery(db, organisationId);
    const push = setup?.mode === 'push' && !!setup.webhook_url;
    const secrets = push
      ? (await activeSecrets(db, organisationId)).flatMap((s) => webhookSecrets(config, s.id))
      : [];
    const claimed = await db.transaction().execute(async (trx) => {
      // Claimed before but never confirmed (the node stopped during the POST, or after it but
      // before the message was marked done): checked again, and sent again if it still may be
      // (the receiver drops the repeat by its Idempotency-Key).
      await trx
        .updateTable('sharing_deliveries')
        .set({ status: 'waiting', via: null, sent_at: null })
        .where('id', '=', deliveryId)
        .where('status', '=', 'sent')
        .where('via', '=', 'push')
        .where('confirmed_at', 'is', null)
        .where('answered_at', 'is', null)
        .execute();
      const check = await checkAtSending(trx, deliveryId, now());
      if (!check.send) {
        if (check.reason && check.delivery && check.change)
          await refuse(trx, SYSTEM, check.delivery, check.change, check.reason, config.baseUrl);
        return undefined;
      }
      if (!push) {
        // Pull: in the body's inbox from now; checked again when the body takes it.
        await trx
          .updateTable('sharing_deliveries')
          .set({ ready_at: now(), updated_at: new Date() })
          .where('id', '=', deliveryId)
          .execute();
        return undefined;
      }
      if (secrets.length === 0) throw new Error('The body has no webhook signing secret');
      await trx
        .updateTable('sharing_deliveries')
        .set({ status: 'sent', via: 'push', sent_at: now(), updated_at: new Date() })
        .where('id', '=', deliveryId)
        .execute();
      await recordSent(trx, SYSTEM, check.delivery, check.change, check.agreement, 'push');
      return check;
    });
    if (!claimed) return;
    const body = JSON.stringify(
      sharedChange(claimed.delivery, claimed.change, claimed.agreement, config.baseUrl),
    );
    let status = 0;
    try {
      status = await postWebhook({
        url: setup!.webhook_url!,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Joinedup-Hub/1',
          'joinedup-signature': signatureHeader(secrets, Math.floor(Date.now() / 1000), body),
          'joinedup-event': 'sharing.change',
          'idempotency-key': deliveryId,
        },
        body,
        timeoutMs: options.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS,
        allowPrivate: config.hubAllowPrivateWebhooks,
      });
    } finally {
      if (status < 200 || status > 299)
        // Not received: waiting again, and checked again before the next attempt.
        await db
          .updateTable('sharing_deliveries')
          .set({ status: 'waiting', via: null, sent_at: null, updated_at: new Date() })
          .where('id', '=', deliveryId)
          .where('status', '=', 'sent')
          .execute();
    }
    if (status < 200 || status > 299) throw new Error(`The webhook answered ${status}`);
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('sharing_deliveries')
        .set({ confirmed_at: new Date() })
        .where('id', '=', deliveryId)
        .where('confirmed_at', 'is', null)
        .execute();
      // Received by the body: delivered, for the joined-up-ness measure.
      await announceChange(trx, claimed.change.id);
    });
  };
  handler.maxAgeMs = SHARING_MAX_AGE_MS;
  handler.onDead = async (payload, { db, idempotencyKey, error }) => {
    const deliveryId = String(payload.deliveryId);
    const delivery = await db
      .selectFrom('sharing_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    if (!delivery || delivery.status !== 'waiting') return;
    const change = await db
      .selectFrom('sharing_changes')
      .selectAll()
      .where('id', '=', delivery.change_id)
      .executeTakeFirstOrThrow();
    const setup = await findDelivery(db, delivery.organisation_id);
    const organisation = await findOrganisationById(db, delivery.organisation_id);
    const values = (locale: 'en' | 'cy') => ({
      organisation: (locale === 'cy' ? organisation?.name_cy : null) ?? organisation?.name ?? '',
      id: delivery.id,
      url: setup?.webhook_url ?? '—',
      reason: error instanceof Error ? error.message : '',
    });
    const subject = await bilingual('sharing.mail.deadSubject', values, ' / ');
    const text = await bilingual('sharing.mail.dead', values);
    const admins = await staffEmailsWithRole(db, delivery.organisation_id, 'admin');
    const recipients = [
      ...(setup?.alert_email ? [setup.alert_email] : []),
      ...admins.filter((email) => email.toLowerCase() !== setup?.alert_email?.toLowerCase()),
    ];
    await db.transaction().execute(async (trx) => {
      const failed = await trx
        .updateTable('sharing_deliveries')
        .set({ status: 'failed', reason: 'endpoint-unreachable', updated_at: new Date() })
        .where('id', '=', delivery.id)
        .where('status', '=', 'waiting')
        .executeTakeFirst();
      if (Number(failed.numUpdatedRows) !== 1) return;
      for (const to of recipients)
        await enqueue(trx, {
          topic: MAIL_TOPIC,
          payload: { to, subject, text },
          idempotencyKey: `${idempotencyKey}:alert:${to.toLowerCase()}`,
        });
      await recordAudit(trx, SYSTEM, {
        action: 'sharing.failed',
        resourceType: 'sharing_delivery',
        resourceId: delivery.id,
        subjectUserId: change.user_id,
        details: {
          reference: change.reference,
          organisationId: delivery.organisation_id,
          webhookUrl: setup?.webhook_url ?? null,
          alerted: recipients,
          reason: error instanceof Error ? error.message : null,
        },
      });
      await finishIfDone(trx, change.id, config.baseUrl);
    });
  };
  return handler;
}

/**
 * A page of the body's pull inbox after `after` (a cursor), oldest first: changes ready for it
 * and not yet answered. Each one taken for the first time is checked again here (agreement,
 * consent) and either marked sent — and audited — or not sent.
 */
export async function pullInbox(
  db: Db,
  organisationId: string,
  after: number,
  limit: number,
  actor: Actor,
  baseUrl: string,
  now: Date = new Date(),
): Promise<{ items: SharedChange[]; more: boolean }> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('sharing_deliveries')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('ready_at', 'is not', null)
      .where('status', 'in', ['waiting', 'sent'])
      .where('seq', '>', String(after))
      .orderBy('seq')
      .limit(limit + 1)
      .execute();
    const items: SharedChange[] = [];
    for (const { id } of rows.slice(0, limit)) {
      const check = await checkAtSending(trx, id, now);
      if (check.send) {
        await trx
          .updateTable('sharing_deliveries')
          .set({ status: 'sent', via: 'pull', sent_at: now, updated_at: new Date() })
          .where('id', '=', id)
          .execute();
        await recordSent(trx, actor, check.delivery, check.change, check.agreement, 'pull');
        // Taken by the body from its inbox: delivered, for the joined-up-ness measure.
        await announceChange(trx, check.change.id);
        items.push(sharedChange(check.delivery, check.change, check.agreement, baseUrl));
        continue;
      }
      if (check.reason && check.delivery && check.change) {
        await refuse(trx, actor, check.delivery, check.change, check.reason, baseUrl);
        continue;
      }
      // Sent before and not yet answered: offered again.
      const delivery = await trx
        .selectFrom('sharing_deliveries')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (delivery.status !== 'sent') continue;
      const change = await trx
        .selectFrom('sharing_changes')
        .selectAll()
        .where('id', '=', delivery.change_id)
        .executeTakeFirstOrThrow();
      const agreement = await trx
        .selectFrom('sharing_agreements')
        .selectAll()
        .where('id', '=', delivery.agreement_id!)
        .executeTakeFirstOrThrow();
      items.push(sharedChange(delivery, change, agreement, baseUrl));
    }
    return { items, more: rows.length > limit };
  });
}
