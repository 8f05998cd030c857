/**
 * Decision tables for the rules module's tests, made with fast-check: valid tables built as a
 * partition of the answer space (a decision tree, each input split at most once on a path, so
 * every answer falls in exactly one leaf), random answers within the inputs' domains, and random
 * (often invalid) tables to hold the analysis against the evaluator.
 */
import fc from 'fast-check';
import type { Condition, DecisionTable, Input, InputValue, Inputs, Row } from '../schema.js';

type Gen = ReturnType<typeof fc.gen> extends fc.Arbitrary<infer G> ? G : never;

const DAY = 86_400_000;
const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;

/** One input of a random type; ordered ones get a small domain so cuts land in it. */
function makeInput(g: Gen, index: number): Input {
  const name = `in${index}`;
  const label = { en: `Question ${index}`, cy: `Cwestiwn ${index}` };
  const type = g(() => fc.constantFrom('yesno', 'choice', 'number', 'money', 'date', 'text'));
  switch (type) {
    case 'yesno':
      return { name, label, type };
    case 'choice': {
      const n = g(fc.integer, { min: 2, max: 4 });
      return {
        name,
        label,
        type,
        options: Array.from({ length: n }, (_, i) => ({
          value: `opt-${i}`,
          label: { en: `Option ${index}.${i}`, cy: `Dewis ${index}.${i}` },
        })),
      };
    }
    case 'number': {
      const bounded = g(fc.boolean);
      return bounded ? { name, label, type, min: -5, max: 40 } : { name, label, type };
    }
    case 'money':
      return g(fc.boolean) ? { name, label, type, max: 5000 } : { name, label, type };
    case 'date':
      return g(fc.boolean)
        ? { name, label, type, min: '2026-01-01', max: '2026-03-31' }
        : { name, label, type };
    default:
      return { name, label, type: 'text' };
  }
}

/** Splits an input's domain into 2–3 non-empty conditions that together cover it exactly. */
function split(g: Gen, input: Input): Condition[] {
  switch (input.type) {
    case 'yesno':
      return [{ equals: true }, { equals: false }];
    case 'choice': {
      const values = input.options.map((o) => o.value);
      const cut = g(fc.integer, { min: 1, max: values.length - 1 });
      const parts = [values.slice(0, cut), values.slice(cut)];
      return parts.map((p) => (p.length === 1 ? { equals: p[0]! } : { oneOf: p }));
    }
    case 'text': {
      const word = g(() => fc.constantFrom('alpha', 'beta', 'gamma'));
      return [{ equals: word }, { noneOf: [word] }];
    }
    default: {
      const isDate = input.type === 'date';
      const lo = isDate
        ? dayOf(input.min ?? '2026-01-01')
        : (input.min ?? (input.type === 'money' ? 0 : -5));
      const hi = isDate ? dayOf(input.max ?? '2026-03-31') : (input.max ?? 40);
      const n = g(fc.integer, { min: 1, max: 2 });
      const cuts = [
        ...new Set(Array.from({ length: n }, () => g(fc.integer, { min: lo + 1, max: hi }))),
      ].sort((a, b) => a - b);
      const bound = (x: number): InputValue => (isDate ? isoOf(x) : x);
      const conditions: Condition[] = [];
      for (let i = 0; i <= cuts.length; i++) {
        const min = i === 0 ? undefined : bound(cuts[i - 1]!);
        const max = i === cuts.length ? undefined : bound(cuts[i]!);
        conditions.push({
          ...(min !== undefined ? { min: min as number | string } : {}),
          ...(max !== undefined ? { max: max as number | string } : {}),
        } as Condition);
      }
      return conditions;
    }
  }
}

/** A unique, complete table: the leaves of a random decision tree over 1–3 inputs. */
export function validTable(g: Gen): DecisionTable {
  const inputs = Array.from({ length: g(fc.integer, { min: 1, max: 3 }) }, (_, i) =>
    makeInput(g, i),
  );
  const rows: Row[] = [];
  const grow = (when: Record<string, Condition>, unused: Input[]) => {
    const splittable = unused;
    if (
      splittable.length === 0 ||
      rows.length > 40 ||
      (Object.keys(when).length > 0 && g(fc.boolean))
    ) {
      const used = Object.keys(when);
      rows.push({
        when,
        outcome: {
          type: 'eligibility',
          value: g(() => fc.constantFrom('eligible', 'not-eligible', 'refer')),
        },
        explanation: {
          en: `Because ${used.map((n) => `{${n}}`).join(' and ') || 'always'}.`,
          cy: `Oherwydd ${used.map((n) => `{${n}}`).join(' a ') || 'bob amser'}.`,
        },
      });
      return;
    }
    const input = splittable[g(fc.integer, { min: 0, max: splittable.length - 1 })]!;
    for (const condition of split(g, input))
      grow(
        { ...when, [input.name]: condition },
        unused.filter((i) => i !== input),
      );
  };
  grow({}, inputs);
  return {
    purpose: 'eligibility',
    title: { en: 'Test', cy: 'Prawf' },
    hitPolicy: 'unique',
    inputs,
    rows,
  };
}

/** Any answer to an input within its domain (ordered ones a little beyond the cuts too). */
export function answerArb(input: Input): fc.Arbitrary<InputValue> {
  switch (input.type) {
    case 'yesno':
      return fc.boolean();
    case 'choice':
      return fc.constantFrom(...input.options.map((o) => o.value));
    case 'text':
      return fc.oneof(fc.constantFrom('alpha', 'beta', 'gamma'), fc.string({ maxLength: 10 }));
    case 'number':
      return fc.integer({ min: input.min ?? -1000, max: input.max ?? 1000 });
    case 'money':
      return fc.integer({ min: input.min ?? 0, max: input.max ?? 100_000 });
    case 'date': {
      const lo = dayOf(input.min ?? '2025-06-01');
      const hi = dayOf(input.max ?? '2026-09-30');
      return fc.integer({ min: lo, max: hi }).map(isoOf);
    }
  }
}

export function answersFor(g: Gen, table: DecisionTable): Inputs {
  return Object.fromEntries(table.inputs.map((i) => [i.name, g(() => answerArb(i))]));
}

/** A random table over small domains, often overlapping or with gaps. */
export function randomTable(g: Gen): DecisionTable {
  const inputs: Input[] = [
    { name: 'a', label: { en: 'A', cy: 'A' }, type: 'yesno' },
    {
      name: 'b',
      label: { en: 'B', cy: 'B' },
      type: 'choice',
      options: ['x', 'y', 'z'].map((v) => ({ value: v, label: { en: v, cy: v } })),
    },
    { name: 'c', label: { en: 'C', cy: 'C' }, type: 'number', min: 0, max: 9 },
  ];
  const condition = (input: Input): Condition =>
    g(() => {
      switch (input.type) {
        case 'yesno':
          return fc.constantFrom<Condition>('any', { equals: true }, { equals: false });
        case 'choice':
          return fc.oneof(
            fc.constant<Condition>('any'),
            fc.constantFrom('x', 'y', 'z').map((v): Condition => ({ equals: v })),
            fc.subarray(['x', 'y', 'z'], { minLength: 1 }).map((v): Condition => ({ oneOf: v })),
          );
        default:
          return fc.oneof(
            fc.constant<Condition>('any'),
            fc.integer({ min: 0, max: 9 }).map((v): Condition => ({ equals: v })),
            fc
              .tuple(fc.integer({ min: -1, max: 10 }), fc.integer({ min: 0, max: 11 }))
              .filter(([x, y]) => x < y)
              .map(([x, y]): Condition => ({ min: x, max: y })),
            fc.integer({ min: 0, max: 10 }).map((v): Condition => ({ min: v })),
            fc.integer({ min: 1, max: 10 }).map((v): Condition => ({ max: v })),
          );
      }
    });
  const rows: Row[] = Array.from({ length: g(fc.integer, { min: 1, max: 6 }) }, () => {
    const when: Record<string, Condition> = {};
    for (const input of inputs) when[input.name] = condition(input);
    const used = inputs.filter((i) => when[i.name] !== 'any').map((i) => `{${i.name}}`);
    return {
      when,
      outcome: { type: 'eligibility', value: 'eligible' },
      explanation: { en: `Because ${used.join(' ')}`, cy: `Oherwydd ${used.join(' ')}` },
    };
  });
  return { purpose: 'eligibility', title: { en: 'R', cy: 'R' }, hitPolicy: 'unique', inputs, rows };
}
