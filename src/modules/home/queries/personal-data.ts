/** What the home module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';

/** The life events and groups the person told us, to suggest services. */
export async function homePersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const interests = await db
    .selectFrom('personal_interests')
    .select(['life_events', 'customer_groups', 'updated_at'])
    .where('user_id', '=', userId)
    .execute();
  return [
    {
      key: 'interests',
      title: 'home.personalData.interests',
      rows: interests.map((i) => ({
        lifeEvents: i.life_events.join('; '),
        groups: i.customer_groups.join('; '),
        updatedAt: i.updated_at.toISOString(),
      })),
    },
  ];
}
