/**
 * What a caseworker sees of the rules on a case: the version the application was made under,
 * the outcome and its explanation, each rule (row) with whether each of its conditions held and
 * whether it applies, the evidence checks kept with the application, and, where the rules
 * decided on their own, that decision, whether it was sampled and any request for review.
 */
import type { Db } from '../../../platform/db/database.js';
import { formatDateTime, type Locale } from '../../../platform/i18n/i18n.js';
import { evaluate, meets, outcomeText } from '../evaluate.js';
import { ruleSetVersion } from '../queries/versions.js';
import type { Condition, Input, InputValue } from '../schema.js';
import { answerText } from '../evaluate.js';
import { inputsFromAnswers, isEvidenceAnswer } from './inputs.js';
import { automaticDecisionOf } from './review.js';

export interface RuleConditionView {
  label: string;
  /** What the condition asks, in words ("Yes", "one of …", "from £0 to £16,000"). */
  wants: string;
  /** The answer given, in words; null when there is none. */
  answer: string | null;
  held: boolean;
}

export interface RuleView {
  number: number;
  outcome: string;
  conditions: RuleConditionView[];
  applies: boolean;
}

export interface EvidenceView {
  question: string;
  statement: string;
  body: string;
  answeredAt: string;
}

/** The rules and evidence panel of a case. */
export interface RuleOutcomesView {
  title: string;
  version: number;
  effectiveFrom: string;
  /** The outcome under that version, or null when the answers do not give one. */
  outcome: string | null;
  explanation: string | null;
  rules: RuleView[];
  evidence: EvidenceView[];
  automatic: {
    decidedAt: string;
    explanation: string;
    sampled: boolean;
    reviewRequestedAt: string | null;
    reviewReason: string | null;
  } | null;
}

function conditionText(input: Input, condition: Condition, locale: Locale): string {
  const say = (value: InputValue) => answerText(input, value, locale);
  if (condition === 'any') return '—';
  if ('equals' in condition) return say(condition.equals);
  if ('oneOf' in condition) return (condition.oneOf as InputValue[]).map(say).join(', ');
  if ('noneOf' in condition)
    return `${locale === 'cy' ? 'nid' : 'not'} ${(condition.noneOf as InputValue[]).map(say).join(', ')}`;
  const from = condition.min !== undefined ? say(condition.min) : '';
  const to = condition.max !== undefined ? say(condition.max) : '';
  if (from && to) return locale === 'cy' ? `o ${from} i dan ${to}` : `from ${from} to under ${to}`;
  if (from) return locale === 'cy' ? `${from} neu fwy` : `${from} or more`;
  return locale === 'cy' ? `llai na ${to}` : `under ${to}`;
}

/**
 * The panel's values for a submission made under a rule set version; undefined when it records
 * none (or the version is gone).
 *
 * @example await ruleOutcomesOf(db, { id, ruleSetVersionId, answers }, 'en')
 */
export async function ruleOutcomesOf(
  db: Db,
  submission: {
    id: string;
    ruleSetVersionId: string | null;
    answers: Record<string, unknown>;
    labels?: Record<string, string>;
  },
  locale: Locale,
): Promise<RuleOutcomesView | undefined> {
  if (!submission.ruleSetVersionId) return undefined;
  const version = await ruleSetVersion(db, submission.ruleSetVersionId);
  if (!version) return undefined;
  const { table } = version;
  const inputs = inputsFromAnswers(table, submission.answers);
  const evaluation = evaluate(table, inputs);
  const rules = table.rows.map((row, i) => {
    const conditions = table.inputs
      .filter((input) => row.when[input.name] !== undefined && row.when[input.name] !== 'any')
      .map((input) => {
        const condition = row.when[input.name]!;
        const value = inputs[input.name];
        return {
          label: input.label[locale],
          wants: conditionText(input, condition, locale),
          answer: value === undefined ? null : answerText(input, value, locale),
          held: value !== undefined && meets(condition, value),
        };
      });
    return {
      number: i + 1,
      outcome: outcomeText(row.outcome, locale),
      conditions,
      applies: conditions.every((c) => c.held),
    };
  });
  const evidence = Object.entries(submission.answers)
    .filter(([, value]) => isEvidenceAnswer(value))
    .map(([name, value]) => {
      const answer = value as Parameters<typeof isEvidenceAnswer>[0] & {
        statement: { en: string; cy: string };
        answeringBody: { en: string; cy: string };
        answeredAt: string;
      };
      return {
        question: submission.labels?.[name] ?? name,
        statement: answer.statement[locale],
        body: answer.answeringBody[locale],
        answeredAt: formatDateTime(answer.answeredAt, locale),
      };
    });
  const automatic = await automaticDecisionOf(db, submission.id);
  return {
    title: table.title[locale],
    version: version.version,
    effectiveFrom: version.effectiveFrom,
    outcome: evaluation.ok ? outcomeText(evaluation.outcome, locale) : null,
    explanation: evaluation.ok ? evaluation.explanation[locale] : null,
    rules,
    evidence,
    automatic: automatic
      ? {
          decidedAt: formatDateTime(automatic.decided_at, locale),
          explanation: automatic.explanation[locale],
          sampled: automatic.sampled,
          reviewRequestedAt: automatic.review_requested_at
            ? formatDateTime(automatic.review_requested_at, locale)
            : null,
          reviewReason: automatic.review_reason,
        }
      : null,
  };
}
