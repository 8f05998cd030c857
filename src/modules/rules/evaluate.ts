/**
 * The rule evaluator: a pure function from a decision table and a person's answers to exactly
 * one outcome, with its explanation in English and Welsh and the inputs the matching row used.
 * The same function answers the "Check if you can get this" page, fees and decisions, so they
 * can never disagree.
 */
import { formatDate, type Locale } from '../../platform/i18n/i18n.js';
import type {
  Bilingual,
  Condition,
  DecisionTable,
  Input,
  InputValue,
  Inputs,
  Outcome,
  Row,
} from './schema.js';

/** An input the matching row's conditions looked at, with the answer given, in both languages. */
export interface InputUsed {
  name: string;
  label: Bilingual;
  value: InputValue;
  /** The answer as the explanation says it ("Universal Credit", "£120", "1 April 2026"). */
  text: Bilingual;
}

export interface Evaluation {
  ok: true;
  /** The matching row, counted from 1 as the editor shows them. */
  row: number;
  outcome: Outcome;
  explanation: Bilingual;
  inputsUsed: InputUsed[];
}

/** Why no outcome: an answer missing or outside its input's domain, or a table that is not unique. */
export type EvaluationProblem =
  | { ok: false; problem: 'invalid-input'; inputs: { name: string; reason: InputProblem }[] }
  | { ok: false; problem: 'no-row' }
  | { ok: false; problem: 'several-rows'; rows: number[] };

export type InputProblem = 'missing' | 'wrong-type' | 'not-an-option' | 'too-small' | 'too-large';

const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9]*)\}/g;

/** The names `{…}` in an explanation. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The inputs a row's conditions use: those with a condition other than "any", in the table's order. */
export function inputsUsedBy(table: DecisionTable, row: Row): Input[] {
  return table.inputs.filter((input) => {
    const condition = row.when[input.name];
    return condition !== undefined && condition !== 'any';
  });
}

/** Whether an answer is of the input's type and within its domain (undefined when it is). */
export function checkValue(input: Input, value: InputValue | undefined): InputProblem | undefined {
  if (value === undefined) return 'missing';
  switch (input.type) {
    case 'yesno':
      return typeof value === 'boolean' ? undefined : 'wrong-type';
    case 'choice':
      if (typeof value !== 'string') return 'wrong-type';
      return input.options.some((o) => o.value === value) ? undefined : 'not-an-option';
    case 'text':
      return typeof value === 'string' ? undefined : 'wrong-type';
    case 'number':
    case 'money':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return 'wrong-type';
      if (input.min !== undefined && value < input.min) return 'too-small';
      if (input.type === 'money' && value < 0) return 'too-small';
      if (input.max !== undefined && value > input.max) return 'too-large';
      return undefined;
    case 'date':
      if (typeof value !== 'string' || !isIsoDate(value)) return 'wrong-type';
      if (input.min !== undefined && value < input.min) return 'too-small';
      if (input.max !== undefined && value > input.max) return 'too-large';
      return undefined;
  }
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Whether an answer meets a condition. Ranges include `min` and exclude `max`; numbers and pence
 * compare as numbers, dates (YYYY-MM-DD) as text, which orders them by day.
 */
export function meets(condition: Condition, value: InputValue): boolean {
  if (condition === 'any') return true;
  if ('equals' in condition) return condition.equals === value;
  if ('oneOf' in condition) return (condition.oneOf as InputValue[]).includes(value);
  if ('noneOf' in condition)
    return typeof value === 'string' && !(condition.noneOf as InputValue[]).includes(value);
  if (typeof value === 'boolean') return false;
  if (
    condition.min !== undefined &&
    (typeof condition.min !== typeof value || value < condition.min)
  )
    return false;
  if (
    condition.max !== undefined &&
    (typeof condition.max !== typeof value || value >= condition.max)
  )
    return false;
  return true;
}

function rowMatches(row: Row, inputs: Inputs): boolean {
  for (const name in row.when) {
    const value = inputs[name];
    if (value === undefined || !meets(row.when[name]!, value)) return false;
  }
  return true;
}

const YES_NO: Record<Locale, [string, string]> = { en: ['Yes', 'No'], cy: ['Ie', 'Na'] };

// Made once: building a number format costs far more than using one.
const WHOLE = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** Pence as GOV.UK writes money: "£120", "£12.50", "£1,250". */
export function formatPence(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  const pounds = WHOLE.format(Math.floor(abs / 100));
  const rest = abs % 100;
  return `${sign}£${pounds}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}

/** An answer as a person reads it, in one language. */
export function answerText(input: Input, value: InputValue, locale: Locale): string {
  switch (input.type) {
    case 'yesno':
      if (value === true) return input.yesText?.[locale] ?? YES_NO[locale][0];
      return input.noText?.[locale] ?? YES_NO[locale][1];
    case 'choice':
      return input.options.find((o) => o.value === value)?.label[locale] ?? String(value);
    case 'number':
      return typeof value === 'number' ? WHOLE.format(value) : String(value);
    case 'money':
      return typeof value === 'number' ? formatPence(value) : String(value);
    case 'date':
      return typeof value === 'string' && isIsoDate(value)
        ? formatDate(value, locale)
        : String(value);
    case 'text':
      return String(value);
  }
}

/** An explanation with every `{input}` replaced by the answer given, in one language. */
export function renderExplanation(
  table: DecisionTable,
  template: string,
  inputs: Inputs,
  locale: Locale,
): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const input = table.inputs.find((i) => i.name === name);
    const value = inputs[name];
    return input && value !== undefined ? answerText(input, value, locale) : whole;
  });
}

/** The answers checked against the table's inputs: every input answered, each within its domain. */
export function checkInputs(
  table: DecisionTable,
  inputs: Inputs,
): { name: string; reason: InputProblem }[] {
  const problems: { name: string; reason: InputProblem }[] = [];
  for (const input of table.inputs) {
    const reason = checkValue(input, inputs[input.name]);
    if (reason) problems.push({ name: input.name, reason });
  }
  return problems;
}

/**
 * Evaluates a table for one set of answers: the one row that matches, its outcome, its
 * explanation in English and Welsh, and the inputs it used. Every row is tried, so a table that
 * is not unique (never one that was saved) says so rather than picking one.
 *
 * @example evaluate(table, { benefit: 'universal-credit', schoolInCounty: true })
 */
export function evaluate(table: DecisionTable, inputs: Inputs): Evaluation | EvaluationProblem {
  const invalid = checkInputs(table, inputs);
  if (invalid.length > 0) return { ok: false, problem: 'invalid-input', inputs: invalid };
  let found = -1;
  let second = -1;
  const rows = table.rows;
  for (let i = 0; i < rows.length; i++) {
    if (!rowMatches(rows[i]!, inputs)) continue;
    if (found < 0) found = i;
    else {
      second = i;
      break;
    }
  }
  if (found < 0) return { ok: false, problem: 'no-row' };
  if (second >= 0) return { ok: false, problem: 'several-rows', rows: [found + 1, second + 1] };
  const row = rows[found]!;
  return {
    ok: true,
    row: found + 1,
    outcome: row.outcome,
    explanation: {
      en: renderExplanation(table, row.explanation.en, inputs, 'en'),
      cy: renderExplanation(table, row.explanation.cy, inputs, 'cy'),
    },
    inputsUsed: inputsUsedBy(table, row).map((input) => ({
      name: input.name,
      label: input.label,
      value: inputs[input.name]!,
      text: {
        en: answerText(input, inputs[input.name]!, 'en'),
        cy: answerText(input, inputs[input.name]!, 'cy'),
      },
    })),
  };
}

/** An outcome as a person reads it: "Eligible", "£25", or the decision's label. */
export function outcomeText(outcome: Outcome, locale: Locale): string {
  switch (outcome.type) {
    case 'eligibility':
      return OUTCOME_WORDS[locale][outcome.value];
    case 'fee':
      return outcome.pence === 0 ? OUTCOME_WORDS[locale].free : formatPence(outcome.pence);
    case 'decision':
      return outcome.label[locale];
  }
}

const OUTCOME_WORDS: Record<
  Locale,
  Record<'eligible' | 'not-eligible' | 'refer' | 'free', string>
> = {
  en: {
    eligible: 'You can get this',
    'not-eligible': 'You cannot get this',
    refer: 'A person needs to look at this',
    free: 'Free',
  },
  cy: {
    eligible: 'Gallwch gael hyn',
    'not-eligible': 'Ni allwch gael hyn',
    refer: 'Mae angen i berson edrych ar hyn',
    free: 'Am ddim',
  },
};
