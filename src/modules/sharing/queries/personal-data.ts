import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { changesOf, consentsOf, deliveriesOf } from './changes.js';
import { isoInstant } from '../../../platform/http/personal-data.js';

/**
 * What tell us once holds about a person, for their "My data": their changes (with what they
 * told), each body's status of each change, and their consents.
 */
export async function personalDataOf(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const changes = await changesOf(db, userId);
  const statuses: PersonalDataSection['rows'] = [];
  for (const change of changes)
    for (const delivery of await deliveriesOf(db, change.id))
      statuses.push({
        change: change.reference,
        body: delivery.organisationName,
        status: delivery.status,
        reason: delivery.reason,
        sentAt: isoInstant(delivery.sent_at),
        answeredAt: isoInstant(delivery.answered_at),
      });
  const consents = await consentsOf(db, userId);
  return [
    {
      key: 'sharing-changes',
      title: 'sharing.data.changes',
      rows: changes.map((c) => ({
        reference: c.reference,
        type: c.event_type,
        details: JSON.stringify(c.details),
        status: c.status,
        submittedAt: isoInstant(c.submitted_at),
        completedAt: isoInstant(c.completed_at),
      })),
    },
    { key: 'sharing-deliveries', title: 'sharing.data.deliveries', rows: statuses },
    {
      key: 'sharing-consents',
      title: 'sharing.data.consents',
      rows: consents.map((c) => ({
        body: c.organisationName,
        purpose: c.agreement.purpose,
        legalBasis: c.agreement.legal_basis,
        eventTypes: c.agreement.event_types.join(', '),
        givenAt: isoInstant(c.given_at),
        withdrawnAt: isoInstant(c.withdrawn_at),
      })),
    },
  ];
}
