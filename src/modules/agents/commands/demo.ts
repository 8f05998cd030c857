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

/**
 * A demo business account with one administrator, so a service for businesses can be tried (and
 * an agent can apply for it with that person's authority). For the demo seed only; real
 * accounts are made on the business pages.
 */
export async function createDemoBusiness(
  db: Db,
  input: { name: string; companiesHouseNumber: string; administratorEmail: string },
): Promise<{ businessId: string }> {
  const administrator = await findUserIdByEmail(db, input.administratorEmail);
  if (!administrator)
    throw new Error(`no account with the e-mail address ${input.administratorEmail}`);
  const business = await db
    .insertInto('business_accounts')
    .values({
      name: input.name,
      type: 'business',
      companies_house_number: input.companiesHouseNumber,
      charity_number: null,
      is_agent: false,
      created_by: administrator,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('business_members')
    .values({ business_id: business.id, user_id: administrator, role: 'administrator' })
    .execute();
  await recordAudit(db, PLATFORM, {
    action: 'business.created',
    resourceType: 'business_account',
    resourceId: business.id,
    subjectUserId: administrator,
    details: { method: 'seed' },
  });
  return { businessId: business.id };
}
