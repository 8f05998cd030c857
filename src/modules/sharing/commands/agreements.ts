import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { endOfLondonDay, isIsoDate, londonTime } from '../../../platform/time/london.js';
import {
  EVENT_TYPES,
  LEGAL_BASES,
  type AgreementRow,
  type EventType,
  type LegalBasis,
} from '../db/tables.js';
import { ALL_FIELDS } from '../events.js';

/** The agreement form as typed (dates as YYYY-MM-DD, London days). */
export interface AgreementInput {
  organisationId: string;
  eventTypes: string[];
  fields: string[];
  legalBasis: string;
  purpose: string;
  purposeCy: string;
  startsOn: string;
  endsOn: string;
}

/**
 * Registers a data-sharing agreement (platform admins): which kinds of change go to which
 * body, which of their fields, on which Article 6 basis and for what purpose, from the start
 * of its first day to the end of its last (London time). Each field must belong to a kind of
 * change the agreement covers.
 */
export async function createAgreement(
  trx: Db,
  input: AgreementInput,
  organisationIds: ReadonlySet<string>,
  actor: Actor,
): Promise<{ ok: true; agreement: AgreementRow } | { ok: false; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  if (!organisationIds.has(input.organisationId))
    errors.push({ field: 'organisationId', message: 'sharing.admin.error.organisation' });
  const types = input.eventTypes.filter((t): t is EventType =>
    (EVENT_TYPES as readonly string[]).includes(t),
  );
  if (types.length === 0 || types.length !== input.eventTypes.length)
    errors.push({ field: 'eventTypes', message: 'sharing.admin.error.eventTypes' });
  const fields = input.fields.filter((f) => ALL_FIELDS.includes(f));
  if (
    fields.length === 0 ||
    fields.length !== input.fields.length ||
    fields.some((f) => !types.includes(f.split('.')[0] as EventType))
  )
    errors.push({ field: 'fields', message: 'sharing.admin.error.fields' });
  if (!(LEGAL_BASES as readonly string[]).includes(input.legalBasis))
    errors.push({ field: 'legalBasis', message: 'sharing.admin.error.legalBasis' });
  const purpose = input.purpose.trim();
  const purposeCy = input.purposeCy.trim();
  if (!purpose || purpose.length > 500)
    errors.push({ field: 'purpose', message: 'sharing.admin.error.purpose' });
  if (!purposeCy || purposeCy.length > 500)
    errors.push({ field: 'purposeCy', message: 'sharing.admin.error.purposeCy' });
  if (!isIsoDate(input.startsOn))
    errors.push({ field: 'startsOn', message: 'sharing.admin.error.startsOn' });
  if (input.endsOn && (!isIsoDate(input.endsOn) || input.endsOn < input.startsOn))
    errors.push({ field: 'endsOn', message: 'sharing.admin.error.endsOn' });
  if (errors.length) return { ok: false, errors };
  const agreement = await trx
    .insertInto('sharing_agreements')
    .values({
      organisation_id: input.organisationId,
      event_types: JSON.stringify(types),
      fields: JSON.stringify(fields),
      legal_basis: input.legalBasis as LegalBasis,
      purpose,
      purpose_cy: purposeCy,
      starts_at: londonTime(input.startsOn, 0),
      ends_at: input.endsOn ? endOfLondonDay(input.endsOn) : null,
      created_by: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'sharing.agreement.created',
    resourceType: 'sharing_agreement',
    resourceId: agreement.id,
    subjectUserId: null,
    details: {
      organisationId: agreement.organisation_id,
      eventTypes: types,
      fields,
      legalBasis: agreement.legal_basis,
      startsOn: input.startsOn,
      endsOn: input.endsOn || null,
    },
  });
  return { ok: true, agreement };
}

/** Ends an agreement now: nothing more is sent under it, including what is already queued. */
export async function endAgreement(trx: Db, id: string, actor: Actor): Promise<boolean> {
  const ended = await trx
    .updateTable('sharing_agreements')
    .set({ ended_at: new Date() })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (Number(ended.numUpdatedRows) !== 1) return false;
  await recordAudit(trx, actor, {
    action: 'sharing.agreement.ended',
    resourceType: 'sharing_agreement',
    resourceId: id,
    subjectUserId: null,
  });
  return true;
}
