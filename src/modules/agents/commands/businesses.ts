import { sql } from 'kysely';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { notFound } from '../../../platform/errors/errors.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { checkCode, issueCode } from '../../identity/index.js';
import { BUSINESS_TYPES, type BusinessAccountRow, type BusinessType } from '../db/tables.js';
import {
  administratorCount,
  canCreateBusiness,
  canManageBusiness,
  isInvitee,
  membershipOf,
} from '../policies/businesses.js';
import {
  charityNumberProblem,
  companiesHouseNumberProblem,
  normaliseNumber,
} from '../validation.js';
import { auditActor, emailProblem, type AgentsActor } from './actor.js';
import { isUuid } from '../../../platform/validation/uuid.js';

export const INVITATION_PURPOSE = 'business-invitation';
export const INVITATION_DAYS = 7;

export interface NewBusiness {
  name: string;
  type: string;
  companiesHouseNumber: string;
  charityNumber: string;
  isAgent: boolean;
}

/**
 * Makes a business or charity account with the person making it as its administrator.
 *
 * @example await createBusiness(trx, { user }, { name: 'Cotswold Accountants LLP', type: 'business', companiesHouseNumber: 'OC301234', charityNumber: '', isAgent: true });
 */
export async function createBusiness(
  db: Db,
  actor: AgentsActor,
  input: NewBusiness,
): Promise<Outcome<{ business: BusinessAccountRow }>> {
  if (!canCreateBusiness(actor.user)) throw notFound('only citizens make business accounts');
  const name = input.name.trim();
  const companiesHouseNumber = normaliseNumber(input.companiesHouseNumber);
  const charityNumber = normaliseNumber(input.charityNumber);
  const errors: FieldError[] = [];
  if (!name) errors.push({ field: 'name', message: 'agents.business.name.missing' });
  else if (name.length > 160)
    errors.push({ field: 'name', message: 'agents.business.name.tooLong' });
  if (!BUSINESS_TYPES.includes(input.type as BusinessType))
    errors.push({ field: 'type', message: 'agents.business.type.missing' });
  const companyError = companiesHouseNumberProblem(companiesHouseNumber);
  if (companyError) errors.push({ field: 'companiesHouseNumber', message: companyError });
  if (input.type === 'charity') {
    const charityError = charityNumberProblem(charityNumber);
    if (charityError) errors.push({ field: 'charityNumber', message: charityError });
  }
  if (errors.length) return { ok: false, errors };
  const business = await db
    .insertInto('business_accounts')
    .values({
      name,
      type: input.type as BusinessType,
      companies_house_number: companiesHouseNumber || null,
      charity_number: input.type === 'charity' ? charityNumber || null : null,
      is_agent: input.isAgent,
      created_by: actor.user.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('business_members')
    .values({ business_id: business.id, user_id: actor.user.id, role: 'administrator' })
    .execute();
  await recordAudit(db, auditActor(actor, 'administrator'), {
    action: 'business.created',
    resourceType: 'business_account',
    resourceId: business.id,
    subjectUserId: actor.user.id,
    details: { type: business.type, is_agent: business.is_agent },
  });
  return { ok: true, business };
}

/** Marks a business account as an agent (e.g. an accountant) that may ask clients for authority. */
export async function markAsAgent(db: Db, actor: AgentsActor, businessId: string): Promise<void> {
  if (!canManageBusiness(await membershipOf(db, businessId, actor.user.id))) throw notFound();
  const changed = await db
    .updateTable('business_accounts')
    .set({ is_agent: true })
    .where('id', '=', businessId)
    .where('is_agent', '=', false)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) === 0) return;
  await recordAudit(db, auditActor(actor, 'administrator'), {
    action: 'business.marked_agent',
    resourceType: 'business_account',
    resourceId: businessId,
    subjectUserId: null,
  });
}

/**
 * Invites someone by e-mail to be an assistant. The e-mail carries a link and a one-time code;
 * the invitee signs in (or registers) with that e-mail address and enters the code.
 * Inviting the same address again sends a new code for the same invitation.
 */
export async function inviteMember(
  db: Db,
  actor: AgentsActor,
  input: { businessId: string; email: string; baseUrl: string },
): Promise<Outcome<{ invitationId: string }>> {
  if (!canManageBusiness(await membershipOf(db, input.businessId, actor.user.id))) throw notFound();
  const email = input.email.trim();
  const problem = emailProblem(email, 'agents.invite.email');
  if (problem) return { ok: false, errors: [{ field: 'email', message: problem }] };
  const member = await db
    .selectFrom('business_members')
    .innerJoin('users', 'users.id', 'business_members.user_id')
    .select('users.id')
    .where('business_members.business_id', '=', input.businessId)
    .where(sql`lower(users.email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  if (member)
    return {
      ok: false,
      errors: [{ field: 'email', message: 'agents.invite.email.alreadyMember' }],
    };
  const business = await db
    .selectFrom('business_accounts')
    .select('name')
    .where('id', '=', input.businessId)
    .executeTakeFirstOrThrow();
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 3600_000);
  const pending = await db
    .selectFrom('business_invitations')
    .select('id')
    .where('business_id', '=', input.businessId)
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  const invitationId = pending
    ? (
        await db
          .updateTable('business_invitations')
          .set({ expires_at: expiresAt })
          .where('id', '=', pending.id)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    : (
        await db
          .insertInto('business_invitations')
          .values({
            business_id: input.businessId,
            email,
            role: 'assistant',
            invited_by: actor.user.id,
            expires_at: expiresAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
  const { code, id: codeId } = await issueCode(db, {
    purpose: INVITATION_PURPOSE,
    destination: invitationId,
    minutes: INVITATION_DAYS * 24 * 60,
    digits: 8,
  });
  const link = `${input.baseUrl}/business/invitations/${invitationId}`;
  await enqueue(db, {
    topic: MAIL_TOPIC,
    idempotencyKey: `business.invitation:${codeId}`,
    payload: {
      to: email,
      subject: `You have been invited to join ${business.name}`,
      text:
        `${actor.user.displayName} has invited you to join ${business.name} as an assistant.\n\n` +
        `Go to ${link}, sign in or create an account with this e-mail address, and enter this code: ${code}\n\n` +
        `The invitation ends in ${INVITATION_DAYS} days. If you were not expecting it, you can ignore this e-mail.\n\n———\n\n` +
        `Mae ${actor.user.displayName} wedi eich gwahodd i ymuno â ${business.name} fel cynorthwyydd.\n\n` +
        `Ewch i ${link}, mewngofnodwch neu crëwch gyfrif gyda’r cyfeiriad e-bost hwn, a rhowch y cod hwn: ${code}\n\n` +
        `Daw’r gwahoddiad i ben ymhen ${INVITATION_DAYS} diwrnod. Os nad oeddech yn ei ddisgwyl, gallwch anwybyddu’r e-bost hwn.`,
    },
  });
  await recordAudit(db, auditActor(actor, 'administrator'), {
    action: 'business.member_invited',
    resourceType: 'business_account',
    resourceId: input.businessId,
    subjectUserId: null,
    details: { invitation_id: invitationId, email },
  });
  return { ok: true, invitationId };
}

/** An invitation as its page shows it, or undefined for an unknown id. */
export async function findInvitation(db: Db, invitationId: string) {
  if (!isUuid(invitationId)) return undefined;
  return db
    .selectFrom('business_invitations as i')
    .innerJoin('business_accounts as b', 'b.id', 'i.business_id')
    .select([
      'i.id',
      'i.business_id',
      'i.email',
      'i.role',
      'i.expires_at',
      'i.accepted_at',
      'b.name as business_name',
    ])
    .where('i.id', '=', invitationId)
    .executeTakeFirst();
}

/**
 * The invitee accepts with the code from the e-mail and becomes a member. The signed-in
 * account's e-mail must be the invited one; a used, expired or wrong code changes nothing.
 */
export async function acceptInvitation(
  db: Db,
  actor: AgentsActor,
  input: { invitationId: string; code: string },
): Promise<Outcome<{ businessId: string }>> {
  const invitation = await findInvitation(db, input.invitationId);
  if (!invitation) throw notFound();
  const fail = (message: string): Outcome<{ businessId: string }> => ({
    ok: false,
    errors: [{ field: 'code', message }],
  });
  if (actor.user.kind !== 'citizen' || !isInvitee(actor.user, invitation.email))
    return fail('agents.invitation.wrongAccount');
  if (invitation.accepted_at) return fail('agents.invitation.used');
  if (invitation.expires_at.getTime() < Date.now()) return fail('agents.invitation.expired');
  const code = input.code.replace(/\s+/g, '');
  if (!code) return fail('agents.code.missing');
  if (!/^[0-9]{8}$/.test(code)) return fail('agents.code.format');
  const check = await checkCode(db, INVITATION_PURPOSE, invitation.id, code);
  if (!check.ok) {
    const messages: Record<string, string> = {
      wrong: 'agents.code.wrong',
      'too-many': 'agents.code.tooMany',
      used: 'agents.invitation.used',
      expired: 'agents.invitation.expired',
      none: 'agents.code.wrong',
    };
    return fail(messages[check.reason]!);
  }
  await db
    .insertInto('business_members')
    .values({ business_id: invitation.business_id, user_id: actor.user.id, role: invitation.role })
    .onConflict((oc) => oc.columns(['business_id', 'user_id']).doNothing())
    .execute();
  await db
    .updateTable('business_invitations')
    .set({ accepted_at: new Date(), accepted_by: actor.user.id })
    .where('id', '=', invitation.id)
    .execute();
  await recordAudit(db, auditActor(actor, invitation.role), {
    action: 'business.invitation_accepted',
    resourceType: 'business_account',
    resourceId: invitation.business_id,
    subjectUserId: actor.user.id,
    details: { invitation_id: invitation.id, role: invitation.role },
  });
  return { ok: true, businessId: invitation.business_id };
}

/**
 * An administrator removes a member; they stop acting for any client at once. The last
 * administrator cannot be removed, so an account always has someone to run it.
 */
export async function removeMember(
  db: Db,
  actor: AgentsActor,
  input: { businessId: string; userId: string },
): Promise<Outcome<Record<never, never>>> {
  if (!canManageBusiness(await membershipOf(db, input.businessId, actor.user.id))) throw notFound();
  const role = await membershipOf(db, input.businessId, input.userId);
  if (!isUuid(input.userId) || role === null) throw notFound();
  if (role === 'administrator' && (await administratorCount(db, input.businessId)) <= 1)
    return {
      ok: false,
      errors: [{ field: 'member', message: 'agents.members.lastAdministrator' }],
    };
  await db
    .deleteFrom('business_members')
    .where('business_id', '=', input.businessId)
    .where('user_id', '=', input.userId)
    .execute();
  await db
    .deleteFrom('acting_sessions')
    .where('agent_business_id', '=', input.businessId)
    .where('user_id', '=', input.userId)
    .execute();
  await recordAudit(db, auditActor(actor, 'administrator'), {
    action: 'business.member_removed',
    resourceType: 'business_account',
    resourceId: input.businessId,
    subjectUserId: input.userId,
    details: { role },
  });
  return { ok: true };
}
