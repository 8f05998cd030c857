/**
 * Assisted digital: an adviser fills in an online service for a customer on the phone or at
 * the counter. The adviser stays signed in as themselves; their session is marked as assisting
 * the customer (crm_assisting_sessions), with the customer's consent recorded, and the forms
 * journey then keeps the customer's draft and sends the application in the customer's name,
 * with channel `phone` or `face-to-face` and the adviser's id (ADR 0008).
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { findPublishedService } from '../../catalogue/index.js';
import { findUserById } from '../../identity/index.js';
import { ASSISTED_CHANNELS, type AssistedChannel } from '../db/tables.js';
import { mayAssistAtLevel, type Adviser } from '../policies/desk.js';
import { currentAccess, recordRefusal } from './access.js';

export interface AssistInput {
  channel: string;
  consent: string;
  serviceSlug: string;
}

/**
 * Starts assisting the customer on this session: the adviser must hold the record open (a
 * passed check within the hour), the customer must have consented and the service must have an
 * online form. A service needing a verified identity (level 3) is refused, and the refusal
 * audited, unless the customer's own account holds that level (`mayAssistAtLevel`). Starting
 * again replaces any earlier customer. Audited.
 */
export async function startAssisting(
  trx: Db,
  adviser: Adviser,
  actor: Actor,
  input: AssistInput & { sessionHash: string; customerId: string },
): Promise<Outcome<{ path: string }>> {
  const errors: FieldError[] = [];
  const channel = ASSISTED_CHANNELS.find((c) => c === input.channel);
  if (!channel) errors.push({ field: 'channel', message: 'crm.assist.error.channel' });
  if (input.consent !== 'yes')
    errors.push({ field: 'consent', message: 'crm.assist.error.consent' });
  const service = input.serviceSlug
    ? await findPublishedService(trx, input.serviceSlug, 'en')
    : undefined;
  if (!service?.formKey) errors.push({ field: 'serviceSlug', message: 'crm.assist.error.service' });
  if (errors.length || !channel || !service) return { ok: false, errors };
  const access = await currentAccess(trx, adviser, input.customerId);
  if (!access.ok)
    return { ok: false, errors: [{ field: 'consent', message: 'crm.assist.error.closed' }] };
  const customer = await findUserById(trx, input.customerId);
  if (!customer || !mayAssistAtLevel(service.requiredLevel, customer)) {
    await recordRefusal(trx, actor, input.customerId, 'identity-not-verified');
    return {
      ok: false,
      errors: [{ field: 'serviceSlug', message: 'crm.assist.error.verifiedIdentity' }],
    };
  }
  await stopAssisting(trx, adviser, actor, input.sessionHash);
  await trx
    .insertInto('crm_assisting_sessions')
    .values({
      session_id_hash: input.sessionHash,
      adviser_user_id: adviser.id,
      contact_centre_id: adviser.organisationId,
      customer_user_id: input.customerId,
      channel,
      consent_given_at: new Date(),
    })
    .execute();
  await recordAudit(trx, actor, {
    action: 'crm.assist.started',
    resourceType: 'user',
    resourceId: input.customerId,
    subjectUserId: input.customerId,
    details: { channel, consent: true, serviceId: service.id, service: service.slug },
  });
  return { ok: true, path: `/services/${service.slug}/apply` };
}

/** Ends assisting on this session, if it was; audited. */
export async function stopAssisting(
  trx: Db,
  adviser: Adviser,
  actor: Actor,
  sessionHash: string,
): Promise<string | null> {
  const ended = await trx
    .deleteFrom('crm_assisting_sessions')
    .where('session_id_hash', '=', sessionHash)
    .where('adviser_user_id', '=', adviser.id)
    .returning(['customer_user_id'])
    .executeTakeFirst();
  if (!ended) return null;
  await recordAudit(trx, actor, {
    action: 'crm.assist.stopped',
    resourceType: 'user',
    resourceId: ended.customer_user_id,
    subjectUserId: ended.customer_user_id,
  });
  return ended.customer_user_id;
}

/** Who this adviser's session assists, and how, or null. */
export async function assistingEntryFor(
  db: Db,
  sessionHash: string,
  adviserId: string,
): Promise<{ customerId: string; channel: AssistedChannel; contactCentreId: string } | null> {
  const row = await db
    .selectFrom('crm_assisting_sessions')
    .select(['customer_user_id', 'channel', 'contact_centre_id'])
    .where('session_id_hash', '=', sessionHash)
    .where('adviser_user_id', '=', adviserId)
    .executeTakeFirst();
  return row
    ? {
        customerId: row.customer_user_id,
        channel: row.channel,
        contactCentreId: row.contact_centre_id,
      }
    : null;
}
