/** Contact-centre sharing agreements as the desk and the admin page read them. */
import type { Db } from '../../../platform/db/database.js';
import type { ItemKind, SharingAgreementRow } from '../db/tables.js';
import type { SharedKinds } from '../policies/desk.js';

/**
 * What the contact centre may see of other bodies: the kinds each owning body shares with it
 * under a live agreement. Empty when the body is not a contact centre.
 */
export async function sharedWith(db: Db, contactCentreId: string): Promise<SharedKinds> {
  const rows = await db
    .selectFrom('crm_sharing_agreements')
    .select(['owning_body_id', 'item_kinds'])
    .where('contact_centre_id', '=', contactCentreId)
    .where('ended_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.owning_body_id, new Set<ItemKind>(r.item_kinds)]));
}

/** Every agreement, live first, for the administrators' page. */
export async function listAgreements(db: Db): Promise<SharingAgreementRow[]> {
  return db
    .selectFrom('crm_sharing_agreements')
    .selectAll()
    .orderBy('ended_at', 'desc')
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
}
