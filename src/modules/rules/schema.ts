/**
 * The format of a decision table (docs/guides/rules.md): named, typed inputs with English and
 * Welsh labels, rows of conditions on those inputs, and one outcome per row with its explanation
 * in both languages. The hit policy is "unique": for every possible answer exactly one row
 * matches, which `analyseTable` (analysis.ts) proves when a table is saved.
 *
 * Numbers are whole numbers, money is whole pence and dates are calendar days (YYYY-MM-DD), so
 * every range is a set of whole steps and overlaps and gaps can be found exactly.
 */
import { z } from 'zod';

/** Text in English and Welsh; both are required. */
export const BilingualSchema = z.strictObject({
  en: z.string().trim().min(1).max(500),
  cy: z.string().trim().min(1).max(500),
});
export type Bilingual = z.infer<typeof BilingualSchema>;

/** What a rule set decides: whether someone can get the service, how much it costs, or a decision. */
export const PURPOSES = ['eligibility', 'fee', 'decision'] as const;
export type Purpose = (typeof PURPOSES)[number];

const NAME = /^[a-z][a-zA-Z0-9]{0,39}$/;
const VALUE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date, YYYY-MM-DD, that really exists. */
export const IsoDateSchema = z
  .string()
  .regex(ISO_DATE, 'Use a date written YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'Not a real date');

const inputBase = {
  name: z.string().regex(NAME, 'Start with a small letter; letters and digits only, up to 40'),
  label: BilingualSchema,
  hint: BilingualSchema.optional(),
};

/** A whole number bound (numbers and money). */
const Whole = z.number().int().min(-1e12).max(1e12);

export const InputSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...inputBase,
    type: z.literal('yesno'),
    /**
     * How an explanation says each answer ("you receive Universal Credit" / "you do not receive
     * Universal Credit"); without them, "Yes" and "No".
     */
    yesText: BilingualSchema.optional(),
    noText: BilingualSchema.optional(),
  }),
  z.strictObject({
    ...inputBase,
    type: z.literal('choice'),
    options: z
      .array(z.strictObject({ value: z.string().regex(VALUE), label: BilingualSchema }))
      .min(2)
      .max(100),
  }),
  z.strictObject({
    ...inputBase,
    type: z.literal('number'),
    /** The smallest and largest answer accepted (inclusive). */
    min: Whole.optional(),
    max: Whole.optional(),
  }),
  z.strictObject({
    ...inputBase,
    type: z.literal('money'),
    /** In pence, inclusive; money is never below 0. */
    min: Whole.min(0).optional(),
    max: Whole.min(0).optional(),
  }),
  z.strictObject({
    ...inputBase,
    type: z.literal('date'),
    min: IsoDateSchema.optional(),
    max: IsoDateSchema.optional(),
  }),
  z.strictObject({ ...inputBase, type: z.literal('text') }),
]);
export type Input = z.infer<typeof InputSchema>;
export type InputType = Input['type'];

/** A bound of a range: a whole number, pence, or a date. */
const Bound = z.union([Whole, IsoDateSchema]);

/**
 * A row's condition on one input: anything, one value, one of several values, none of several
 * values, or a range from `min` (inclusive) to `max` (exclusive), either end open.
 */
export const ConditionSchema = z.union([
  z.literal('any'),
  z.strictObject({ equals: z.union([z.boolean(), z.string().max(200), Whole]) }),
  z.strictObject({
    oneOf: z
      .array(z.union([z.string().max(200), Whole]))
      .min(1)
      .max(100),
  }),
  /** Any answer but these (choices and text: "otherwise" for a text input). */
  z.strictObject({ noneOf: z.array(z.string().max(200)).min(1).max(100) }),
  z
    .strictObject({ min: Bound.optional(), max: Bound.optional() })
    .refine((r) => r.min !== undefined || r.max !== undefined, 'Give min, max or both'),
]);
export type Condition = z.infer<typeof ConditionSchema>;

export const OutcomeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('eligibility'),
    value: z.enum(['eligible', 'not-eligible', 'refer']),
  }),
  z.strictObject({ type: z.literal('fee'), pence: z.number().int().min(0).max(100_000_000) }),
  z.strictObject({
    type: z.literal('decision'),
    value: z.string().regex(VALUE),
    label: BilingualSchema,
  }),
]);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const RowSchema = z.strictObject({
  /** Conditions by input name; an input not named is "any". */
  when: z.record(z.string(), ConditionSchema),
  outcome: OutcomeSchema,
  /** Says why, naming with `{inputName}` every input the row's conditions use. */
  explanation: BilingualSchema,
});
export type Row = z.infer<typeof RowSchema>;

export const DecisionTableSchema = z.strictObject({
  purpose: z.enum(PURPOSES),
  title: BilingualSchema,
  hitPolicy: z.literal('unique').default('unique'),
  inputs: z.array(InputSchema).min(1).max(20),
  rows: z.array(RowSchema).min(1).max(500),
});
/** A decision table as stored (after parsing: defaults filled). */
export type DecisionTable = z.infer<typeof DecisionTableSchema>;

/** An answer to one input: yes/no, a number or pence, an option's value, a date, or text. */
export type InputValue = boolean | number | string;
export type Inputs = Record<string, InputValue>;

/** A test case the service owner writes beside the table: answers and the outcome expected. */
export const TestCaseSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  inputs: z.record(z.string(), z.union([z.boolean(), z.string().max(200), Whole])),
  /** `eligible`/`not-eligible`/`refer`, a fee in pence, or a decision's value. */
  expect: z.union([z.string().max(200), z.number().int()]),
});
export type TestCase = z.infer<typeof TestCaseSchema>;
export const TestCasesSchema = z.array(TestCaseSchema).max(500);

/** What a test case's `expect` is compared with: the outcome's value or pence. */
export function outcomeKey(outcome: Outcome): string | number {
  return outcome.type === 'fee' ? outcome.pence : outcome.value;
}
