import type { Db } from '../../platform/db/database.js';
import { findCitizenByEmail } from '../identity/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import type { EventType, LegalBasis } from './db/tables.js';
import { EVENT_FIELDS } from './events.js';

/** The demo citizen's three bodies, each with its own reference for them and its agreement. */
export const DEMO_SHARING_BODIES: {
  slug: string;
  reference: string;
  basis: LegalBasis;
  types: EventType[];
  purpose: string;
  purposeCy: string;
}[] = [
  {
    slug: 'stroud',
    reference: 'CT-40318275',
    basis: 'public-task',
    types: ['change-of-address', 'change-of-name', 'change-of-contact-details', 'death'],
    purpose: 'To keep your Council Tax account and the electoral register up to date',
    purposeCy: 'I gadw eich cyfrif Treth Gyngor a’r gofrestr etholiadol yn gyfredol',
  },
  {
    slug: 'gloucestershire',
    reference: 'LIB-220045',
    basis: 'consent',
    types: ['change-of-address', 'change-of-name', 'change-of-contact-details'],
    purpose: 'To update your library membership and send you library notices',
    purposeCy: 'I ddiweddaru eich aelodaeth o’r llyfrgell ac anfon hysbysiadau llyfrgell atoch',
  },
  {
    slug: 'dwp',
    reference: 'NINO-QQ123456C',
    basis: 'consent',
    types: ['change-of-address', 'change-of-contact-details', 'death'],
    purpose: 'To pay your benefits to the right address and contact you about them',
    purposeCy: 'I dalu eich budd-daliadau i’r cyfeiriad cywir a chysylltu â chi amdanynt',
  },
];

/**
 * Demo data for tell us once, in the caller's transaction: an agreement with each of the three
 * demo bodies (every field of the kinds of change it covers) and the demo citizen's
 * relationship with each, as if each body had declared its record through the API. A demo only:
 * real relationships are declared by a body with an exact match (see commands/relationships.ts).
 */
export async function seedDemoSharing(trx: Db): Promise<void> {
  const citizen = await findCitizenByEmail(trx, 'citizen@example.com');
  for (const body of DEMO_SHARING_BODIES) {
    const organisation = await findOrganisationBySlug(trx, body.slug);
    if (!organisation) continue;
    await trx
      .insertInto('sharing_agreements')
      .values({
        organisation_id: organisation.id,
        event_types: JSON.stringify(body.types),
        fields: JSON.stringify(body.types.flatMap((t) => EVENT_FIELDS[t].map((f) => `${t}.${f}`))),
        legal_basis: body.basis,
        purpose: body.purpose,
        purpose_cy: body.purposeCy,
        starts_at: new Date('2026-01-01T00:00:00Z'),
        ends_at: null,
        created_by: null,
      })
      .execute();
    if (citizen)
      await trx
        .insertInto('sharing_relationships')
        .values({
          organisation_id: organisation.id,
          user_id: citizen.id,
          body_reference: body.reference,
          matched_by: 'demo',
          matched_reference: body.reference,
          declared_by_key_id: null,
        })
        .onConflict((oc) => oc.columns(['organisation_id', 'body_reference']).doNothing())
        .execute();
  }
}
