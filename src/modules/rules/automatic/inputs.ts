/**
 * From an application's answers to a decision table's inputs: each input is answered by the form
 * question of the same name. A yes/no question's "yes"/"no" is true/false; numbers and money
 * (pence) kept as text become numbers; an evidence check's signed snapshot gives its value. An
 * answer that cannot be read so is left out, and the evaluator says which input is missing.
 */
import type { DecisionTable, Input, InputValue, Inputs } from '../schema.js';

/** An evidence check's answer as kept with an application (the evidence module's snapshot). */
export interface EvidenceAnswer {
  kind: 'evidence';
  value: boolean | string | number;
  statement: { en: string; cy: string };
  answeringBody: { en: string; cy: string };
  answeredAt: string;
  evidenceType: string;
}

/** Whether an answer is an evidence check's snapshot (not the upload asked for instead). */
export function isEvidenceAnswer(value: unknown): value is EvidenceAnswer {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (value as { kind?: unknown }).kind === 'evidence'
  );
}

function inputValue(input: Input, raw: unknown): InputValue | undefined {
  const value = isEvidenceAnswer(raw) ? raw.value : raw;
  switch (input.type) {
    case 'yesno':
      if (typeof value === 'boolean') return value;
      if (value === 'yes') return true;
      if (value === 'no') return false;
      return undefined;
    case 'number':
    case 'money': {
      if (typeof value === 'number') return value;
      if (typeof value !== 'string' || !/^-?\d+$/.test(value)) return undefined;
      return Number(value);
    }
    case 'choice':
    case 'text':
    case 'date':
      return typeof value === 'string' ? value : undefined;
  }
}

/**
 * The table's inputs read from the answers of the same names.
 *
 * @example inputsFromAnswers(table, { qualifyingBenefit: snapshot, stateSchool: 'yes' })
 */
export function inputsFromAnswers(table: DecisionTable, answers: Record<string, unknown>): Inputs {
  const inputs: Inputs = {};
  for (const input of table.inputs) {
    const value = inputValue(input, answers[input.name]);
    if (value !== undefined) inputs[input.name] = value;
  }
  return inputs;
}
