/**
 * Publishing a new version of a service's rule set: the table must be unique (no overlapping
 * rows, no gaps), every test case written beside it must pass, and it takes effect on a day not
 * before today nor before the version now latest. The published version never changes.
 */
import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { ownedServices } from '../../catalogue/index.js';
import { analyseTable, type TableProblem } from '../analysis.js';
import { canEditRules } from '../policies/rules.js';
import {
  IsoDateSchema,
  TestCasesSchema,
  type DecisionTable,
  type Purpose,
  type TestCase,
} from '../schema.js';
import { runTestCases, type TestResult } from '../test-cases.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** Why a version was not published. */
export type PublishProblem =
  | TableProblem
  | { kind: 'forbidden' }
  | { kind: 'purpose'; purpose: Purpose; found: Purpose }
  | { kind: 'tests-format'; path: string; message: string }
  | { kind: 'test-failed'; result: TestResult }
  | { kind: 'effective-date'; key: string; values: Record<string, string> }
  | { kind: 'stale'; nextVersion: number };

export type PublishOutcome =
  | { ok: true; id: string; version: number; effectiveFrom: string }
  | { ok: false; errors: PublishProblem[] };

export interface PublishRuleSet {
  serviceId: string;
  purpose: Purpose;
  /** The table as parsed JSON, not yet checked. */
  definition: unknown;
  /** The test cases as parsed JSON, not yet checked. */
  tests: unknown;
  effectiveFrom: string;
  /** The version number the editor showed as next: another publication meanwhile makes it stale. */
  expectedVersion: number;
}

/** A table and test cases that passed every check, or why not. */
export type CheckedRuleSet =
  | { ok: true; table: DecisionTable; tests: TestCase[]; results: TestResult[] }
  | { ok: false; errors: PublishProblem[] };

/** Checks a table and its test cases without publishing (the editor's "Check" does this). */
export function checkRuleSet(
  purpose: Purpose,
  definition: unknown,
  tests: unknown,
): CheckedRuleSet {
  const analysed = analyseTable(definition);
  if (!analysed.ok) return { ok: false, errors: analysed.problems };
  if (analysed.table.purpose !== purpose)
    return {
      ok: false,
      errors: [{ kind: 'purpose', purpose, found: analysed.table.purpose }],
    };
  const parsedTests = TestCasesSchema.safeParse(tests);
  if (!parsedTests.success)
    return {
      ok: false,
      errors: parsedTests.error.issues.map((issue) => ({
        kind: 'tests-format' as const,
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    };
  const results = runTestCases(analysed.table, parsedTests.data);
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0)
    return {
      ok: false,
      errors: failed.map((result) => ({ kind: 'test-failed' as const, result })),
    };
  return { ok: true, table: analysed.table, tests: parsedTests.data, results };
}

/**
 * Publishes the next version of a service's rule set for one purpose, audited as `rules.published`.
 * The caller opens the transaction.
 *
 * @example await db.transaction().execute((trx) => publishRuleSet(trx, user, input, actor));
 */
export async function publishRuleSet(
  db: Db,
  user: CurrentUser,
  input: PublishRuleSet,
  actor: Actor,
  now: Date = new Date(),
): Promise<PublishOutcome> {
  const service = isUuid(input.serviceId)
    ? (await ownedServices(db, { id: input.serviceId }))[0]
    : undefined;
  if (!service || !canEditRules(user, service))
    return { ok: false, errors: [{ kind: 'forbidden' }] };

  const checked = checkRuleSet(input.purpose, input.definition, input.tests);
  if (!checked.ok) return checked;

  const latest = await db
    .selectFrom('rule_sets')
    .select(['version', 'effective_from'])
    .where('service_id', '=', service.id)
    .where('purpose', '=', input.purpose)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const nextVersion = (latest?.version ?? 0) + 1;
  if (input.expectedVersion !== nextVersion)
    return { ok: false, errors: [{ kind: 'stale', nextVersion }] };

  const today = ukToday(now);
  const date = IsoDateSchema.safeParse(input.effectiveFrom);
  if (!date.success)
    return {
      ok: false,
      errors: [{ kind: 'effective-date', key: 'rules.editor.effective.invalid', values: {} }],
    };
  if (input.effectiveFrom < today)
    return {
      ok: false,
      errors: [
        { kind: 'effective-date', key: 'rules.editor.effective.past', values: { date: today } },
      ],
    };
  if (latest && input.effectiveFrom < latest.effective_from)
    return {
      ok: false,
      errors: [
        {
          kind: 'effective-date',
          key: 'rules.editor.effective.beforeLatest',
          values: { date: latest.effective_from },
        },
      ],
    };

  const inserted = await db
    .insertInto('rule_sets')
    .values({
      service_id: service.id,
      purpose: input.purpose,
      version: nextVersion,
      definition: JSON.stringify(checked.table),
      tests: JSON.stringify(checked.tests),
      effective_from: input.effectiveFrom,
      published_by: user.id,
    })
    .onConflict((oc) => oc.columns(['service_id', 'purpose', 'version']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return { ok: false, errors: [{ kind: 'stale', nextVersion: nextVersion + 1 }] };
  await recordAudit(db, actor, {
    action: 'rules.published',
    resourceType: 'rule_set',
    resourceId: inserted.id,
    subjectUserId: null,
    details: {
      serviceId: service.id,
      purpose: input.purpose,
      version: nextVersion,
      effectiveFrom: input.effectiveFrom,
      rows: checked.table.rows.length,
      tests: checked.tests.length,
    },
  });
  return { ok: true, id: inserted.id, version: nextVersion, effectiveFrom: input.effectiveFrom };
}
