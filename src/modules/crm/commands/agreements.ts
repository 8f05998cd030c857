/**
 * Contact-centre sharing agreements: which body shares which kinds of its items with which
 * contact centre body. Made and ended by platform administrators; every change is audited.
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { findOrganisationById } from '../../organisations/index.js';
import { ITEM_KINDS, type ItemKind, type SharingAgreementRow } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';

export interface AgreementInput {
  contactCentreId: string;
  owningBodyId: string;
  itemKinds: string[];
}

/** The form's answers, checked: two different bodies that exist and at least one kind of item. */
export async function readAgreement(
  db: Db,
  input: AgreementInput,
): Promise<
  Outcome<{ agreement: { contactCentreId: string; owningBodyId: string; itemKinds: ItemKind[] } }>
> {
  const errors: FieldError[] = [];
  const centre = isUuid(input.contactCentreId)
    ? await findOrganisationById(db, input.contactCentreId)
    : undefined;
  const owner = isUuid(input.owningBodyId)
    ? await findOrganisationById(db, input.owningBodyId)
    : undefined;
  if (!centre) errors.push({ field: 'contactCentreId', message: 'crm.agreements.error.centre' });
  if (!owner) errors.push({ field: 'owningBodyId', message: 'crm.agreements.error.owner' });
  else if (centre && centre.id === owner.id)
    errors.push({ field: 'owningBodyId', message: 'crm.agreements.error.same' });
  const kinds = ITEM_KINDS.filter((k) => input.itemKinds.includes(k));
  if (kinds.length === 0 || kinds.length !== new Set(input.itemKinds).size)
    errors.push({ field: 'itemKinds', message: 'crm.agreements.error.kinds' });
  if (errors.length || !centre || !owner) return { ok: false, errors };
  return {
    ok: true,
    agreement: { contactCentreId: centre.id, owningBodyId: owner.id, itemKinds: kinds },
  };
}

/**
 * Makes an agreement, ending the live one between the same two bodies (a change of kinds is a
 * new agreement, so the history shows what was shared when). Audited.
 */
export async function makeAgreement(
  trx: Db,
  actor: Actor,
  agreement: { contactCentreId: string; owningBodyId: string; itemKinds: ItemKind[] },
): Promise<SharingAgreementRow> {
  const live = await trx
    .selectFrom('crm_sharing_agreements')
    .select('id')
    .where('contact_centre_id', '=', agreement.contactCentreId)
    .where('owning_body_id', '=', agreement.owningBodyId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (live) await endAgreement(trx, actor, live.id);
  const row = await trx
    .insertInto('crm_sharing_agreements')
    .values({
      contact_centre_id: agreement.contactCentreId,
      owning_body_id: agreement.owningBodyId,
      item_kinds: agreement.itemKinds,
      created_by: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'crm.agreement.created',
    resourceType: 'crm_sharing_agreement',
    resourceId: row.id,
    subjectUserId: null,
    details: {
      contactCentreId: row.contact_centre_id,
      owningBodyId: row.owning_body_id,
      itemKinds: row.item_kinds,
    },
  });
  return row;
}

/** Ends a live agreement; false when there is none of that id. Audited. */
export async function endAgreement(trx: Db, actor: Actor, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const ended = await trx
    .updateTable('crm_sharing_agreements')
    .set({ ended_at: new Date(), ended_by: actor.userId })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .returning(['id', 'contact_centre_id', 'owning_body_id'])
    .executeTakeFirst();
  if (!ended) return false;
  await recordAudit(trx, actor, {
    action: 'crm.agreement.ended',
    resourceType: 'crm_sharing_agreement',
    resourceId: ended.id,
    subjectUserId: null,
    details: { contactCentreId: ended.contact_centre_id, owningBodyId: ended.owning_body_id },
  });
  return true;
}
