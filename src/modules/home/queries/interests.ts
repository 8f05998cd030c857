import type { Db } from '../../../platform/db/database.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { CustomerGroup, LifeEvent } from '../../catalogue/index.js';
import { canSeeHomeOf } from '../policies/home.js';

/** What a person told us, to have services suggested; both lists empty when they told us nothing. */
export interface Interests {
  lifeEvents: LifeEvent[];
  customerGroups: CustomerGroup[];
  /** When they last changed it; null when they never told us anything (or cleared it). */
  updatedAt: Date | null;
}

/** The stored interests of one account, without a policy check: for this module's own use. */
export async function interestsRow(db: Db, userId: string): Promise<Interests> {
  const row = await db
    .selectFrom('personal_interests')
    .select(['life_events', 'customer_groups', 'updated_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return {
    lifeEvents: row?.life_events ?? [],
    customerGroups: row?.customer_groups ?? [],
    updatedAt: row?.updated_at ?? null,
  };
}

/**
 * What the person told us about themselves, read by them: anyone else (another citizen, staff,
 * an agent for a client) gets "not found".
 *
 * @example const { lifeEvents } = await interestsOf(db, request.user, request.user.id);
 */
export async function interestsOf(
  db: Db,
  user: CurrentUser | null,
  ownerId: string,
): Promise<Interests> {
  if (!canSeeHomeOf(user, ownerId))
    throw notFound({ ownerId, reason: 'not this person’s interests' });
  return interestsRow(db, ownerId);
}
