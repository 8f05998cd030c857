/** What the bookings module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { isoInstant } from '../../../platform/http/personal-data.js';

/** The person's bookings: what, when, the name and e-mail they gave, paid and refunded. */
export async function bookingsPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const bookings = await db
    .selectFrom('bookings')
    .innerJoin('booking_resources', 'booking_resources.id', 'bookings.resource_id')
    .select([
      'bookings.reference',
      'bookings.organisation_id',
      'booking_resources.name as resource',
      'bookings.person_name',
      'bookings.email',
      'bookings.starts_at',
      'bookings.ends_at',
      'bookings.amount',
      'bookings.refunded_amount',
      'bookings.status',
      'bookings.created_at',
      'bookings.cancelled_at',
    ])
    .where('bookings.user_id', '=', userId)
    .orderBy('bookings.created_at')
    .execute();
  const bodies = new Map(
    (
      await listOrganisationsByIds(
        db,
        bookings.map((b) => b.organisation_id),
      )
    ).map((o) => [o.id, o.name]),
  );
  return [
    {
      key: 'bookings',
      title: 'bookings.personalData.bookings',
      rows: bookings.map((b) => ({
        reference: b.reference,
        body: bodies.get(b.organisation_id) ?? b.organisation_id,
        what: b.resource,
        name: b.person_name,
        email: b.email,
        startsAt: isoInstant(b.starts_at),
        endsAt: isoInstant(b.ends_at),
        amountPence: b.amount,
        refundedPence: b.refunded_amount,
        status: b.status,
        at: isoInstant(b.created_at),
        cancelledAt: isoInstant(b.cancelled_at),
      })),
    },
  ];
}
