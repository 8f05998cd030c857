import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError, type Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser, RetentionRecordType } from '../../../platform/http/types.js';
import { endOfLondonDay } from '../../../platform/time/london.js';
import { parseDateParts } from '../../../platform/validation/validators.js';
import { findUserIdByEmail } from '../../identity/index.js';
import { mayManageRetention } from '../policies/retention.js';

/** What staff typed to place a hold. */
export interface HoldInput {
  organisationId: string;
  /** `person` or `record`. */
  subject: string;
  /** The person's e-mail address (a person hold). */
  email: string;
  /** The record type and the reference staff know the record by (a record hold). */
  recordType: string;
  identifier: string;
  reason: string;
  /** The optional end date's three boxes. */
  endDay: string;
  endMonth: string;
  endYear: string;
}

const REASON_MAX = 1000;

/**
 * Places a legal hold: while it is in force, the body's records about the person (or the one
 * record) are never deleted or anonymised. The person must have an account; the record must be
 * this body's. Audited. Only the body's admins (or a platform admin).
 */
export async function placeLegalHold(
  trx: Db,
  user: CurrentUser | null,
  types: readonly RetentionRecordType[],
  input: HoldInput,
  actor: Actor,
  now = new Date(),
): Promise<Outcome<{ holdId: string }>> {
  if (!user || !mayManageRetention(user, input.organisationId))
    throw notFound({ reason: 'may not place this body’s legal holds', userId: user?.id });
  const errors: FieldError[] = [];
  let person: { id: string; label: string } | undefined;
  let record: { type: string; id: string; label: string } | undefined;
  if (input.subject === 'person') {
    const email = input.email.trim();
    if (!email) errors.push({ field: 'email', message: 'retention.errors.emailRequired' });
    else {
      const id = await findUserIdByEmail(trx, email);
      if (!id) errors.push({ field: 'email', message: 'retention.errors.emailUnknown' });
      else person = { id, label: email.toLowerCase() };
    }
  } else if (input.subject === 'record') {
    const type = types.find((candidate) => candidate.key === input.recordType);
    const identifier = input.identifier.trim();
    if (!type) errors.push({ field: 'recordType', message: 'retention.errors.recordTypeRequired' });
    if (!identifier)
      errors.push({ field: 'identifier', message: 'retention.errors.identifierRequired' });
    else if (type) {
      const found = await type.resolve(trx, input.organisationId, identifier);
      if (!found)
        errors.push({ field: 'identifier', message: 'retention.errors.identifierUnknown' });
      else record = { type: type.key, id: found.id, label: found.reference };
    }
  } else errors.push({ field: 'subject', message: 'retention.errors.subjectRequired' });
  const reason = input.reason.trim();
  if (!reason) errors.push({ field: 'reason', message: 'retention.errors.reasonRequired' });
  else if (reason.length > REASON_MAX)
    errors.push({ field: 'reason', message: 'retention.errors.reasonTooLong' });
  let endsAt: Date | null = null;
  const end = parseDateParts(input.endDay, input.endMonth, input.endYear);
  if ('date' in end) {
    endsAt = endOfLondonDay(end.date);
    if (endsAt.getTime() <= now.getTime())
      errors.push({ field: 'endDay', message: 'retention.errors.endInPast' });
  } else if (end.problem !== 'required')
    errors.push({ field: 'endDay', message: 'retention.errors.endInvalid' });
  if (errors.length > 0 || (!person && !record)) return { ok: false, errors };
  const hold = await trx
    .insertInto('legal_holds')
    .values({
      organisation_id: input.organisationId,
      subject: person ? 'person' : 'record',
      person_user_id: person?.id ?? null,
      record_type: record?.type ?? null,
      record_id: record?.id ?? null,
      label: (person?.label ?? record?.label)!,
      reason,
      ends_at: endsAt,
      placed_by: user.id,
      placed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'retention.hold.placed',
    resourceType: 'legal-hold',
    resourceId: hold.id,
    subjectUserId: person?.id ?? null,
    details: {
      organisationId: input.organisationId,
      subject: person ? 'person' : 'record',
      recordType: record?.type ?? null,
      recordId: record?.id ?? null,
      endsAt: endsAt?.toISOString() ?? null,
    },
  });
  return { ok: true, holdId: hold.id };
}

/**
 * Lifts a hold in force; the records it protected become due again if their period is over.
 * Audited. Returns false when there is no such hold in force for this body.
 */
export async function liftLegalHold(
  trx: Db,
  user: CurrentUser | null,
  input: { organisationId: string; holdId: string },
  actor: Actor,
  now = new Date(),
): Promise<boolean> {
  if (!user || !mayManageRetention(user, input.organisationId))
    throw notFound({ reason: 'may not lift this body’s legal holds', userId: user?.id });
  const lifted = await trx
    .updateTable('legal_holds')
    .set({ lifted_at: now, lifted_by: user.id })
    .where('id', '=', input.holdId)
    .where('organisation_id', '=', input.organisationId)
    .where('lifted_at', 'is', null)
    .returning(['id', 'person_user_id'])
    .executeTakeFirst();
  if (!lifted) return false;
  await recordAudit(trx, actor, {
    action: 'retention.hold.lifted',
    resourceType: 'legal-hold',
    resourceId: lifted.id,
    subjectUserId: lifted.person_user_id,
    details: { organisationId: input.organisationId },
  });
  return true;
}
