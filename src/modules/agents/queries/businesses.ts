import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';

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
