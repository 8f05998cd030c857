import type { Db } from '../../../platform/db/database.js';
import type { ContactPointRow, ExpertRow, RoutingRuleRow } from '../db/tables.js';

export async function findContactPoint(db: Db, id: string): Promise<ContactPointRow | undefined> {
  return db
    .selectFrom('knowledge_contact_points')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Every body's directory: contact points, experts and routing rules, for the directory page. */
export async function directory(db: Db, organisationId?: string) {
  let points = db.selectFrom('knowledge_contact_points').selectAll().orderBy('name');
  let experts = db.selectFrom('knowledge_experts').selectAll().orderBy('name');
  let rules = db.selectFrom('knowledge_routing_rules').selectAll().orderBy('area_gss');
  if (organisationId) {
    points = points.where('organisation_id', '=', organisationId);
    experts = experts.where('organisation_id', '=', organisationId);
    rules = rules.where('organisation_id', '=', organisationId);
  }
  const [contactPoints, expertRows, ruleRows] = await Promise.all([
    points.execute(),
    experts.execute(),
    rules.execute(),
  ]);
  return { contactPoints, experts: expertRows, rules: ruleRows };
}

export async function contactPointsByIds(
  db: Db,
  ids: readonly string[],
): Promise<ContactPointRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('knowledge_contact_points')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
}

/** The contact points of one body, for the routing rule form. */
export async function contactPointsOf(db: Db, organisationId: string): Promise<ContactPointRow[]> {
  return (await directory(db, organisationId)).contactPoints;
}

/**
 * The routing rules for a service (its key) or a topic in any of the areas a postcode is in, most
 * specific area first (the order of `areas`: district before county before nation), rules naming
 * the service before those naming only a topic.
 */
export async function routingRulesFor(
  db: Db,
  match: { serviceKey: string | null; topic: string },
  areas: readonly string[],
): Promise<RoutingRuleRow[]> {
  if (areas.length === 0) return [];
  const topic = match.topic.trim().toLowerCase();
  if (!match.serviceKey && !topic) return [];
  const rows = await db
    .selectFrom('knowledge_routing_rules')
    .selectAll()
    .where('area_gss', 'in', [...areas])
    .where((eb) => {
      const either = [];
      if (match.serviceKey) either.push(eb('service_key', '=', match.serviceKey));
      if (topic) either.push(eb(eb.fn('lower', ['topic']), '=', topic));
      return eb.or(either);
    })
    .execute();
  const rank = (rule: RoutingRuleRow) =>
    areas.indexOf(rule.area_gss) * 2 +
    (match.serviceKey && rule.service_key === match.serviceKey ? 0 : 1);
  return rows.sort((a, b) => rank(a) - rank(b));
}

export type { ContactPointRow, ExpertRow, RoutingRuleRow };
