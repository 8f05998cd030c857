import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { findPostcodeArea, parsePostcode } from '../../address/index.js';
import { mayWriteKnowledgeOf } from '../policies/knowledge.js';
import {
  areaName,
  type ContactPointInput,
  type ExpertInput,
  type RoutingRuleInput,
} from '../schema.js';
import { notYours } from './articles.js';

type Writer = CurrentUser & { organisationId: string };

/** The writer, when they may write their own body's directory; `knowledge_not_yours` otherwise. */
function writerOf(user: CurrentUser): Writer {
  if (!user.organisationId || !mayWriteKnowledgeOf(user, user.organisationId)) throw notYours();
  return user as Writer;
}

const gone = (what: Record<string, string>) =>
  new AppError('not_found', 404, 'Page not found', what);

/** Adds a contact point to the writer's body's directory, audited. */
export async function addContactPoint(
  trx: Db,
  actor: Actor,
  user: CurrentUser,
  input: ContactPointInput,
): Promise<Outcome<{ id: string }>> {
  const writer = writerOf(user);
  const { id } = await trx
    .insertInto('knowledge_contact_points')
    .values({
      organisation_id: writer.organisationId,
      name: input.name,
      name_cy: input.nameCy,
      phone: input.phone,
      email: input.email,
      address: input.address,
      opening_hours: JSON.stringify(input.hours),
      updated_by: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'knowledge.contact-point-added',
    resourceType: 'knowledge_contact_point',
    resourceId: id,
    subjectUserId: null,
    details: { name: input.name },
  });
  return { ok: true, id };
}

/** Changes a contact point of the writer's own body, audited; another body's is refused. */
export async function editContactPoint(
  trx: Db,
  actor: Actor,
  user: CurrentUser,
  id: string,
  input: ContactPointInput,
): Promise<Outcome<{ id: string }>> {
  const before = await trx
    .selectFrom('knowledge_contact_points')
    .select('organisation_id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!before) throw gone({ contactPoint: id });
  if (!mayWriteKnowledgeOf(user, before.organisation_id)) throw notYours();
  await trx
    .updateTable('knowledge_contact_points')
    .set({
      name: input.name,
      name_cy: input.nameCy,
      phone: input.phone,
      email: input.email,
      address: input.address,
      opening_hours: JSON.stringify(input.hours),
      updated_by: user.id,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'knowledge.contact-point-edited',
    resourceType: 'knowledge_contact_point',
    resourceId: id,
    subjectUserId: null,
    details: { name: input.name },
  });
  return { ok: true, id };
}

/** Adds a service expert to the writer's body's directory, audited. */
export async function addExpert(
  trx: Db,
  actor: Actor,
  user: CurrentUser,
  input: ExpertInput,
): Promise<Outcome<{ id: string }>> {
  const writer = writerOf(user);
  const { id } = await trx
    .insertInto('knowledge_experts')
    .values({
      organisation_id: writer.organisationId,
      name: input.name,
      role: input.role,
      topics: input.topics,
      how_to_reach: input.howToReach,
      updated_by: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'knowledge.expert-added',
    resourceType: 'knowledge_expert',
    resourceId: id,
    subjectUserId: null,
    details: { role: input.role },
  });
  return { ok: true, id };
}

/**
 * The GSS code of the area a rule covers, from what was typed: a council area's or a nation's
 * code, or a postcode, which gives its council area (the district, or the unitary).
 */
async function readArea(db: Db, typed: string): Promise<{ gss: string } | { error: FieldError }> {
  if (/^[EWSNK]\d{8}$/.test(typed))
    return areaName(typed, 'en')
      ? { gss: typed }
      : { error: { field: 'area', message: 'knowledge.error.area.unknown' } };
  const postcode = parsePostcode(typed);
  if (!postcode.ok) return { error: { field: 'area', message: 'knowledge.error.area.unknown' } };
  const row = await findPostcodeArea(db, postcode.postcode);
  if (!row?.district_gss)
    return { error: { field: 'area', message: 'knowledge.error.area.postcodeUnknown' } };
  return { gss: row.district_gss };
}

/**
 * Adds a call-routing rule to one of the writer's body's contact points, audited. Refused when
 * the area is neither a known GSS code nor a postcode in the directory, or the contact point is
 * another body's.
 */
export async function addRoutingRule(
  trx: Db,
  actor: Actor,
  user: CurrentUser,
  input: RoutingRuleInput,
): Promise<Outcome<{ id: string }>> {
  const writer = writerOf(user);
  const errors: FieldError[] = [];
  const area = await readArea(trx, input.area);
  if ('error' in area) errors.push(area.error);
  const contactPoint = await trx
    .selectFrom('knowledge_contact_points')
    .select('organisation_id')
    .where('id', '=', input.contactPointId)
    .executeTakeFirst();
  if (contactPoint?.organisation_id !== writer.organisationId)
    errors.push({ field: 'contactPointId', message: 'knowledge.error.contactPointId.notYours' });
  if (errors.length > 0 || 'error' in area) return { ok: false, errors };
  const { id } = await trx
    .insertInto('knowledge_routing_rules')
    .values({
      organisation_id: writer.organisationId,
      service_key: input.serviceKey,
      topic: input.topic,
      area_gss: area.gss,
      contact_point_id: input.contactPointId,
      opening_hours: input.hours ? JSON.stringify(input.hours) : null,
      notes: input.notes,
      updated_by: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'knowledge.routing-rule-added',
    resourceType: 'knowledge_routing_rule',
    resourceId: id,
    subjectUserId: null,
    details: { serviceKey: input.serviceKey, topic: input.topic, area: area.gss },
  });
  return { ok: true, id };
}

/** Removes an expert or a routing rule of the writer's own body, audited; another body's is refused. */
export async function removeDirectoryEntry(
  trx: Db,
  actor: Actor,
  user: CurrentUser,
  kind: 'expert' | 'routing-rule',
  id: string,
): Promise<void> {
  const table = kind === 'expert' ? 'knowledge_experts' : 'knowledge_routing_rules';
  const row = await trx
    .selectFrom(table)
    .select('organisation_id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw gone({ [kind]: id });
  if (!mayWriteKnowledgeOf(user, row.organisation_id)) throw notYours();
  await trx.deleteFrom(table).where('id', '=', id).execute();
  await recordAudit(trx, actor, {
    action: `knowledge.${kind}-removed`,
    resourceType: kind === 'expert' ? 'knowledge_expert' : 'knowledge_routing_rule',
    resourceId: id,
    subjectUserId: null,
  });
}
