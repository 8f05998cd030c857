import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { findUserById } from '../../identity/index.js';
import type { ChangeRow, DeliveryRow, EventType } from '../db/tables.js';
import { needsVerification, parseDetails } from '../events.js';
import { bilingual } from '../mail.js';
import { announceChange } from '../measure.js';
import { planRecipients } from '../queries/plan.js';

/** The outbox topic of one change told to one body. */
export const DELIVER_TOPIC = 'sharing.deliver';

/** Why a change was not sent to a body, as the person's status page and the audit log say it. */
export const NOT_SENT_REASONS = [
  'no-agreement',
  'no-consent',
  'consent-withdrawn',
  'agreement-ended',
  'report-rejected',
] as const;
export type NotSentReason = (typeof NOT_SENT_REASONS)[number];

/** The platform acting on its own (the outbox worker), as the audit log records it. */
export const SYSTEM: Actor = { userId: null, organisationId: null, role: 'system' };

export function deliveryKey(deliveryId: string): string {
  return `${DELIVER_TOPIC}:${deliveryId}`;
}

function newReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(8);
  return `TUO-${[...bytes].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

export interface NewChange {
  userId: string;
  type: EventType;
  details: unknown;
  /** The agreements (of bodies told on consent) the person ticked. */
  consentedAgreementIds: readonly string[];
}

/**
 * Records a change of circumstances and one delivery per body, in the caller's transaction.
 * The bodies are worked out again here: each of the person's bodies with a live agreement
 * covering the change is sent it — on consent only if ticked — and every other is recorded as
 * not sent, with why, in the audit log too. A death report is held for staff to verify;
 * anything else is queued at once (one outbox message per body).
 */
export async function submitChange(
  trx: Db,
  change: NewChange,
  actor: Actor,
  baseUrl: string,
): Promise<{ ok: true; change: ChangeRow } | { ok: false; problems: string[] }> {
  const parsed = parseDetails(change.type, change.details);
  if (!parsed.ok) return parsed;
  const held = needsVerification(change.type);
  const recipients = await planRecipients(trx, change.userId, change.type);
  const row = await trx
    .insertInto('sharing_changes')
    .values({
      reference: newReference(),
      user_id: change.userId,
      event_type: change.type,
      details: JSON.stringify(parsed.details),
      status: held ? 'held' : 'sending',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'sharing.change.reported',
    resourceType: 'sharing_change',
    resourceId: row.id,
    subjectUserId: change.userId,
    details: { reference: row.reference, type: change.type, held },
  });
  for (const recipient of recipients) {
    const agreement = recipient.agreement;
    const consented = !!agreement && change.consentedAgreementIds.includes(agreement.id);
    const reason: NotSentReason | null = !agreement
      ? 'no-agreement'
      : recipient.needsConsent && !consented
        ? 'no-consent'
        : null;
    const consentId =
      agreement && recipient.needsConsent && consented
        ? await giveConsent(trx, change.userId, agreement.id, actor)
        : null;
    const delivery = await trx
      .insertInto('sharing_deliveries')
      .values({
        change_id: row.id,
        organisation_id: recipient.organisationId,
        agreement_id: agreement?.id ?? null,
        consent_id: consentId,
        body_reference: recipient.bodyReference,
        status: reason ? 'not-sent' : 'waiting',
        reason,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (reason) await recordRefusal(trx, actor, row, delivery, reason);
    else if (!held) await queueDelivery(trx, delivery.id);
  }
  await finishIfDone(trx, row.id, baseUrl);
  return { ok: true, change: row };
}

async function queueDelivery(trx: Db, deliveryId: string): Promise<void> {
  await enqueue(trx, {
    topic: DELIVER_TOPIC,
    payload: { deliveryId },
    idempotencyKey: deliveryKey(deliveryId),
  });
}

/** The person's live consent to an agreement: the one they have, or a new one. */
export async function giveConsent(
  trx: Db,
  userId: string,
  agreementId: string,
  actor: Actor,
): Promise<string> {
  const live = await trx
    .selectFrom('sharing_consents')
    .select('id')
    .where('user_id', '=', userId)
    .where('agreement_id', '=', agreementId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  if (live) return live.id;
  const made = await trx
    .insertInto('sharing_consents')
    .values({ user_id: userId, agreement_id: agreementId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'sharing.consent.given',
    resourceType: 'sharing_consent',
    resourceId: made.id,
    subjectUserId: userId,
    details: { agreementId },
  });
  return made.id;
}

/** Writes "not sent to this body, and why" to the audit log, with the person as subject. */
export async function recordRefusal(
  trx: Db,
  actor: Actor,
  change: Pick<ChangeRow, 'id' | 'reference' | 'user_id' | 'event_type'>,
  delivery: Pick<DeliveryRow, 'id' | 'organisation_id' | 'agreement_id'>,
  reason: NotSentReason,
): Promise<void> {
  await recordAudit(trx, actor, {
    action: 'sharing.refused',
    resourceType: 'sharing_delivery',
    resourceId: delivery.id,
    subjectUserId: change.user_id,
    details: {
      reference: change.reference,
      type: change.event_type,
      organisationId: delivery.organisation_id,
      agreementId: delivery.agreement_id,
      reason,
    },
  });
}

/** Marks waiting deliveries not sent (and audits each); returns the changes they belonged to. */
export async function stopWaiting(
  trx: Db,
  actor: Actor,
  where: { consentId?: string; changeId?: string },
  reason: NotSentReason,
): Promise<string[]> {
  let query = trx
    .updateTable('sharing_deliveries')
    .set({ status: 'not-sent', reason, updated_at: new Date() })
    .where('status', '=', 'waiting');
  if (where.consentId) query = query.where('consent_id', '=', where.consentId);
  if (where.changeId) query = query.where('change_id', '=', where.changeId);
  const stopped = await query.returningAll().execute();
  const changes = new Set<string>();
  for (const delivery of stopped) {
    const change = await trx
      .selectFrom('sharing_changes')
      .selectAll()
      .where('id', '=', delivery.change_id)
      .executeTakeFirstOrThrow();
    await recordRefusal(trx, actor, change, delivery, reason);
    changes.add(change.id);
  }
  // Not sent after all: the joined-up-ness measure no longer expects these bodies to be told.
  for (const changeId of changes) await announceChange(trx, changeId);
  return [...changes];
}

/** A body is done with a change once it has answered, failed, or was never to be sent it. */
const UNFINISHED = ['waiting', 'sent'] as const;

/**
 * Once no body is still to be sent a change or to acknowledge it, the change is done and the
 * person is e-mailed (once: the outbox key is the change's) to look at who was told.
 */
export async function finishIfDone(trx: Db, changeId: string, baseUrl: string): Promise<boolean> {
  // Called after every step of a change's deliveries: the performance module measures it again.
  await announceChange(trx, changeId);
  const open = await trx
    .selectFrom('sharing_deliveries')
    .select('id')
    .where('change_id', '=', changeId)
    .where('status', 'in', [...UNFINISHED])
    .executeTakeFirst();
  if (open) return false;
  const finished = await trx
    .updateTable('sharing_changes')
    .set({ status: 'done', completed_at: new Date() })
    .where('id', '=', changeId)
    .where('status', '=', 'sending')
    .returningAll()
    .executeTakeFirst();
  if (!finished) return false;
  const person = await findUserById(trx, finished.user_id);
  if (person)
    await enqueue(trx, {
      topic: MAIL_TOPIC,
      payload: {
        to: person.email,
        subject: await bilingual('sharing.mail.doneSubject', () => ({}), ' / '),
        text: await bilingual('sharing.mail.done', () => ({
          name: person.display_name,
          reference: finished.reference,
          url: `${baseUrl}/tell-us-once/changes/${finished.reference}`,
        })),
      },
      idempotencyKey: `sharing.done:${finished.id}`,
    });
  return true;
}

/**
 * Withdraws one of the person's own consents. Sharing stops at once: every delivery waiting
 * under it is not sent (and the delivery handler checks the consent again at sending time).
 * False when it is not theirs or already withdrawn.
 */
export async function withdrawConsent(
  trx: Db,
  userId: string,
  consentId: string,
  actor: Actor,
  baseUrl: string,
): Promise<boolean> {
  const withdrawn = await trx
    .updateTable('sharing_consents')
    .set({ withdrawn_at: new Date() })
    .where('id', '=', consentId)
    .where('user_id', '=', userId)
    .where('withdrawn_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!withdrawn) return false;
  await recordAudit(trx, actor, {
    action: 'sharing.consent.withdrawn',
    resourceType: 'sharing_consent',
    resourceId: withdrawn.id,
    subjectUserId: userId,
    details: { agreementId: withdrawn.agreement_id },
  });
  for (const changeId of await stopWaiting(
    trx,
    actor,
    { consentId: withdrawn.id },
    'consent-withdrawn',
  ))
    await finishIfDone(trx, changeId, baseUrl);
  return true;
}

/**
 * Staff's decision on a held death report: verified (checked against the register) lets its
 * deliveries go; rejected stops them all. Either way with the reason, in the audit log.
 */
export async function decideHeldChange(
  trx: Db,
  changeId: string,
  decision: { verified: boolean; note: string },
  actor: Actor,
  baseUrl: string,
): Promise<ChangeRow | undefined> {
  const change = await trx
    .updateTable('sharing_changes')
    .set({
      status: decision.verified ? 'sending' : 'rejected',
      verified_by: actor.userId,
      verified_at: new Date(),
      verification_note: decision.note,
    })
    .where('id', '=', changeId)
    .where('status', '=', 'held')
    .returningAll()
    .executeTakeFirst();
  if (!change) return undefined;
  await recordAudit(trx, actor, {
    action: decision.verified ? 'sharing.change.verified' : 'sharing.change.rejected',
    resourceType: 'sharing_change',
    resourceId: change.id,
    subjectUserId: change.user_id,
    details: { reference: change.reference, note: decision.note },
  });
  if (decision.verified) {
    const waiting = await trx
      .selectFrom('sharing_deliveries')
      .select('id')
      .where('change_id', '=', change.id)
      .where('status', '=', 'waiting')
      .execute();
    for (const { id } of waiting) await queueDelivery(trx, id);
    await finishIfDone(trx, change.id, baseUrl);
  } else {
    await stopWaiting(trx, actor, { changeId: change.id }, 'report-rejected');
  }
  return change;
}

/** What a body may answer about a change it was sent. */
export const ANSWERS = ['acknowledged', 'updated', 'failed'] as const;
export type Answer = (typeof ANSWERS)[number];

const MAY_FOLLOW: Record<string, readonly Answer[]> = {
  sent: ANSWERS,
  acknowledged: ['acknowledged', 'updated', 'failed'],
  updated: ['updated'],
  failed: ['failed'],
};

/**
 * A body's answer about a delivery sent to it: acknowledged (received), updated (its record
 * changed) or failed (with its reason, such as not knowing the person). Repeating an answer
 * changes nothing; an answer about something not yet sent, or after a final answer, is refused.
 */
export async function answerDelivery(
  trx: Db,
  organisationId: string,
  deliveryId: string,
  answer: { status: Answer; reason?: string | undefined },
  actor: Actor,
  baseUrl: string,
): Promise<
  | { ok: true; delivery: DeliveryRow }
  | { ok: false; code: 'not_found' | 'not_sent_yet' | 'already_final' }
> {
  const delivery = await trx
    .selectFrom('sharing_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .where('organisation_id', '=', organisationId)
    .forUpdate()
    .executeTakeFirst();
  // A delivery never sent to the body is not the body's to see.
  if (!delivery || delivery.sent_at === null) return { ok: false, code: 'not_found' };
  const allowed = MAY_FOLLOW[delivery.status];
  if (!allowed) return { ok: false, code: 'not_sent_yet' };
  if (!allowed.includes(answer.status)) return { ok: false, code: 'already_final' };
  if (delivery.status === answer.status) return { ok: true, delivery };
  const updated = await trx
    .updateTable('sharing_deliveries')
    .set({
      status: answer.status,
      reason: answer.reason ?? null,
      answered_at: sql<Date>`now()`,
      updated_at: new Date(),
    })
    .where('id', '=', delivery.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const change = await trx
    .selectFrom('sharing_changes')
    .selectAll()
    .where('id', '=', delivery.change_id)
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: `sharing.${answer.status}`,
    resourceType: 'sharing_delivery',
    resourceId: delivery.id,
    subjectUserId: change.user_id,
    details: { reference: change.reference, organisationId, reason: answer.reason ?? null },
  });
  await finishIfDone(trx, change.id, baseUrl);
  return { ok: true, delivery: updated };
}

/**
 * A deleted account shares nothing more: its consents are withdrawn (what waits under them is
 * not sent), and its journey in progress goes. Its changes stay for the bodies' and the audit
 * log's sake until retention removes them.
 */
export async function endSharingForAccount(trx: Db, userId: string): Promise<void> {
  const consents = await trx
    .updateTable('sharing_consents')
    .set({ withdrawn_at: new Date() })
    .where('user_id', '=', userId)
    .where('withdrawn_at', 'is', null)
    .returning('id')
    .execute();
  for (const { id } of consents)
    await stopWaiting(trx, SYSTEM, { consentId: id }, 'consent-withdrawn');
  await trx.deleteFrom('sharing_drafts').where('user_id', '=', userId).execute();
}
