/** What the agents module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { publishedServiceTitles } from '../../catalogue/index.js';
import { findUserById } from '../../identity/index.js';
import { isoInstant } from '../../../platform/http/personal-data.js';

/**
 * The business accounts the person belongs to, the invitations to join one sent to their
 * e-mail address, and the authorities they gave agents.
 */
export async function agentsPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const [memberships, authorities] = await Promise.all([
    db
      .selectFrom('business_members')
      .innerJoin('business_accounts', 'business_accounts.id', 'business_members.business_id')
      .select([
        'business_accounts.name',
        'business_accounts.type',
        'business_members.role',
        'business_members.added_at',
      ])
      .where('business_members.user_id', '=', userId)
      .orderBy('business_members.added_at')
      .execute(),
    db
      .selectFrom('agent_authorities')
      .innerJoin('business_accounts', 'business_accounts.id', 'agent_authorities.agent_business_id')
      .select([
        'agent_authorities.id',
        'business_accounts.name',
        'agent_authorities.status',
        'agent_authorities.requested_at',
        'agent_authorities.approved_at',
        'agent_authorities.expires_at',
        'agent_authorities.ended_at',
      ])
      .where('agent_authorities.client_user_id', '=', userId)
      .orderBy('agent_authorities.requested_at')
      .execute(),
  ]);
  const email = (await findUserById(db, userId))?.email.toLowerCase();
  const invitations = email
    ? await db
        .selectFrom('business_invitations')
        .innerJoin('business_accounts', 'business_accounts.id', 'business_invitations.business_id')
        .select([
          'business_accounts.name',
          'business_invitations.role',
          'business_invitations.created_at',
          'business_invitations.expires_at',
          'business_invitations.accepted_at',
        ])
        .where((eb) => eb(eb.fn('lower', ['business_invitations.email']), '=', email))
        .orderBy('business_invitations.created_at')
        .execute()
    : [];
  const services = authorities.length
    ? await db
        .selectFrom('agent_authority_services')
        .select(['authority_id', 'service_id'])
        .where(
          'authority_id',
          'in',
          authorities.map((a) => a.id),
        )
        .execute()
    : [];
  const titles = await publishedServiceTitles(
    db,
    services.map((s) => s.service_id),
    'en',
  );
  return [
    {
      key: 'business-accounts',
      title: 'agents.personalData.memberships',
      rows: memberships.map((m) => ({
        business: m.name,
        type: m.type,
        role: m.role,
        addedAt: isoInstant(m.added_at),
      })),
    },
    {
      key: 'business-invitations',
      title: 'agents.personalData.invitations',
      rows: invitations.map((i) => ({
        business: i.name,
        role: i.role,
        sentAt: isoInstant(i.created_at),
        expiresAt: isoInstant(i.expires_at),
        acceptedAt: isoInstant(i.accepted_at),
      })),
    },
    {
      key: 'agent-authorities',
      title: 'agents.personalData.authorities',
      rows: authorities.map((a) => ({
        agent: a.name,
        status: a.status,
        services: services
          .filter((s) => s.authority_id === a.id)
          .map((s) => titles.get(s.service_id) ?? s.service_id)
          .join('; '),
        requestedAt: isoInstant(a.requested_at),
        approvedAt: isoInstant(a.approved_at),
        expiresAt: isoInstant(a.expires_at),
        endedAt: isoInstant(a.ended_at),
      })),
    },
  ];
}
