import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { searchServices } from '../../catalogue/index.js';
import type { AuthorityStatus } from '../db/tables.js';

export interface AuthorityView {
  id: string;
  status: AuthorityStatus;
  open: boolean;
  agentBusinessId: string;
  agentName: string;
  clientUserId: string;
  clientName: string;
  clientEmail: string;
  services: { id: string; title: string }[];
  requestedAt: Date;
  approvedAt: Date | null;
  endedAt: Date | null;
}

async function serviceTitles(db: Db, locale: Locale): Promise<Map<string, string>> {
  return new Map((await searchServices(db, locale)).map((s) => [s.id, s.title]));
}

async function views(
  db: Db,
  locale: Locale,
  filter: { clientUserId?: string; agentBusinessId?: string },
): Promise<AuthorityView[]> {
  let query = db
    .selectFrom('agent_authorities as a')
    .innerJoin('business_accounts as b', 'b.id', 'a.agent_business_id')
    .innerJoin('users as c', 'c.id', 'a.client_user_id')
    .select([
      'a.id',
      'a.status',
      'a.expires_at',
      'a.agent_business_id',
      'b.name as agent_name',
      'a.client_user_id',
      'c.display_name as client_name',
      'c.email as client_email',
      'a.requested_at',
      'a.approved_at',
      'a.ended_at',
    ]);
  if (filter.clientUserId) query = query.where('a.client_user_id', '=', filter.clientUserId);
  if (filter.agentBusinessId)
    query = query.where('a.agent_business_id', '=', filter.agentBusinessId);
  const rows = await query.orderBy('a.requested_at', 'desc').execute();
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom('agent_authority_services')
    .select(['authority_id', 'service_id'])
    .where(
      'authority_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const titles = await serviceTitles(db, locale);
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    open: row.status === 'requested' && row.expires_at.getTime() > Date.now(),
    agentBusinessId: row.agent_business_id,
    agentName: row.agent_name,
    clientUserId: row.client_user_id,
    clientName: row.client_name,
    clientEmail: row.client_email,
    services: links
      .filter((l) => l.authority_id === row.id)
      .map((l) => ({ id: l.service_id, title: titles.get(l.service_id) ?? '' })),
    requestedAt: row.requested_at,
    approvedAt: row.approved_at,
    endedAt: row.ended_at,
  }));
}

/** Every authority a client has been asked for or has given, newest first. */
export function authoritiesOfClient(db: Db, clientUserId: string, locale: Locale) {
  return views(db, locale, { clientUserId });
}

/** Every authority an agent business has asked for or holds, newest first. */
export function authoritiesOfAgent(db: Db, agentBusinessId: string, locale: Locale) {
  return views(db, locale, { agentBusinessId });
}
