import type { Db } from '../../../platform/db/database.js';
import { isoInstant } from '../../../platform/http/personal-data.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { identitySetRow } from './identity-set.js';
import { linksOfPerson } from './records.js';

/**
 * What the reference index holds about a person, for their "My data": every body that holds a
 * link to them (how and since when), and the number and UPRN the index confirmed. The bodies'
 * own references and pseudonymous identifiers are theirs, and are not listed.
 */
export async function personalDataOf(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const links = await linksOfPerson(db, userId);
  const bodies = new Map(
    (await listOrganisationsByIds(db, [...new Set(links.map((l) => l.organisation_id))])).map(
      (o) => [o.id, o.name],
    ),
  );
  const set = await identitySetRow(db, userId);
  return [
    {
      key: 'reference-links',
      title: 'references.data.links',
      rows: links.map((l) => ({
        body: bodies.get(l.organisation_id) ?? '',
        linkedBy: l.link_method,
        linkedAt: isoInstant(l.linked_at),
      })),
    },
    {
      key: 'reference-identity',
      title: 'references.data.identity',
      rows: set
        ? [
            {
              nationalInsuranceNumber: set.nino,
              confirmedBy: set.nino_confirmed_by,
              uprn: set.uprn,
            },
          ]
        : [],
    },
  ];
}
