import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { offersFor } from './passports.js';

/** A person's offers for their "My data": what was offered, why, and what they said. */
export async function passportsPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const offers = await offersFor(db, userId, 'en');
  return [
    {
      key: 'passported-offers',
      title: 'passports.personalData.offers',
      rows: offers.map((o) => ({
        service: o.service?.title ?? null,
        because: o.because,
        reason: o.reason,
        status: o.status,
        offeredAt: o.offeredAt.toISOString(),
        answeredAt: o.respondedAt ? o.respondedAt.toISOString() : null,
      })),
    },
  ];
}
