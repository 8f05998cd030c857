import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { BusinessType } from '../db/tables.js';
import { mayApplyFor } from '../policies/businesses.js';

/** The business and charity accounts a person is a member of, with their role in each. */
export async function businessesOf(db: Db, userId: string) {
  return db
    .selectFrom('business_members as m')
    .innerJoin('business_accounts as b', 'b.id', 'm.business_id')
    .select(['b.id', 'b.name', 'b.type', 'b.is_agent', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('b.name')
    .execute();
}

/** Invitations waiting for this e-mail address, so the invitee sees them in their account too. */
export async function invitationsFor(db: Db, email: string) {
  return db
    .selectFrom('business_invitations as i')
    .innerJoin('business_accounts as b', 'b.id', 'i.business_id')
    .select(['i.id', 'b.name as business_name', 'i.expires_at'])
    .where(sql`lower(i.email)`, '=', email.toLowerCase())
    .where('i.accepted_at', 'is', null)
    .where('i.expires_at', '>', sql<Date>`now()`)
    .orderBy('i.created_at', 'desc')
    .execute();
}

export async function findBusiness(db: Db, businessId: string) {
  return db
    .selectFrom('business_accounts')
    .selectAll()
    .where('id', '=', businessId)
    .executeTakeFirst();
}

export async function membersOf(db: Db, businessId: string) {
  return db
    .selectFrom('business_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name', 'u.email', 'm.role', 'm.added_at'])
    .where('m.business_id', '=', businessId)
    .orderBy('m.added_at')
    .execute();
}

export async function pendingInvitationsOf(db: Db, businessId: string) {
  return db
    .selectFrom('business_invitations')
    .select(['id', 'email', 'expires_at'])
    .where('business_id', '=', businessId)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at')
    .execute();
}

/** A business or charity account someone may apply for, as a journey or an API call needs it. */
export interface ApplyingBusiness {
  id: string;
  name: string;
  type: BusinessType;
  companiesHouseNumber: string | null;
  charityNumber: string | null;
}

/**
 * The business and charity accounts a person may apply for to a service for businesses, by
 * name: those they are a member of, or when an agent applies for them (`throughAgent`) those
 * they administer (see mayApplyFor).
 *
 * @example const businesses = await businessesToApplyFor(db, clientId, { throughAgent: true });
 */
export async function businessesToApplyFor(
  db: Db,
  userId: string,
  { throughAgent }: { throughAgent: boolean },
): Promise<ApplyingBusiness[]> {
  const rows = await db
    .selectFrom('business_members as m')
    .innerJoin('business_accounts as b', 'b.id', 'm.business_id')
    .select(['b.id', 'b.name', 'b.type', 'b.companies_house_number', 'b.charity_number', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('b.name')
    .orderBy('b.id')
    .execute();
  return rows
    .filter((row) => mayApplyFor(row.role, throughAgent))
    .map((row) => ({
      id: row.id,
      name: row.name,
      type: row.type,
      companiesHouseNumber: row.companies_house_number,
      charityNumber: row.charity_number,
    }));
}
