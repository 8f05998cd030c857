/**
 * The test cases a service owner writes beside a table: answers and the outcome they expect.
 * Publishing runs every one and refuses to publish if any fails.
 */
import { evaluate, type Evaluation, type EvaluationProblem } from './evaluate.js';
import { outcomeKey, type DecisionTable, type TestCase } from './schema.js';

export interface TestResult {
  /** From 1, as the editor lists them. */
  number: number;
  name: string | undefined;
  expected: string | number;
  passed: boolean;
  evaluation: Evaluation | EvaluationProblem;
}

/** Runs every test case against the table. */
export function runTestCases(table: DecisionTable, tests: readonly TestCase[]): TestResult[] {
  return tests.map((test, i) => {
    const evaluation = evaluate(table, test.inputs);
    return {
      number: i + 1,
      name: test.name,
      expected: test.expect,
      passed: evaluation.ok && outcomeKey(evaluation.outcome) === test.expect,
      evaluation,
    };
  });
}
