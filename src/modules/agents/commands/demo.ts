import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { findUserIdByEmail } from '../../identity/index.js';

const PLATFORM = { userId: null, organisationId: null, role: 'seed' };

/**
 * The demo agent: a business marked as an agent with one administrator, holding an approved
 * authority from a client for the given services. For the demo seed only; real authorities
 * are asked for and approved through the pages.
 */
export async function createDemoAgency(
  db: Db,
  input: {
    name: string;
    companiesHouseNumber: string;
    agentEmail: string;
    clientEmail: string;
    serviceIds: string[];
  },
): Promise<{ businessId: string; authorityId: string }> {
  const userId = async (email: string) => {
    const id = await findUserIdByEmail(db, email);
    if (!id) throw new Error(`no account with the e-mail address ${email}`);
    return id;
  };
  const agentId = await userId(input.agentEmail);
  const clientId = await userId(input.clientEmail);
  const business = await db
    .insertInto('business_accounts')
    .values({
      name: input.name,
      type: 'business',
      companies_house_number: input.companiesHouseNumber,
      charity_number: null,
      is_agent: true,
      created_by: agentId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('business_members')
    .values({ business_id: business.id, user_id: agentId, role: 'administrator' })
    .execute();
  const authority = await db
    .insertInto('agent_authorities')
    .values({
      agent_business_id: business.id,
      client_user_id: clientId,
      status: 'approved',
      requested_by: agentId,
      expires_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('agent_authorities')
    .set({ approved_at: new Date() })
    .where('id', '=', authority.id)
    .execute();
  await db
    .insertInto('agent_authority_services')
    .values(input.serviceIds.map((service_id) => ({ authority_id: authority.id, service_id })))
    .execute();
  await recordAudit(db, PLATFORM, {
    action: 'agent.authority_approved',
    resourceType: 'agent_authority',
    resourceId: authority.id,
    subjectUserId: clientId,
    details: { agent_business_id: business.id, service_ids: input.serviceIds, method: 'seed' },
  });
  return { businessId: business.id, authorityId: authority.id };
}
