import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyseTable } from './analysis.js';
import { evaluate, formatPence, meets } from './evaluate.js';
import { DecisionTableSchema, TestCasesSchema, type DecisionTable } from './schema.js';
import { runTestCases } from './test-cases.js';
import { starterTable } from './pages/editor/starter.js';

const demo = DecisionTableSchema.parse(
  JSON.parse(
    readFileSync(new URL('./demo/council-tax-reduction-stroud.json', import.meta.url), 'utf8'),
  ),
);
const demoTests = TestCasesSchema.parse(
  JSON.parse(
    readFileSync(
      new URL('./demo/council-tax-reduction-stroud.tests.json', import.meta.url),
      'utf8',
    ),
  ),
);

const clone = (t: DecisionTable): DecisionTable => structuredClone(t);

describe('evaluating a decision table', () => {
  it('gives Universal Credit with savings under £16,000 "eligible", naming every input used', () => {
    const result = evaluate(demo, {
      liveInStroud: true,
      paysCouncilTax: true,
      benefit: 'universal-credit',
      savings: 250_050,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.row).toBe(4);
    expect(result.outcome).toEqual({ type: 'eligibility', value: 'eligible' });
    expect(result.explanation.en).toBe(
      'You qualify because you receive Universal Credit, your savings of £2,500.50 are under £16,000, you live in the Stroud district and you pay Council Tax for your home.',
    );
    expect(result.explanation.cy).toContain('Credyd Cynhwysol');
    expect(result.explanation.cy).toContain('rydych yn byw yn ardal Stroud');
    expect(result.inputsUsed.map((u) => u.name)).toEqual([
      'liveInStroud',
      'paysCouncilTax',
      'benefit',
      'savings',
    ]);
  });

  it('uses only the inputs its row looks at: living elsewhere decides alone', () => {
    const result = evaluate(demo, {
      liveInStroud: false,
      paysCouncilTax: true,
      benefit: 'none',
      savings: 0,
    });
    expect(result.ok && result.inputsUsed.map((u) => u.name)).toEqual(['liveInStroud']);
    expect(result.ok && result.explanation.en).toContain('you do not live in the Stroud district');
  });

  it('includes a range’s minimum and excludes its maximum: £16,000 exactly is not under £16,000', () => {
    const at = (savings: number) =>
      evaluate(demo, {
        liveInStroud: true,
        paysCouncilTax: true,
        benefit: 'universal-credit',
        savings,
      });
    expect(at(1_599_999)).toMatchObject({ ok: true, row: 4 });
    expect(at(1_600_000)).toMatchObject({ ok: true, row: 5 });
  });

  it('refuses answers missing or outside the domain, naming them', () => {
    expect(evaluate(demo, { liveInStroud: true, benefit: 'lottery', savings: -1 })).toEqual({
      ok: false,
      problem: 'invalid-input',
      inputs: [
        { name: 'paysCouncilTax', reason: 'missing' },
        { name: 'benefit', reason: 'not-an-option' },
        { name: 'savings', reason: 'too-small' },
      ],
    });
  });

  it('says when a table (never a saved one) has no row or several for an answer', () => {
    const table = clone(demo);
    table.rows.splice(0, 1);
    expect(
      evaluate(table, { liveInStroud: false, paysCouncilTax: true, benefit: 'none', savings: 0 }),
    ).toEqual({ ok: false, problem: 'no-row' });
    const twice = clone(demo);
    twice.rows.push(twice.rows[0]!);
    expect(
      evaluate(twice, { liveInStroud: false, paysCouncilTax: true, benefit: 'none', savings: 0 }),
    ).toEqual({ ok: false, problem: 'several-rows', rows: [1, 8] });
  });

  it('compares dates by day and text exactly', () => {
    expect(meets({ min: '2026-04-01', max: '2027-04-01' }, '2026-04-01')).toBe(true);
    expect(meets({ min: '2026-04-01', max: '2027-04-01' }, '2027-04-01')).toBe(false);
    expect(meets({ noneOf: ['a'] }, 'b')).toBe(true);
    expect(meets({ noneOf: ['a'] }, 'a')).toBe(false);
    expect(meets({ min: 3 }, '3')).toBe(false);
  });

  it('writes money as GOV.UK does', () => {
    expect(formatPence(1_600_000)).toBe('£16,000');
    expect(formatPence(1250)).toBe('£12.50');
    expect(formatPence(5)).toBe('£0.05');
  });
});

describe('checking a table when it is saved', () => {
  it('accepts the demo table, and every demo test case passes', () => {
    expect(analyseTable(demo).ok).toBe(true);
    expect(runTestCases(demo, demoTests).every((r) => r.passed)).toBe(true);
  });

  it('accepts every starter table', () => {
    for (const purpose of ['eligibility', 'fee', 'decision'] as const)
      expect(analyseTable(starterTable(purpose)).ok).toBe(true);
  });

  it('names the two rows of an overlap, with an answer both match', () => {
    const table = clone(demo);
    table.rows[3]!.when.savings = { max: 1_700_000 }; // now meets row 5 from £16,000 to £17,000
    const check = analyseTable(table);
    expect(check).toEqual({
      ok: false,
      problems: [
        {
          kind: 'overlap',
          rows: [4, 5],
          example: {
            liveInStroud: true,
            paysCouncilTax: true,
            benefit: 'universal-credit',
            savings: 1_600_000,
          },
        },
      ],
    });
  });

  it('gives an answer no row matches for a gap', () => {
    const table = clone(demo);
    table.rows[4]!.when.savings = { min: 1_600_001 }; // £16,000.00 exactly falls through
    const check = analyseTable(table);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems).toHaveLength(1);
    const gap = check.problems[0]!;
    expect(gap).toMatchObject({ kind: 'gap', example: { savings: 1_600_000 } });
    if (gap.kind === 'gap')
      expect(evaluate(table, gap.example)).toEqual({ ok: false, problem: 'no-row' });
  });

  it('needs a row for "anything else" when a text input is compared', () => {
    const table: DecisionTable = {
      purpose: 'fee',
      title: { en: 'Fee', cy: 'Ffi' },
      hitPolicy: 'unique',
      inputs: [{ name: 'code', type: 'text', label: { en: 'Code', cy: 'Cod' } }],
      rows: [
        {
          when: { code: { equals: 'FREE' } },
          outcome: { type: 'fee', pence: 0 },
          explanation: { en: 'Code {code}', cy: 'Cod {code}' },
        },
      ],
    };
    expect(analyseTable(table)).toMatchObject({ ok: false, problems: [{ kind: 'gap' }] });
    table.rows.push({
      when: { code: { noneOf: ['FREE'] } },
      outcome: { type: 'fee', pence: 2500 },
      explanation: { en: 'Code {code}', cy: 'Cod {code}' },
    });
    expect(analyseTable(table).ok).toBe(true);
  });

  it('refuses an explanation that does not name an input its row uses, in either language', () => {
    const table = clone(demo);
    table.rows[0]!.explanation.cy = 'Ni allwch gael hyn.';
    expect(analyseTable(table)).toMatchObject({
      ok: false,
      problems: [
        { kind: 'structure', path: 'rows.0.explanation.cy', key: 'rules.problem.unnamedInput' },
      ],
    });
  });

  it('refuses conditions of the wrong kind, unknown inputs and outcomes of another purpose', () => {
    const table = clone(demo);
    table.rows[0]!.when.benefit = { min: 3 };
    table.rows[1]!.when.nobody = 'any';
    table.rows[2]!.outcome = { type: 'fee', pence: 3 };
    const check = analyseTable(table);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => (p.kind === 'structure' ? p.key : p.kind))).toEqual([
      'rules.problem.rangeType',
      'rules.problem.unnamedInput',
      'rules.problem.unnamedInput',
      'rules.problem.unknownInput',
      'rules.problem.outcomeType',
    ]);
  });

  it('refuses what is not a table, by path', () => {
    const check = analyseTable({ purpose: 'eligibility', inputs: [], rows: [] });
    expect(check.ok).toBe(false);
    if (!check.ok)
      expect(check.problems.map((p) => p.kind === 'schema' && p.path)).toContain('title');
  });
});

describe('test cases', () => {
  it('fail when the outcome differs from the one expected, and say what came', () => {
    const [result] = runTestCases(demo, [
      {
        inputs: { liveInStroud: true, paysCouncilTax: true, benefit: 'none', savings: 0 },
        expect: 'eligible',
      },
    ]);
    expect(result).toMatchObject({ number: 1, passed: false, expected: 'eligible' });
    expect(result!.evaluation).toMatchObject({ ok: true, outcome: { value: 'refer' } });
  });
});
