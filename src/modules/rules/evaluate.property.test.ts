import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseTable, type TableProblem } from './analysis.js';
import { answerText, evaluate, inputsUsedBy, meets } from './evaluate.js';
import type { DecisionTable, Inputs } from './schema.js';
import { answersFor, randomTable, validTable } from './test/tables.js';

/** The rows (from 1) that match an answer, counted directly. */
function matching(table: DecisionTable, inputs: Inputs): number[] {
  return table.rows
    .map((row, i) =>
      table.inputs.every((input) => meets(row.when[input.name] ?? 'any', inputs[input.name]!))
        ? i + 1
        : 0,
    )
    .filter((n) => n > 0);
}

describe('the rule evaluator, for any table', () => {
  it('accepts every table built as a partition, and exactly one row matches any answer', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const table = validTable(g);
        const check = analyseTable(table);
        expect(check.ok, JSON.stringify(!check.ok && check.problems)).toBe(true);
        for (let n = 0; n < 5; n++) {
          const inputs = answersFor(g, table);
          expect(matching(table, inputs)).toHaveLength(1);
          const result = evaluate(table, inputs);
          expect(result.ok).toBe(true);
          if (result.ok) expect(matching(table, inputs)).toEqual([result.row]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('explains in English and Welsh naming every input the matching row used', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const table = validTable(g);
        const inputs = answersFor(g, table);
        const result = evaluate(table, inputs);
        if (!result.ok) throw new Error(`no outcome: ${result.problem}`);
        const used = inputsUsedBy(table, table.rows[result.row - 1]!);
        expect(result.inputsUsed.map((u) => u.name)).toEqual(used.map((i) => i.name));
        for (const input of used)
          for (const locale of ['en', 'cy'] as const)
            expect(result.explanation[locale]).toContain(
              answerText(input, inputs[input.name]!, locale),
            );
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a saved table with an overlap injected, naming rows that really overlap', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const table = validTable(g);
        // Widen one row's condition to "any": answers another row held now match both.
        const candidates = table.rows.flatMap((row, r) =>
          Object.keys(row.when).map((name) => [r, name] as const),
        );
        fc.pre(candidates.length > 0);
        const [r, name] = candidates[g(fc.integer, { min: 0, max: candidates.length - 1 })]!;
        table.rows[r]!.when[name] = 'any';
        const check = analyseTable(table);
        expect(check.ok).toBe(false);
        if (check.ok) return;
        const overlaps = check.problems.filter(
          (p): p is Extract<TableProblem, { kind: 'overlap' }> => p.kind === 'overlap',
        );
        expect(overlaps.length).toBeGreaterThan(0);
        for (const overlap of overlaps)
          expect(matching(table, overlap.example)).toEqual(
            expect.arrayContaining([...overlap.rows]),
          );
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a saved table with a gap injected, giving an answer no row matches', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const table = validTable(g);
        fc.pre(table.rows.length > 1);
        table.rows.splice(g(fc.integer, { min: 0, max: table.rows.length - 1 }), 1);
        const check = analyseTable(table);
        expect(check.ok).toBe(false);
        if (check.ok) return;
        expect(check.problems.every((p) => p.kind === 'gap')).toBe(true);
        for (const gap of check.problems)
          if (gap.kind === 'gap') expect(matching(table, gap.example)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with brute force on random tables over small domains', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const table = randomTable(g);
        const check = analyseTable(table);
        // Every answer of the domain: 2 × 3 × 10.
        let unique = true;
        for (const a of [true, false])
          for (const b of ['x', 'y', 'z'])
            for (let c = 0; c <= 9; c++)
              if (matching(table, { a, b, c }).length !== 1) unique = false;
        expect(check.ok).toBe(unique);
        if (check.ok) return;
        for (const p of check.problems) {
          if (p.kind === 'overlap')
            expect(matching(table, p.example)).toEqual(expect.arrayContaining([...p.rows]));
          else if (p.kind === 'gap') expect(matching(table, p.example)).toEqual([]);
          else throw new Error(`unexpected problem ${JSON.stringify(p)}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});
