/**
 * Anonymised outcome figures per kind of case, for the performance pages: how many plans show
 * needs reduced between the first and the latest assessment, and how many finished actions were
 * done on time. Counts under 5 are suppressed ("fewer than 5") so no person can be picked out.
 */
import type { Db } from '../../../platform/db/database.js';
import { day } from './plans.js';

/** A count, or `null` with `suppressed` when it is 1–4. */
export interface SafeCount {
  value: number | null;
  suppressed: boolean;
}

/** The smallest count shown as a number (apart from 0). */
export const SMALL_NUMBER = 5;

/** A count as it may be published. */
export function safeCount(n: number): SafeCount {
  return n > 0 && n < SMALL_NUMBER
    ? { value: null, suppressed: true }
    : { value: n, suppressed: false };
}

/** The figures for one kind of case. */
export interface CasePlanOutcome {
  kind: string;
  /** The kind's name in English and in Welsh (from its assessment template). */
  name: string;
  nameCy: string;
  plans: SafeCount;
  /** Plans with at least two assessments. */
  reassessed: SafeCount;
  /** Of those, plans whose total need score fell from the first to the latest assessment. */
  needsReduced: SafeCount;
  /** Actions done. */
  actionsDone: SafeCount;
  /** Of those, done on or before their due date. */
  actionsDoneOnTime: SafeCount;
}

/**
 * The outcome figures of every kind of case, across all bodies.
 *
 * @example const figures = await casePlanOutcomes(db); // [{ kind: 'offender', plans: { value: 12, … } …]
 */
export async function casePlanOutcomes(db: Db): Promise<CasePlanOutcome[]> {
  const kinds = await db
    .selectFrom('case_plan_templates')
    .select(['kind', 'name', 'name_cy'])
    .orderBy('kind')
    .execute();
  const plans = await db.selectFrom('case_plans').select(['id', 'kind']).execute();
  const assessments = await db
    .selectFrom('case_plan_assessments')
    .select(['case_plan_id', 'scores', 'assessed_on', 'recorded_at'])
    .orderBy('assessed_on')
    .orderBy('recorded_at')
    .execute();
  const actions = await db
    .selectFrom('case_plan_actions')
    .select(['case_plan_id', 'due_on', 'completed_on'])
    .where('status', '=', 'done')
    .execute();
  const kindOf = new Map(plans.map((p) => [p.id, p.kind]));
  const totals = new Map<string, number[]>();
  for (const a of assessments) {
    const sum = Object.values(a.scores).reduce((x, y) => x + Number(y), 0);
    totals.set(a.case_plan_id, [...(totals.get(a.case_plan_id) ?? []), sum]);
  }
  return kinds.map(({ kind, name, name_cy: nameCy }) => {
    const ids = plans.filter((p) => p.kind === kind).map((p) => p.id);
    const series = ids.map((id) => totals.get(id) ?? []).filter((s) => s.length >= 2);
    const done = actions.filter((a) => kindOf.get(a.case_plan_id) === kind);
    return {
      kind,
      name,
      nameCy,
      plans: safeCount(ids.length),
      reassessed: safeCount(series.length),
      needsReduced: safeCount(series.filter((s) => s[s.length - 1]! < s[0]!).length),
      actionsDone: safeCount(done.length),
      actionsDoneOnTime: safeCount(
        done.filter((a) => a.completed_on && day(a.completed_on) <= day(a.due_on)).length,
      ),
    };
  });
}
