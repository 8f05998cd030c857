import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { AgentAuthorityRow, BusinessAccountRow, MemberRole } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** Any member of an agent business may ask clients for authority and act for them. */
export function canWorkAsAgent(
  business: Pick<BusinessAccountRow, 'is_agent'>,
  role: MemberRole | null,
): boolean {
  return business.is_agent && role !== null;
}

/** Only the client approves, declines or revokes an authority given in their name. */
export function canDecideAuthority(
  user: CurrentUser | null,
  authority: Pick<AgentAuthorityRow, 'client_user_id'>,
): boolean {
  return !!user && user.kind === 'citizen' && user.id === authority.client_user_id;
}

/**
 * True when the agent user is a member of an agent business holding an approved authority from
 * the client for that service. Checked on every use, so a revocation takes effect on the next
 * request. Forms and submissions call it before making or showing anything for a client.
 *
 * @example if (!(await canActFor(db, user, user.actingFor.userId, service.id))) throw notFound();
 */
export async function canActFor(
  db: Db,
  agentUser: Pick<CurrentUser, 'id'> | null,
  clientUserId: string,
  serviceId: string,
): Promise<boolean> {
  if (!agentUser || !isUuid(clientUserId) || !isUuid(serviceId)) return false;
  const row = await db
    .selectFrom('agent_authorities as a')
    .innerJoin('agent_authority_services as s', 's.authority_id', 'a.id')
    .innerJoin('business_accounts as b', 'b.id', 'a.agent_business_id')
    .innerJoin('business_members as m', (join) =>
      join.onRef('m.business_id', '=', 'a.agent_business_id').on('m.user_id', '=', agentUser.id),
    )
    .select(sql<number>`1`.as('one'))
    .where('a.client_user_id', '=', clientUserId)
    .where('a.status', '=', 'approved')
    .where('b.is_agent', '=', true)
    .where('s.service_id', '=', serviceId)
    .executeTakeFirst();
  return row !== undefined;
}
