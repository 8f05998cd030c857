/**
 * Proves a decision table "unique" when it is saved: no two rows match the same answers (an
 * overlap) and every possible answer is matched by some row (no gap). It is exact, not a sample:
 * each input's domain is cut into cells at every value and range bound any row names (each cell
 * is either wholly inside or wholly outside every condition), so rows are compared cell by cell —
 * finite domains value by value, numbers, money and dates by interval.
 */
import type { z } from 'zod';
import {
  DecisionTableSchema,
  type Condition,
  type DecisionTable,
  type Input,
  type InputValue,
  type Inputs,
} from './schema.js';
import { inputsUsedBy, placeholdersOf } from './evaluate.js';

/** Something wrong with a table, for the editor to show. */
export type TableProblem =
  /** The JSON is not a table: a path into it and zod's message. */
  | { kind: 'schema'; path: string; message: string }
  /** A table that parses but does not make sense: an i18n key and its values. */
  | { kind: 'structure'; path: string; key: string; values: Record<string, string | number> }
  /** Rows `rows[0]` and `rows[1]` (from 1) both match `example`. */
  | { kind: 'overlap'; rows: [number, number]; example: Inputs }
  /** No row matches `example`. */
  | { kind: 'gap'; example: Inputs };

export type TableCheck =
  { ok: true; table: DecisionTable } | { ok: false; problems: TableProblem[] };

/** The most overlaps and gaps reported at once. */
const MAX_REPORTED = 20;

/** One cell of an input's domain: a value standing for every answer in it. */
interface Domain {
  input: Input;
  representatives: InputValue[];
  /** The cells (indices) a condition holds on. */
  cellsOf(condition: Condition): number[];
}

const DAY = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** Whole-step intervals [lower, upper) of an ordered domain, cut at every bound rows name. */
function orderedDomain(input: Input, conditions: Condition[]): Domain {
  const isDate = input.type === 'date';
  const toNumber = (v: InputValue) => (isDate ? dayOf(v as string) : (v as number));
  const fromNumber = (n: number): InputValue => (isDate ? isoOf(n) : n);
  const min = 'min' in input ? input.min : undefined;
  const max = 'max' in input ? input.max : undefined;
  const lower =
    min !== undefined ? toNumber(min) : input.type === 'money' ? 0 : Number.NEGATIVE_INFINITY;
  const upper = max !== undefined ? toNumber(max) + 1 : Number.POSITIVE_INFINITY;
  const cuts = new Set<number>();
  for (const c of conditions) {
    if (c === 'any') continue;
    if ('equals' in c) {
      cuts.add(toNumber(c.equals as InputValue));
      cuts.add(toNumber(c.equals as InputValue) + 1);
    } else if ('oneOf' in c) {
      for (const v of c.oneOf) {
        cuts.add(toNumber(v));
        cuts.add(toNumber(v) + 1);
      }
    } else if (!('noneOf' in c)) {
      if (c.min !== undefined) cuts.add(toNumber(c.min));
      if (c.max !== undefined) cuts.add(toNumber(c.max));
    }
  }
  const points = [lower, ...[...cuts].filter((p) => p > lower && p < upper), upper].sort(
    (a, b) => a - b,
  );
  const cells: [number, number][] = [];
  for (let i = 0; i + 1 < points.length; i++) cells.push([points[i]!, points[i + 1]!]);
  const representative = ([a, b]: [number, number]) =>
    fromNumber(Number.isFinite(a) ? a : Number.isFinite(b) ? b - 1 : 0);
  return {
    input,
    representatives: cells.map(representative),
    cellsOf(condition) {
      if (condition === 'any') return cells.map((_, i) => i);
      let ranges: [number, number][];
      if ('equals' in condition) {
        const v = toNumber(condition.equals as InputValue);
        ranges = [[v, v + 1]];
      } else if ('oneOf' in condition) {
        ranges = condition.oneOf.map((v) => [toNumber(v), toNumber(v) + 1]);
      } else if ('noneOf' in condition) {
        ranges = []; // refused before analysis: noneOf is for choices and text
      } else {
        ranges = [
          [
            condition.min === undefined ? Number.NEGATIVE_INFINITY : toNumber(condition.min),
            condition.max === undefined ? Number.POSITIVE_INFINITY : toNumber(condition.max),
          ],
        ];
      }
      const inside: number[] = [];
      cells.forEach(([a, b], i) => {
        if (ranges.some(([from, to]) => a >= from && b <= to)) inside.push(i);
      });
      return inside;
    },
  };
}

/** A finite domain (yes/no, a choice) or text: each value named, and for text one "any other". */
function finiteDomain(input: Input, conditions: Condition[]): Domain {
  let values: InputValue[];
  if (input.type === 'yesno') values = [true, false];
  else if (input.type === 'choice') values = input.options.map((o) => o.value);
  else {
    const named = new Set<string>();
    for (const c of conditions) {
      if (c === 'any') continue;
      if ('equals' in c) named.add(String(c.equals));
      else if ('oneOf' in c) for (const v of c.oneOf) named.add(String(v));
      else if ('noneOf' in c) for (const v of c.noneOf) named.add(v);
    }
    let other = 'something else';
    while (named.has(other)) other += '!';
    values = [...named, other];
  }
  return {
    input,
    representatives: values,
    cellsOf(condition) {
      const inside: number[] = [];
      values.forEach((v, i) => {
        if (condition === 'any') inside.push(i);
        else if ('equals' in condition) {
          if (condition.equals === v) inside.push(i);
        } else if ('oneOf' in condition) {
          if ((condition.oneOf as InputValue[]).includes(v)) inside.push(i);
        } else if ('noneOf' in condition) {
          if (!(condition.noneOf as InputValue[]).includes(v)) inside.push(i);
        }
      });
      return inside;
    },
  };
}

/** Problems with one condition given its input's type (before the domains can be cut). */
function conditionProblem(input: Input, condition: Condition): string | undefined {
  if (condition === 'any') return undefined;
  const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
  const ok = (v: unknown): boolean => {
    switch (input.type) {
      case 'yesno':
        return typeof v === 'boolean';
      case 'choice':
        return typeof v === 'string' && input.options.some((o) => o.value === v);
      case 'text':
        return typeof v === 'string';
      case 'number':
      case 'money':
        return typeof v === 'number' && Number.isSafeInteger(v);
      case 'date':
        return isDate(v);
    }
  };
  if ('equals' in condition) return ok(condition.equals) ? undefined : 'rules.problem.value';
  if ('oneOf' in condition) {
    if (input.type === 'yesno') return 'rules.problem.oneOfYesNo';
    return condition.oneOf.every(ok) ? undefined : 'rules.problem.value';
  }
  if ('noneOf' in condition) {
    if (input.type !== 'choice' && input.type !== 'text') return 'rules.problem.noneOfType';
    return condition.noneOf.every(ok) ? undefined : 'rules.problem.value';
  }
  if (input.type !== 'number' && input.type !== 'money' && input.type !== 'date')
    return 'rules.problem.rangeType';
  if (
    (condition.min !== undefined && !ok(condition.min)) ||
    (condition.max !== undefined && !ok(condition.max))
  )
    return 'rules.problem.value';
  if (condition.min !== undefined && condition.max !== undefined && condition.min >= condition.max)
    return 'rules.problem.emptyRange';
  return undefined;
}

/** Everything that makes sense to check before looking for overlaps and gaps. */
function structureProblems(table: DecisionTable): TableProblem[] {
  const problems: TableProblem[] = [];
  const add = (path: string, key: string, values: Record<string, string | number> = {}) =>
    problems.push({ kind: 'structure', path, key, values });
  const names = new Set<string>();
  table.inputs.forEach((input, i) => {
    if (names.has(input.name))
      add(`inputs.${i}.name`, 'rules.problem.duplicateInput', { name: input.name });
    names.add(input.name);
    if (input.type === 'choice') {
      const seen = new Set<string>();
      for (const option of input.options) {
        if (seen.has(option.value))
          add(`inputs.${i}.options`, 'rules.problem.duplicateOption', { value: option.value });
        seen.add(option.value);
      }
    }
    if (
      'min' in input &&
      input.min !== undefined &&
      input.max !== undefined &&
      input.min > input.max
    )
      add(`inputs.${i}`, 'rules.problem.inputRange', { name: input.name });
  });
  const byName = new Map(table.inputs.map((input) => [input.name, input]));
  table.rows.forEach((row, r) => {
    const number = r + 1;
    for (const [name, condition] of Object.entries(row.when)) {
      const input = byName.get(name);
      if (!input) {
        add(`rows.${r}.when.${name}`, 'rules.problem.unknownInput', { row: number, name });
        continue;
      }
      const key = conditionProblem(input, condition);
      if (key) add(`rows.${r}.when.${name}`, key, { row: number, name });
    }
    if (row.outcome.type !== table.purpose)
      add(`rows.${r}.outcome`, 'rules.problem.outcomeType', {
        row: number,
        purpose: table.purpose,
      });
    for (const locale of ['en', 'cy'] as const) {
      const named = placeholdersOf(row.explanation[locale]);
      for (const name of named)
        if (!byName.has(name))
          add(`rows.${r}.explanation.${locale}`, 'rules.problem.unknownPlaceholder', {
            row: number,
            name,
          });
      for (const input of inputsUsedBy(table, row))
        if (!named.includes(input.name))
          add(`rows.${r}.explanation.${locale}`, 'rules.problem.unnamedInput', {
            row: number,
            name: input.name,
          });
    }
  });
  return problems;
}

/** The cell sets of every row on every input: `cells[row][input]`. */
function cellsOfRows(table: DecisionTable, domains: Domain[]): number[][][] {
  return table.rows.map((row) => domains.map((d) => d.cellsOf(row.when[d.input.name] ?? 'any')));
}

function intersect(a: number[], b: number[]): number | undefined {
  const set = new Set(b);
  return a.find((x) => set.has(x));
}

/** Every pair of rows that match some answers in common, with one such answer. */
function findOverlaps(domains: Domain[], cells: number[][][]): TableProblem[] {
  const found: TableProblem[] = [];
  for (let i = 0; i < cells.length && found.length < MAX_REPORTED; i++) {
    for (let j = i + 1; j < cells.length && found.length < MAX_REPORTED; j++) {
      const example: Inputs = {};
      let overlaps = true;
      for (let k = 0; k < domains.length; k++) {
        const common = intersect(cells[i]![k]!, cells[j]![k]!);
        if (common === undefined) {
          overlaps = false;
          break;
        }
        example[domains[k]!.input.name] = domains[k]!.representatives[common]!;
      }
      if (overlaps) found.push({ kind: 'overlap', rows: [i + 1, j + 1], example });
    }
  }
  return found;
}

/**
 * Answers no row matches. Input by input, the cells are grouped by which of the rows still in
 * play hold on them; a group no row holds on is a gap, otherwise the group's rows go on to the
 * next input. Every cell of every input is accounted for, so no gap is missed.
 */
function findGaps(domains: Domain[], cells: number[][][]): TableProblem[] {
  const found: TableProblem[] = [];
  const walk = (rows: number[], k: number, example: Inputs): void => {
    if (found.length >= MAX_REPORTED) return;
    if (k === domains.length) {
      if (rows.length === 0) found.push({ kind: 'gap', example: { ...example } });
      return;
    }
    const domain = domains[k]!;
    const groups = new Map<string, { rows: number[]; cell: number }>();
    domain.representatives.forEach((_, cell) => {
      const holding = rows.filter((r) => cells[r]![k]!.includes(cell));
      const key = holding.join(',');
      if (!groups.has(key)) groups.set(key, { rows: holding, cell });
    });
    for (const group of groups.values()) {
      example[domain.input.name] = domain.representatives[group.cell]!;
      if (group.rows.length === 0) {
        // Nothing matches from here on: any answer to the remaining inputs shows the gap.
        for (let rest = k + 1; rest < domains.length; rest++)
          example[domains[rest]!.input.name] = domains[rest]!.representatives[0]!;
        found.push({ kind: 'gap', example: { ...example } });
        for (let rest = k + 1; rest < domains.length; rest++)
          delete example[domains[rest]!.input.name];
        if (found.length >= MAX_REPORTED) return;
      } else walk(group.rows, k + 1, example);
    }
    delete example[domain.input.name];
  };
  walk(
    cells.map((_, i) => i),
    0,
    {},
  );
  return found;
}

/** Overlaps and gaps of a table whose structure is sound. */
export function coverageProblems(table: DecisionTable): TableProblem[] {
  const domains = table.inputs.map((input) => {
    const conditions = table.rows.map((row) => row.when[input.name] ?? 'any');
    return input.type === 'number' || input.type === 'money' || input.type === 'date'
      ? orderedDomain(input, conditions)
      : finiteDomain(input, conditions);
  });
  const cells = cellsOfRows(table, domains);
  return [...findOverlaps(domains, cells), ...findGaps(domains, cells)];
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * Parses and checks a table: its format (zod), its structure (known inputs, conditions of the
 * right type, outcomes of the table's purpose, explanations naming every input each row uses),
 * then that it is unique — no overlaps, no gaps.
 *
 * @example const check = analyseTable(JSON.parse(text)); if (!check.ok) show(check.problems);
 */
export function analyseTable(value: unknown): TableCheck {
  const parsed = DecisionTableSchema.safeParse(value);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((issue: z.core.$ZodIssue) => ({
        kind: 'schema' as const,
        path: pathOf(issue.path),
        message: issue.message,
      })),
    };
  const table = parsed.data;
  const structure = structureProblems(table);
  if (structure.length > 0) return { ok: false, problems: structure };
  const coverage = coverageProblems(table);
  return coverage.length > 0 ? { ok: false, problems: coverage } : { ok: true, table };
}
