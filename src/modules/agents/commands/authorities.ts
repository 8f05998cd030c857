import { sql } from 'kysely';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError, type Outcome } from '../../../platform/errors/errors.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { searchServices } from '../../catalogue/index.js';
import { checkCode, findCitizenByEmail, issueCode, type CodeCheck } from '../../identity/index.js';
import type { AgentAuthorityRow } from '../db/tables.js';
import { canDecideAuthority, canWorkAsAgent } from '../policies/agents.js';
import { membershipOf } from '../policies/businesses.js';
import { auditActor, emailProblem, type AgentsActor } from './actor.js';
import { isUuid } from '../../../platform/validation/uuid.js';

export const AUTHORITY_PURPOSE = 'agent-authority';
/** How long a request (and its code) waits for the client. */
export const REQUEST_DAYS = 14;

/** The services an authority covers. */
export async function serviceIdsOf(db: Db, authorityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('agent_authority_services')
    .select('service_id')
    .where('authority_id', '=', authorityId)
    .orderBy('service_id')
    .execute();
  return rows.map((r) => r.service_id);
}

/** A business account the actor works in as an agent, or 404. */
async function agentBusiness(db: Db, actor: AgentsActor, businessId: string) {
  const role = await membershipOf(db, businessId, actor.user.id);
  const business = role
    ? await db
        .selectFrom('business_accounts')
        .selectAll()
        .where('id', '=', businessId)
        .executeTakeFirst()
    : undefined;
  if (!business || !canWorkAsAgent(business, role)) throw notFound('not an agent of this business');
  return { business, role: role! };
}

async function citizenByEmail(db: Db, email: string) {
  return findCitizenByEmail(db, email);
}

/**
 * An agent asks a client (a citizen account, found by e-mail) for authority in named published
 * services. The client sees the request in their account and is e-mailed; the agent is given
 * an 8-digit code to pass on, which the client may enter instead. Only the code's hash is kept.
 */
export async function requestAuthority(
  db: Db,
  actor: AgentsActor,
  input: { businessId: string; clientEmail: string; serviceIds: string[]; baseUrl: string },
): Promise<Outcome<{ authority: AgentAuthorityRow; code: string; clientName: string }>> {
  const { business, role } = await agentBusiness(db, actor, input.businessId);
  const errors: FieldError[] = [];
  const email = input.clientEmail.trim();
  const emailError = emailProblem(email, 'agents.request.clientEmail');
  const client = emailError ? undefined : await citizenByEmail(db, email);
  if (emailError) errors.push({ field: 'clientEmail', message: emailError });
  else if (!client)
    errors.push({ field: 'clientEmail', message: 'agents.request.clientEmail.unknown' });
  else if (client.id === actor.user.id)
    errors.push({ field: 'clientEmail', message: 'agents.request.clientEmail.self' });
  const published = new Set((await searchServices(db, 'en')).map((s) => s.id));
  const serviceIds = [...new Set(input.serviceIds)];
  if (serviceIds.length === 0)
    errors.push({ field: 'services', message: 'agents.request.services.missing' });
  else if (serviceIds.some((id) => !published.has(id)))
    errors.push({ field: 'services', message: 'agents.request.services.unknown' });
  if (errors.length || !client) return { ok: false, errors };

  const authority = await db
    .insertInto('agent_authorities')
    .values({
      agent_business_id: business.id,
      client_user_id: client.id,
      requested_by: actor.user.id,
      expires_at: new Date(Date.now() + REQUEST_DAYS * 24 * 3600_000),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('agent_authority_services')
    .values(serviceIds.map((service_id) => ({ authority_id: authority.id, service_id })))
    .execute();
  const { code } = await issueCode(db, {
    purpose: AUTHORITY_PURPOSE,
    destination: authority.id,
    userId: client.id,
    minutes: REQUEST_DAYS * 24 * 60,
    digits: 8,
  });
  const link = `${input.baseUrl}/agents/authorities`;
  await enqueue(db, {
    topic: MAIL_TOPIC,
    idempotencyKey: `agent.authority_requested:${authority.id}`,
    payload: {
      to: client.email,
      subject: `${business.name} has asked to act for you`,
      text:
        `${business.name} has asked for your authority to act for you in some services.\n\n` +
        `Sign in at ${link} to see which services and to approve or decline. If you did not expect this, decline it.\n\n———\n\n` +
        `Mae ${business.name} wedi gofyn am eich awdurdod i weithredu ar eich rhan mewn rhai gwasanaethau.\n\n` +
        `Mewngofnodwch yn ${link} i weld pa wasanaethau ac i gymeradwyo neu wrthod. Os nad oeddech yn disgwyl hyn, gwrthodwch.`,
    },
  });
  await recordAudit(db, auditActor(actor, role), {
    action: 'agent.authority_requested',
    resourceType: 'agent_authority',
    resourceId: authority.id,
    subjectUserId: client.id,
    details: { agent_business_id: business.id, service_ids: serviceIds },
  });
  return { ok: true, authority, code, clientName: client.display_name };
}

async function authorityFor(db: Db, actor: AgentsActor, authorityId: string) {
  const authority = isUuid(authorityId)
    ? await db
        .selectFrom('agent_authorities')
        .selectAll()
        .where('id', '=', authorityId)
        .executeTakeFirst()
    : undefined;
  if (!authority || !canDecideAuthority(actor.user, authority)) throw notFound();
  return authority;
}

async function approve(
  db: Db,
  actor: AgentsActor,
  authority: AgentAuthorityRow,
  method: 'account' | 'code',
) {
  const changed = await db
    .updateTable('agent_authorities')
    .set({ status: 'approved', approved_at: new Date() })
    .where('id', '=', authority.id)
    .where('status', '=', 'requested')
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) return false;
  await recordAudit(db, auditActor(actor, 'client'), {
    action: 'agent.authority_approved',
    resourceType: 'agent_authority',
    resourceId: authority.id,
    subjectUserId: authority.client_user_id,
    details: {
      agent_business_id: authority.agent_business_id,
      service_ids: await serviceIdsOf(db, authority.id),
      method,
    },
  });
  return true;
}

function isOpen(authority: AgentAuthorityRow): boolean {
  return authority.status === 'requested' && authority.expires_at.getTime() > Date.now();
}

/** The client approves a request in their account. */
export async function approveAuthority(
  db: Db,
  actor: AgentsActor,
  authorityId: string,
): Promise<Outcome<Record<never, never>>> {
  const authority = await authorityFor(db, actor, authorityId);
  if (!isOpen(authority) || !(await approve(db, actor, authority, 'account')))
    return { ok: false, errors: [{ field: 'authority', message: 'agents.authorities.notOpen' }] };
  return { ok: true };
}

/** Ends an authority that is still in the `from` state; false when it had moved on already. */
async function endAuthority(
  db: Db,
  authorityId: string,
  from: 'requested' | 'approved',
  to: 'declined' | 'revoked',
): Promise<boolean> {
  const changed = await db
    .updateTable('agent_authorities')
    .set({ status: to, ended_at: new Date() })
    .where('id', '=', authorityId)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) === 1;
}

/** The client declines a request in their account. */
export async function declineAuthority(
  db: Db,
  actor: AgentsActor,
  authorityId: string,
): Promise<Outcome<Record<never, never>>> {
  const authority = await authorityFor(db, actor, authorityId);
  if (!(await endAuthority(db, authority.id, 'requested', 'declined')))
    return { ok: false, errors: [{ field: 'authority', message: 'agents.authorities.notOpen' }] };
  await recordAudit(db, auditActor(actor, 'client'), {
    action: 'agent.authority_declined',
    resourceType: 'agent_authority',
    resourceId: authority.id,
    subjectUserId: authority.client_user_id,
    details: { agent_business_id: authority.agent_business_id },
  });
  return { ok: true };
}

/**
 * The client takes back an authority. Any agent acting for them under it stops at once: their
 * acting entries are removed here, and every request checks the authority anyway.
 */
export async function revokeAuthority(
  db: Db,
  actor: AgentsActor,
  authorityId: string,
): Promise<Outcome<Record<never, never>>> {
  const authority = await authorityFor(db, actor, authorityId);
  if (!(await endAuthority(db, authority.id, 'approved', 'revoked')))
    return { ok: false, errors: [{ field: 'authority', message: 'agents.authorities.notActive' }] };
  const stopped = await db
    .deleteFrom('acting_sessions')
    .where('authority_id', '=', authority.id)
    .returning(['user_id'])
    .execute();
  await recordAudit(db, auditActor(actor, 'client'), {
    action: 'agent.authority_revoked',
    resourceType: 'agent_authority',
    resourceId: authority.id,
    subjectUserId: authority.client_user_id,
    details: {
      agent_business_id: authority.agent_business_id,
      acting_sessions_ended: stopped.length,
    },
  });
  for (const session of stopped) {
    await recordAudit(db, auditActor(actor, 'client'), {
      action: 'agent.acting_stopped',
      resourceType: 'agent_authority',
      resourceId: authority.id,
      subjectUserId: authority.client_user_id,
      details: {
        on_behalf_of: authority.client_user_id,
        agent_business_id: authority.agent_business_id,
        agent_user_id: session.user_id,
        reason: 'revoked',
      },
    });
  }
  return { ok: true };
}

/**
 * The client types the 8-digit code their agent gave them. The code is checked against each
 * request waiting for this client, newest first; the one it belongs to is approved. A wrong
 * code counts against every waiting request's code (each allows five wrong tries), and a code
 * already used, or for a request approved in the account, is refused.
 */
export async function approveByCode(
  db: Db,
  actor: AgentsActor,
  typed: string,
): Promise<Outcome<{ authorityId: string }>> {
  const fail = (message: string): Outcome<{ authorityId: string }> => ({
    ok: false,
    errors: [{ field: 'code', message }],
  });
  const code = typed.replace(/\s+/g, '');
  if (!code) return fail('agents.code.missing');
  if (!/^[0-9]{8}$/.test(code)) return fail('agents.code.format');
  if (actor.user.kind !== 'citizen') return fail('agents.code.wrong');
  const waiting = await db
    .selectFrom('agent_authorities')
    .selectAll()
    .where('client_user_id', '=', actor.user.id)
    .where('status', '=', 'requested')
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('requested_at', 'desc')
    .execute();
  const reasons: Exclude<CodeCheck, { ok: true }>['reason'][] = [];
  for (const authority of waiting) {
    const check = await checkCode(db, AUTHORITY_PURPOSE, authority.id, code);
    if (check.ok && check.userId === actor.user.id) {
      if (await approve(db, actor, authority, 'code'))
        return { ok: true, authorityId: authority.id };
      return fail('agents.code.used');
    }
    if (!check.ok) reasons.push(check.reason);
  }
  if (reasons.length > 0 && reasons.every((r) => r === 'too-many'))
    return fail('agents.code.tooMany');
  return fail('agents.code.wrong');
}
