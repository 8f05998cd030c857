/**
 * The demo contact centre: Gloucestershire's customer contact centre answers for Stroud (all
 * kinds of item) and for the county council (applications and bookings); Cheltenham shares
 * nothing with it, so Cheltenham's items stay hidden at its desk.
 */
import type { Db } from '../../platform/db/database.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { makeAgreement } from './commands/agreements.js';
import { ITEM_KINDS, type ItemKind } from './db/tables.js';

export const DEMO_CONTACT_CENTRE_SLUG = 'glos-contact-centre';

const DEMO_AGREEMENTS: { owner: string; kinds: readonly ItemKind[] }[] = [
  { owner: 'stroud', kinds: ITEM_KINDS },
  { owner: 'gloucestershire', kinds: ['applications', 'bookings'] },
];

/** The demo agreements (the contact centre body and its adviser are in src/main/seed.ts). */
export async function seedDemoContactCentre(trx: Db): Promise<void> {
  const centre = await findOrganisationBySlug(trx, DEMO_CONTACT_CENTRE_SLUG);
  if (!centre) return;
  const actor = { userId: null, organisationId: null, role: 'system' };
  for (const agreement of DEMO_AGREEMENTS) {
    const owner = await findOrganisationBySlug(trx, agreement.owner);
    if (owner)
      await makeAgreement(trx, actor, {
        contactCentreId: centre.id,
        owningBodyId: owner.id,
        itemKinds: [...agreement.kinds],
      });
  }
}
