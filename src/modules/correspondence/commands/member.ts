/**
 * Letters from MPs, Members of the Senedd, councillors and peers, usually on behalf of a
 * constituent: staff record each with an owner and a due date, draft the reply, a team leader
 * clears it, and it is sent. Editing a cleared draft takes the clearance away.
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { Outcome } from '../../../platform/errors/errors.js';
import { stageDue } from '../clock/statutory-clock.js';
import type { CorrespondenceRow } from '../db/tables.js';
import { mayClearReply, mayWorkCorrespondence } from '../policies/correspondence.js';
import { settingsOf } from '../queries/items.js';
import { asMemberRole, LIMITS, memberLetterErrors, type MemberLetterForm } from '../rules/forms.js';
import { newReference } from './reference.js';
import { lockForWork, ownerOf, type WorkOutcome } from './work.js';

const STATE_CHANGED: FieldError = { field: 'state', message: 'correspondence.state.changed' };

async function audit(trx: Db, actor: Actor, item: CorrespondenceRow, action: string) {
  await recordAudit(trx, actor, {
    action: `correspondence.member.${action}`,
    resourceType: 'correspondence',
    resourceId: item.id,
    subjectUserId: null,
    details: { reference: item.reference },
  });
}

/** Records a member's letter to the user's body, due after the body's reply time. */
export async function recordMemberLetter(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  organisationId: string,
  values: MemberLetterForm,
  now: Date,
): Promise<Outcome<{ item: CorrespondenceRow }>> {
  if (!mayWorkCorrespondence(user, organisationId)) throw notFound();
  const errors = memberLetterErrors(values);
  const owner = await ownerOf(trx, organisationId, values.ownerId);
  if (owner === undefined)
    errors.push({ field: 'ownerId', message: 'correspondence.owner.unknown' });
  if (errors.length > 0 || owner === undefined) return { ok: false, errors };
  const { member_reply_days } = await settingsOf(trx, organisationId);
  const item = await trx
    .insertInto('correspondence')
    .values({
      reference: newReference('member'),
      kind: 'member',
      organisation_id: organisationId,
      requester_name: values.memberName,
      requester_email: values.memberEmail || null,
      language: 'en',
      member_role: asMemberRole(values.memberRole),
      constituent_name: values.constituentName || null,
      subject: values.subject,
      details: values.details,
      state: 'drafting',
      received_at: now,
      clock_started_at: now,
      due_at: stageDue(now, member_reply_days),
      owner_id: owner,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, item, 'recorded');
  return { ok: true, item };
}

async function setAndAudit(
  trx: Db,
  actor: Actor,
  item: CorrespondenceRow,
  changes: Partial<
    Pick<
      CorrespondenceRow,
      | 'state'
      | 'draft'
      | 'cleared_by'
      | 'cleared_at'
      | 'response'
      | 'responded_at'
      | 'responded_by'
      | 'due_at'
    >
  >,
  action: string,
): Promise<CorrespondenceRow> {
  const changed = await trx
    .updateTable('correspondence')
    .set({ ...changes, version: item.version + 1 })
    .where('id', '=', item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, changed, action);
  return changed;
}

/** Saves the draft reply; a cleared draft that is changed goes back to drafting. */
export async function saveDraft(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  draft: string,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (item.kind !== 'member' || (item.state !== 'drafting' && item.state !== 'cleared'))
    return { ok: false, errors: [STATE_CHANGED] };
  if (draft === '' || draft.length > LIMITS.response)
    return {
      ok: false,
      errors: [
        { field: 'draft', message: `correspondence.draft.${draft === '' ? 'missing' : 'tooLong'}` },
      ],
    };
  const changed = await setAndAudit(
    trx,
    actor,
    item,
    { state: 'drafting', draft, cleared_by: null, cleared_at: null },
    'drafted',
  );
  return { ok: true, item: changed };
}

/** A team leader clears the draft for sending. */
export async function clearReply(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (!mayClearReply(user, item.organisation_id)) throw notFound({ reference });
  if (item.kind !== 'member' || item.state !== 'drafting' || !item.draft)
    return { ok: false, errors: [STATE_CHANGED] };
  const changed = await setAndAudit(
    trx,
    actor,
    item,
    { state: 'cleared', cleared_by: user.id, cleared_at: now },
    'cleared',
  );
  return { ok: true, item: changed };
}

/** Records the cleared reply as sent: the clock stops and the draft is the reply. */
export async function sendReply(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (item.kind !== 'member' || item.state !== 'cleared')
    return { ok: false, errors: [STATE_CHANGED] };
  const changed = await setAndAudit(
    trx,
    actor,
    item,
    { state: 'sent', response: item.draft, responded_at: now, responded_by: user.id, due_at: null },
    'sent',
  );
  return { ok: true, item: changed };
}
