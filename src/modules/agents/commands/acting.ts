import { hashSessionToken } from '../../identity/index.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { auditActor, type AgentsActor } from './actor.js';
import { serviceIdsOf } from './authorities.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** The database key of a session token, as identity computes it. */
export const sessionIdHash = hashSessionToken;

/** Who an agent's session acts for, when the authority behind it is still good. */
export interface ActingEntry {
  clientUserId: string;
  clientName: string;
  agentBusinessId: string;
  agentBusinessName: string;
  authorityId: string;
}

/**
 * The client this session acts for, or null. Checked on every request against the authority
 * (approved), the business (still an agent) and the agent's membership (still a member), so
 * ending any of them ends the acting at the next request.
 */
export async function actingEntryFor(
  db: Db,
  sessionHash: string,
  userId: string,
): Promise<ActingEntry | null> {
  const row = await db
    .selectFrom('acting_sessions as s')
    .innerJoin('agent_authorities as a', 'a.id', 's.authority_id')
    .innerJoin('business_accounts as b', 'b.id', 's.agent_business_id')
    .innerJoin('business_members as m', (join) =>
      join.onRef('m.business_id', '=', 's.agent_business_id').onRef('m.user_id', '=', 's.user_id'),
    )
    .innerJoin('users as c', 'c.id', 's.client_user_id')
    .select([
      's.client_user_id',
      'c.display_name as client_name',
      's.agent_business_id',
      'b.name as business_name',
      's.authority_id',
    ])
    .where('s.session_id_hash', '=', sessionHash)
    .where('s.user_id', '=', userId)
    .where('a.status', '=', 'approved')
    .where('b.is_agent', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  return {
    clientUserId: row.client_user_id,
    clientName: row.client_name,
    agentBusinessId: row.agent_business_id,
    agentBusinessName: row.business_name,
    authorityId: row.authority_id,
  };
}

/**
 * An agent member starts acting for the client of an approved authority, on this session
 * only. Starting to act for another client ends acting for the first.
 */
export async function startActing(
  db: Db,
  actor: AgentsActor,
  input: { sessionHash: string; authorityId: string },
): Promise<Outcome<{ clientName: string }>> {
  const authority = isUuid(input.authorityId)
    ? await db
        .selectFrom('agent_authorities as a')
        .innerJoin('business_accounts as b', 'b.id', 'a.agent_business_id')
        .innerJoin('business_members as m', (join) =>
          join
            .onRef('m.business_id', '=', 'a.agent_business_id')
            .on('m.user_id', '=', actor.user.id),
        )
        .innerJoin('users as c', 'c.id', 'a.client_user_id')
        .select([
          'a.id',
          'a.status',
          'a.client_user_id',
          'a.agent_business_id',
          'b.is_agent',
          'm.role',
          'c.display_name',
        ])
        .where('a.id', '=', input.authorityId)
        .executeTakeFirst()
    : undefined;
  if (!authority || !authority.is_agent) throw notFound();
  if (authority.status !== 'approved')
    return { ok: false, errors: [{ field: 'authority', message: 'agents.acting.noAuthority' }] };
  await stopActing(db, actor, { sessionHash: input.sessionHash, reason: 'switched' });
  await db
    .insertInto('acting_sessions')
    .values({
      session_id_hash: input.sessionHash,
      user_id: actor.user.id,
      authority_id: authority.id,
      client_user_id: authority.client_user_id,
      agent_business_id: authority.agent_business_id,
    })
    .execute();
  await recordAudit(db, auditActor(actor, authority.role), {
    action: 'agent.acting_started',
    resourceType: 'agent_authority',
    resourceId: authority.id,
    subjectUserId: authority.client_user_id,
    details: {
      on_behalf_of: authority.client_user_id,
      agent_business_id: authority.agent_business_id,
      service_ids: await serviceIdsOf(db, authority.id),
    },
  });
  return { ok: true, clientName: authority.display_name };
}

/** Ends acting on this session, if it was acting; records who stopped acting for whom. */
export async function stopActing(
  db: Db,
  actor: AgentsActor,
  input: { sessionHash: string; reason?: string },
): Promise<boolean> {
  const ended = await db
    .deleteFrom('acting_sessions')
    .where('session_id_hash', '=', input.sessionHash)
    .where('user_id', '=', actor.user.id)
    .returning(['authority_id', 'client_user_id', 'agent_business_id'])
    .executeTakeFirst();
  if (!ended) return false;
  await recordAudit(db, auditActor(actor, 'agent'), {
    action: 'agent.acting_stopped',
    resourceType: 'agent_authority',
    resourceId: ended.authority_id,
    subjectUserId: ended.client_user_id,
    details: {
      on_behalf_of: ended.client_user_id,
      agent_business_id: ended.agent_business_id,
      reason: input.reason ?? 'stopped',
    },
  });
  return true;
}

const ACTING = new WeakMap<CurrentUser, ActingEntry>();

/** Remembers, for this request's user object only, the acting entry the hook found. */
export function rememberActing(user: CurrentUser, entry: ActingEntry): void {
  ACTING.set(user, entry);
  user.actingFor = { userId: entry.clientUserId, displayName: entry.clientName };
}

/**
 * What to add to an audit entry's details for anything done while acting for a client:
 * `{ on_behalf_of, agent_business_id }`, or `{}` when the user acts for themselves.
 *
 * @example await recordAudit(trx, actor, { action: 'submission.submitted', …, details: { ...actingAuditDetails(user) } });
 */
export function actingAuditDetails(
  user: CurrentUser | null,
): { on_behalf_of: string; agent_business_id: string } | Record<string, never> {
  const entry = user ? ACTING.get(user) : undefined;
  if (!entry || !user?.actingFor) return {};
  return { on_behalf_of: entry.clientUserId, agent_business_id: entry.agentBusinessId };
}

/** The agent business the user is acting through on this request, or null. */
export function actingEntryOf(user: CurrentUser | null): ActingEntry | null {
  return (user && user.actingFor && ACTING.get(user)) || null;
}

/**
 * "by X on behalf of Y" for records and pages; "by X" when not acting. Pass the page's
 * translator for Welsh.
 *
 * @example actingDescription(request.user) // "by Ann Agent on behalf of Sam Citizen"
 */
export function actingDescription(
  user: Pick<CurrentUser, 'displayName' | 'actingFor'>,
  t?: (key: string, values: Record<string, string>) => string,
): string {
  if (user.actingFor) {
    const values = { agent: user.displayName, client: user.actingFor.displayName };
    return t
      ? t('agents.acting.byOnBehalfOf', values)
      : `by ${values.agent} on behalf of ${values.client}`;
  }
  return t ? t('agents.acting.by', { agent: user.displayName }) : `by ${user.displayName}`;
}
