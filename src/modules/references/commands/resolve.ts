/**
 * Working the resolution queue: a body's staff link a queued record to the account its facts
 * partly matched (a staff check, with their reason) or reject it (with their reason); the person
 * a record may be about confirms it (their proved identity) or says it is not them.
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { PersonFacts, QueueReason, ReferenceRecordRow } from '../db/tables.js';
import { mayConfirmOwnRecords, mayKeepReferences } from '../policies/references.js';
import { identitySetRow, keepIdentityFacts } from '../queries/identity-set.js';

const REASON_MAX = 1000;

/** Reasons a person may settle themselves: their facts partly matched, nothing disagrees. */
export const PERSON_CONFIRMABLE: readonly QueueReason[] = ['partial-match', 'nino-unconfirmed'];

function readReason(value: string): FieldError[] {
  const reason = value.trim();
  if (!reason) return [{ field: 'reason', message: 'references.resolve.reason.missing' }];
  if (reason.length > REASON_MAX)
    return [{ field: 'reason', message: 'references.resolve.reason.tooLong' }];
  return [];
}

async function lockedRecord(db: Db, id: string) {
  return db
    .selectFrom('reference_records')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Ends the link the reference stands for now, so that another record of it can be linked. */
async function endOtherLink(db: Db, actor: Actor, record: ReferenceRecordRow) {
  const ended = await db
    .updateTable('reference_records')
    .set({ status: 'ended', updated_at: new Date() })
    .where('organisation_id', '=', record.organisation_id)
    .where('subject', '=', record.subject)
    .where('reference', '=', record.reference)
    .where('status', '=', 'linked')
    .where('id', '<>', record.id)
    .returning(['id', 'user_id'])
    .execute();
  for (const row of ended)
    await recordAudit(db, actor, {
      action: 'references.record.ended',
      resourceType: 'reference_record',
      resourceId: row.id,
      subjectUserId: row.user_id,
      details: { reference: record.reference, replacedBy: record.id },
    });
}

/**
 * A staff check: links a queued record of the staff member's body to the account (or business)
 * its facts partly matched, with their reason; a link the reference stood for before ends.
 */
export async function linkByStaffCheck(
  db: Db,
  user: CurrentUser,
  actor: Actor,
  recordId: string,
  reasonText: string,
): Promise<Outcome<{ record: ReferenceRecordRow }> | { ok: false; notFound: true }> {
  const record = await lockedRecord(db, recordId);
  if (!record || !mayKeepReferences(user, record.organisation_id))
    return { ok: false, notFound: true };
  const errors = readReason(reasonText);
  const target =
    record.subject === 'person' ? record.candidate_user_id : record.candidate_business_id;
  if (record.status !== 'queued' && record.status !== 'unmatched')
    errors.push({ field: 'reason', message: 'references.resolve.notWaiting' });
  else if (!target) errors.push({ field: 'reason', message: 'references.resolve.noCandidate' });
  if (errors.length > 0) return { ok: false, errors };
  await endOtherLink(db, actor, record);
  const linked = await db
    .updateTable('reference_records')
    .set({
      status: 'linked',
      user_id: record.subject === 'person' ? target : null,
      business_id: record.subject === 'business' ? target : null,
      candidate_user_id: null,
      candidate_business_id: null,
      queue_reason: null,
      link_method: 'staff-check',
      resolution_reason: reasonText.trim(),
      resolved_by: user.id,
      linked_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', record.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (record.subject === 'person') {
    const facts = record.facts as PersonFacts;
    await keepIdentityFacts(db, target!, {
      nino: facts.nino,
      ninoConfirmedBy: 'staff',
      uprn: facts.uprn ?? null,
    });
  }
  await recordAudit(db, actor, {
    action: 'references.record.linked',
    resourceType: 'reference_record',
    resourceId: record.id,
    subjectUserId: linked.user_id,
    details: {
      reference: record.reference,
      method: 'staff-check',
      queueReason: record.queue_reason,
      reason: reasonText.trim(),
    },
  });
  return { ok: true, record: linked };
}

/** Rejects a waiting record of the staff member's body, with their reason: it links nobody. */
export async function rejectRecord(
  db: Db,
  user: CurrentUser,
  actor: Actor,
  recordId: string,
  reasonText: string,
): Promise<Outcome<{ record: ReferenceRecordRow }> | { ok: false; notFound: true }> {
  const record = await lockedRecord(db, recordId);
  if (!record || !mayKeepReferences(user, record.organisation_id))
    return { ok: false, notFound: true };
  const errors = readReason(reasonText);
  if (record.status !== 'queued' && record.status !== 'unmatched')
    errors.push({ field: 'reason', message: 'references.resolve.notWaiting' });
  if (errors.length > 0) return { ok: false, errors };
  const rejected = await db
    .updateTable('reference_records')
    .set({
      status: 'rejected',
      queue_reason: null,
      resolution_reason: reasonText.trim(),
      resolved_by: user.id,
      updated_at: new Date(),
    })
    .where('id', '=', record.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: 'references.record.rejected',
    resourceType: 'reference_record',
    resourceId: record.id,
    subjectUserId: record.candidate_user_id,
    details: {
      reference: record.reference,
      queueReason: record.queue_reason,
      reason: reasonText.trim(),
    },
  });
  return { ok: true, record: rejected };
}

/**
 * The person a queued record may be about confirms it is theirs (with their proved identity):
 * only for a partial match whose names and date of birth equal their proved identity, and only
 * when nothing disagrees (their known number, another account's number, another link).
 */
export async function confirmByPerson(
  db: Db,
  user: CurrentUser,
  actor: Actor,
  recordId: string,
): Promise<{ ok: true } | { ok: false; notFound: true } | { ok: false; code: 'cannot-confirm' }> {
  const record = await lockedRecord(db, recordId);
  if (
    !record ||
    !mayConfirmOwnRecords(user) ||
    record.subject !== 'person' ||
    record.status !== 'queued' ||
    record.candidate_user_id !== user.id
  )
    return { ok: false, notFound: true };
  const facts = record.facts as PersonFacts;
  const set = await identitySetRow(db, user.id);
  const owner = await db
    .selectFrom('reference_identity_sets')
    .select('user_id')
    .where('nino', '=', facts.nino)
    .executeTakeFirst();
  const otherLink = await db
    .selectFrom('reference_records')
    .select('id')
    .where('organisation_id', '=', record.organisation_id)
    .where('subject', '=', 'person')
    .where('reference', '=', record.reference)
    .where('status', '=', 'linked')
    .executeTakeFirst();
  if (
    !PERSON_CONFIRMABLE.includes(record.queue_reason!) ||
    (set?.nino && set.nino !== facts.nino) ||
    (owner && owner.user_id !== user.id) ||
    otherLink
  )
    return { ok: false, code: 'cannot-confirm' };
  await db
    .updateTable('reference_records')
    .set({
      status: 'linked',
      user_id: user.id,
      candidate_user_id: null,
      queue_reason: null,
      link_method: 'person-confirmed',
      linked_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', record.id)
    .execute();
  await keepIdentityFacts(db, user.id, { nino: facts.nino, ninoConfirmedBy: 'person', uprn: null });
  await recordAudit(db, actor, {
    action: 'references.record.linked',
    resourceType: 'reference_record',
    resourceId: record.id,
    subjectUserId: user.id,
    details: {
      reference: record.reference,
      method: 'person-confirmed',
      queueReason: record.queue_reason,
    },
  });
  return { ok: true };
}

/** The person says a record offered to them is not theirs: it stays queued for the body's staff, with no candidate. */
export async function declineByPerson(
  db: Db,
  user: CurrentUser,
  actor: Actor,
  recordId: string,
): Promise<boolean> {
  const record = await lockedRecord(db, recordId);
  if (
    !record ||
    !mayConfirmOwnRecords(user) ||
    record.status !== 'queued' ||
    record.candidate_user_id !== user.id
  )
    return false;
  await db
    .updateTable('reference_records')
    .set({ candidate_user_id: null, queue_reason: 'partial-match', updated_at: new Date() })
    .where('id', '=', record.id)
    .execute();
  await recordAudit(db, actor, {
    action: 'references.record.declined-by-person',
    resourceType: 'reference_record',
    resourceId: record.id,
    subjectUserId: user.id,
    details: { reference: record.reference },
  });
  return true;
}

/** Ends a person's links and forgets what the index confirmed about them (account deleted). */
export async function endLinksOfAccount(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('reference_records')
    .set({ status: 'ended', updated_at: new Date() })
    .where('user_id', '=', userId)
    .where('status', '=', 'linked')
    .execute();
  await db
    .updateTable('reference_records')
    .set({ candidate_user_id: null, updated_at: new Date() })
    .where('candidate_user_id', '=', userId)
    .execute();
}
