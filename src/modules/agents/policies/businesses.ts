import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { MemberRole } from '../db/tables.js';

/** A person's role in a business account, or null when they are not a member. */
export async function membershipOf(
  db: Db,
  businessId: string,
  userId: string,
): Promise<MemberRole | null> {
  if (!/^[0-9a-f-]{36}$/i.test(businessId)) return null;
  const row = await db
    .selectFrom('business_members')
    .select('role')
    .where('business_id', '=', businessId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/** Business and charity accounts are made by people with a citizen account (staff act for public bodies). */
export function canCreateBusiness(user: CurrentUser | null): boolean {
  return !!user && user.kind === 'citizen';
}

/** Only members see a business account; everyone else gets "not found". */
export function canSeeBusiness(role: MemberRole | null): boolean {
  return role !== null;
}

/** Administrators invite and remove members and mark the account as an agent. */
export function canManageBusiness(role: MemberRole | null): boolean {
  return role === 'administrator';
}

/** True when the e-mail an invitation was sent to is the signed-in person's. */
export function isInvitee(user: CurrentUser, invitationEmail: string): boolean {
  return user.email.toLowerCase() === invitationEmail.toLowerCase();
}

/** The number of administrators a business has, so the last one cannot be removed. */
export async function administratorCount(db: Db, businessId: string): Promise<number> {
  const row = await db
    .selectFrom('business_members')
    .select(sql<number>`count(*)`.as('n'))
    .where('business_id', '=', businessId)
    .where('role', '=', 'administrator')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Who may apply for a business or charity to a service for businesses: any of its members for
 * themselves; through an agent, only an administrator's authority counts (an assistant cannot
 * hand the business's affairs to an agent).
 */
export function mayApplyFor(role: MemberRole | null, throughAgent: boolean): boolean {
  if (role === null) return false;
  return throughAgent ? role === 'administrator' : true;
}
