/**
 * Which version of a service's rule set is in force, and evaluating a named version: a
 * submission keeps the version id it was made under and is decided under it, even after a newer
 * version takes effect.
 */
import type { Db } from '../../../platform/db/database.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { evaluate, type Evaluation, type EvaluationProblem } from '../evaluate.js';
import type { DecisionTable, Inputs, Purpose, TestCase } from '../schema.js';
import type { RuleSetRow } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** One published version of a service's rule set for one purpose. */
export interface RuleSetVersion {
  id: string;
  serviceId: string;
  purpose: Purpose;
  version: number;
  table: DecisionTable;
  tests: TestCase[];
  /** The UK day (YYYY-MM-DD) it is in force from. */
  effectiveFrom: string;
  publishedBy: string | null;
  publishedAt: Date;
}

function toVersion(row: RuleSetRow): RuleSetVersion {
  return {
    id: row.id,
    serviceId: row.service_id,
    purpose: row.purpose,
    version: row.version,
    table: row.definition,
    tests: row.tests,
    effectiveFrom: row.effective_from,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
  };
}

/**
 * The version in force at a moment: the latest effective date on or before that moment's UK
 * day, and of versions with the same date the newest. Undefined before the first takes effect.
 *
 * @example const rules = await ruleSetInForce(db, service.id, 'eligibility');
 */
export async function ruleSetInForce(
  db: Db,
  serviceId: string,
  purpose: Purpose,
  at: Date = new Date(),
): Promise<RuleSetVersion | undefined> {
  const row = await db
    .selectFrom('rule_sets')
    .selectAll()
    .where('service_id', '=', serviceId)
    .where('purpose', '=', purpose)
    .where('effective_from', '<=', ukToday(at))
    .orderBy('effective_from', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toVersion(row) : undefined;
}

/** One version by its id (what a submission records), in force or not. */
export async function ruleSetVersion(db: Db, id: string): Promise<RuleSetVersion | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('rule_sets').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toVersion(row) : undefined;
}

/**
 * Evaluates the version a submission was made under, by its id, whichever version is in force
 * now. Undefined when there is no such version.
 *
 * @example const decided = await evaluateRuleSetVersion(db, submission.ruleSetVersionId, answers);
 */
export async function evaluateRuleSetVersion(
  db: Db,
  versionId: string,
  inputs: Inputs,
): Promise<{ version: RuleSetVersion; evaluation: Evaluation | EvaluationProblem } | undefined> {
  const version = await ruleSetVersion(db, versionId);
  return version ? { version, evaluation: evaluate(version.table, inputs) } : undefined;
}

/** Every version of a service's rule set for one purpose, newest first. */
export async function ruleSetHistory(
  db: Db,
  serviceId: string,
  purpose: Purpose,
): Promise<RuleSetVersion[]> {
  const rows = await db
    .selectFrom('rule_sets')
    .selectAll()
    .where('service_id', '=', serviceId)
    .where('purpose', '=', purpose)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toVersion);
}

/** The services (of those given) that have a rule set for a purpose, with its latest version. */
export async function latestVersions(
  db: Db,
  serviceIds: readonly string[],
): Promise<{ serviceId: string; purpose: Purpose; version: number }[]> {
  if (serviceIds.length === 0) return [];
  const rows = await db
    .selectFrom('rule_sets')
    .select(['service_id', 'purpose', (eb) => eb.fn.max('version').as('version')])
    .where('service_id', 'in', [...serviceIds])
    .groupBy(['service_id', 'purpose'])
    .execute();
  return rows.map((r) => ({
    serviceId: r.service_id,
    purpose: r.purpose,
    version: Number(r.version),
  }));
}
