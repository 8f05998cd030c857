/**
 * The format of a service's application form as data (JSON): pages of questions, conditions,
 * validation rules with their messages in English and Welsh, a declaration and the confirmation
 * page. Service owners write it; `FormDefinitionSchema` checks it before any version is stored,
 * so the journey and the answer validator can trust what they read.
 *
 * Every object is `.strict()`: a misspelt key ("requried") is an error, never silently ignored.
 * docs/guides/forms.md describes the format with an example.
 */
import { z } from 'zod';

/** Text in both languages a citizen page may be shown in. */
export const BilingualSchema = z
  .object({
    en: z.string().trim().min(1).max(5000),
    cy: z.string().trim().min(1).max(5000),
  })
  .strict();
export type Bilingual = z.infer<typeof BilingualSchema>;

/** Names that would shadow an object's own machinery if used as answer keys. */
const RESERVED_NAMES = new Set([
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
]);

/** A question's name: the key of its answer, and (with suffixes) the ids of its inputs. */
const NameSchema = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9]{0,63}$/, 'a name is letters and digits, starting with a letter')
  .refine((name) => !RESERVED_NAMES.has(name), 'this name is reserved');

/** Page ids are URL segments; these are the journey's own. */
export const RESERVED_PAGE_IDS = [
  'check-answers',
  'declaration',
  'submit',
  'save',
  'saved',
  'resume',
  'confirmation',
  'item',
  'business',
];

const PageIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a page id is lower-case letters, digits and hyphens')
  .refine((id) => !RESERVED_PAGE_IDS.includes(id), 'this page id is reserved');

/**
 * Asks (or requires) a question only when an earlier answer is, or includes, a value. For
 * checkboxes `equals` means "includes"; `in` means "is (or includes) one of"; `notEmpty` means
 * "was answered".
 */
export const ConditionSchema = z.union([
  z.object({ question: NameSchema, equals: z.string().max(200) }).strict(),
  z.object({ question: NameSchema, in: z.array(z.string().max(200)).min(1).max(100) }).strict(),
  z.object({ question: NameSchema, notEmpty: z.literal(true) }).strict(),
]);
export type Condition = z.infer<typeof ConditionSchema>;

/** A date rule's bound: today, a fixed date, or a number of days from today (negative: ago). */
export const DateBoundSchema = z.union([
  z.literal('today'),
  z.iso.date(),
  z.object({ daysFromToday: z.number().int().min(-36_600).max(36_600) }).strict(),
]);
export type DateBound = z.infer<typeof DateBoundSchema>;

/** The most characters any text answer may have, whatever its question says. */
export const MAX_TEXT_LENGTH = 10_000;
/** The largest file a question may accept (50 MB); its default is 10 MB. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const DEFAULT_FILE_BYTES = 10 * 1024 * 1024;
/** Images and PDFs, unless a question allows more. */
export const DEFAULT_FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

/** Custom messages, one per rule a question type has; unknown rules are refused. */
function messages<const K extends string>(...rules: K[]) {
  return z
    .object(
      Object.fromEntries(rules.map((r) => [r, BilingualSchema.optional()])) as {
        [R in K]: z.ZodOptional<typeof BilingualSchema>;
      },
    )
    .strict()
    .optional();
}

/** What every question has. `prefill` is narrowed by the types that allow it. */
const base = {
  name: NameSchema,
  label: BilingualSchema,
  hint: BilingualSchema.optional(),
  /** Required unless `required: false`. */
  required: z.boolean().default(true),
  /** Asked only when the condition holds; otherwise skipped and its answer dropped. */
  when: ConditionSchema.optional(),
  /** Optional, but required after all when the condition holds ("Other" ticked → "Describe it"). */
  requiredWhen: ConditionSchema.optional(),
  /** How the default error messages name the answer: "Enter {errorName}", e.g. "your full name". */
  errorName: BilingualSchema.optional(),
};

/** A question type's schema: its `type`, what every question has and its own fields; nothing else. */
function question<const T extends string, S extends z.ZodRawShape>(type: T, own: S) {
  return z.object({ type: z.literal(type), ...base, ...own }).strict();
}

const OptionSchema = z
  .object({
    value: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'an option value is letters, digits, - and _'),
    label: BilingualSchema,
    hint: BilingualSchema.optional(),
  })
  .strict();
export type Option = z.infer<typeof OptionSchema>;

const length = z.number().int().min(1).max(MAX_TEXT_LENGTH);

const TextQuestion = question('text', {
  /** From the account, or (a form for businesses) from the business account applied for. */
  prefill: z
    .enum(['fullName', 'email', 'phone', 'businessName', 'companiesHouseNumber', 'charityNumber'])
    .optional(),
  minLength: length.optional(),
  maxLength: length.optional(),
  /** A regular expression the whole answer must match (JavaScript syntax, `u` flag). */
  pattern: z.string().min(1).max(500).optional(),
  /**
   * A business identifier checked by the reference index's validators (format and check digits)
   * and kept in its normal form; in a form for businesses, also matched to the business account
   * applied for (docs/guides/forms.md, "Business identifiers").
   */
  identifier: z.enum(['companies-house', 'vat', 'utr', 'charity']).optional(),
  autocomplete: z
    .string()
    .regex(/^[a-z0-9 -]{1,60}$/)
    .optional(),
  width: z
    .enum(['full', 'three-quarters', 'two-thirds', 'one-half', 'one-third', '20', '10', '5'])
    .optional(),
  messages: messages('required', 'minLength', 'maxLength', 'pattern'),
});

const TextareaQuestion = question('textarea', {
  minLength: length.optional(),
  maxLength: length.optional(),
  rows: z.number().int().min(2).max(30).optional(),
  messages: messages('required', 'minLength', 'maxLength'),
});

const NumberQuestion = question('number', {
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  /** Whole numbers only. */
  integer: z.boolean().default(false),
  /** Shown after the box, e.g. "people", "kg". */
  suffix: BilingualSchema.optional(),
  messages: messages('required', 'invalid', 'integer', 'min', 'max'),
});

const pence = z.number().int().min(0).max(100_000_000_000);
const MoneyQuestion = question('money', {
  /** Bounds in pence: 1000 is £10. */
  minPence: pence.optional(),
  maxPence: pence.optional(),
  messages: messages('required', 'invalid', 'minPence', 'maxPence'),
});

const DateQuestion = question('date', {
  /** The date must be after this one (not on it). */
  after: DateBoundSchema.optional(),
  /** The date must be before this one (not on it). */
  before: DateBoundSchema.optional(),
  /** Monday to Friday only. */
  weekdaysOnly: z.boolean().default(false),
  messages: messages('required', 'incomplete', 'invalid', 'after', 'before', 'weekdaysOnly'),
});

const YesNoQuestion = question('yesNo', {
  messages: messages('required'),
});

const RadiosQuestion = question('radios', {
  options: z.array(OptionSchema).min(2).max(100),
  messages: messages('required'),
});

const SelectQuestion = question('select', {
  options: z.array(OptionSchema).min(1).max(500),
  messages: messages('required'),
});

const CheckboxesQuestion = question('checkboxes', {
  options: z.array(OptionSchema).min(1).max(100),
  minSelected: z.number().int().min(1).max(100).optional(),
  maxSelected: z.number().int().min(1).max(100).optional(),
  messages: messages('required', 'minSelected', 'maxSelected'),
});

const AddressQuestion = question('address', {
  prefill: z.literal('address').optional(),
  /** Offer "find by postcode, pick one" first; the person can always enter it by hand. */
  lookup: z.boolean().default(true),
  messages: messages('required', 'postcode'),
});

/** A UK postcode on its own (an address's postcode is part of the address question). */
const PostcodeQuestion = question('postcode', {
  messages: messages('required', 'invalid'),
});

const PhoneQuestion = question('phone', {
  prefill: z.literal('phone').optional(),
  /** UK mobile numbers (07…) only, e.g. for text messages. */
  mobileOnly: z.boolean().default(false),
  messages: messages('required', 'invalid'),
});

const EmailQuestion = question('email', {
  prefill: z.literal('email').optional(),
  messages: messages('required', 'invalid'),
});

const NinoQuestion = question('nino', {
  messages: messages('required', 'invalid'),
});

const FileQuestion = question('file', {
  maxBytes: z.number().int().min(1).max(MAX_FILE_BYTES).default(DEFAULT_FILE_BYTES),
  /** MIME types allowed (`image/*` for any image), sniffed from the content; images and PDFs by default. */
  accept: z
    .array(
      z
        .string()
        .regex(/^[a-z]+\/(?:[a-z0-9.+-]+|\*)$/, 'a MIME type, like application/pdf or image/*'),
    )
    .min(1)
    .max(30)
    .default(DEFAULT_FILE_TYPES),
  maxFiles: z.number().int().min(1).max(20).default(1),
  messages: messages('required', 'maxFiles', 'tooBig', 'wrongType'),
});

/**
 * Evidence checked with the body that holds it instead of uploaded (the evidence module's
 * exchange): names a published evidence type and which earlier answers say whom it is about.
 * The journey asks the person's consent where the type needs it, asks the body and shows the
 * signed answer; with no answer in time, a refusal, or no account, it asks for `fallback`
 * files instead, like a file question. Alone on its page.
 */
const EvidenceQuestion = question('evidence', {
  /** The evidence type's code, e.g. `dwp-qualifying-benefit` (GET /api/v1/evidence/types). */
  evidenceType: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'an evidence type code'),
  /** Earlier questions whose answers make the subject: a person, an address or a business. */
  subject: z
    .object({
      fullName: NameSchema.optional(),
      dateOfBirth: NameSchema.optional(),
      nino: NameSchema.optional(),
      address: NameSchema.optional(),
      companyNumber: NameSchema.optional(),
    })
    .strict()
    .refine((s) => Object.keys(s).length > 0, 'name at least one earlier question'),
  /** The upload asked for instead when the check cannot be made. */
  fallback: z
    .object({
      label: BilingualSchema.optional(),
      hint: BilingualSchema.optional(),
      maxBytes: z.number().int().min(1).max(MAX_FILE_BYTES).default(DEFAULT_FILE_BYTES),
      accept: z
        .array(z.string().regex(/^[a-z]+\/(?:[a-z0-9.+-]+|\*)$/, 'a MIME type'))
        .min(1)
        .max(30)
        .default(DEFAULT_FILE_TYPES),
      maxFiles: z.number().int().min(1).max(20).default(1),
    })
    .strict()
    .default({ maxBytes: DEFAULT_FILE_BYTES, accept: DEFAULT_FILE_TYPES, maxFiles: 1 }),
  messages: messages('required', 'maxFiles', 'tooBig', 'wrongType'),
});

/** The questions an "add another" item may ask: all but files and further repeats. */
const ITEM_QUESTIONS = [
  TextQuestion,
  TextareaQuestion,
  NumberQuestion,
  MoneyQuestion,
  DateQuestion,
  YesNoQuestion,
  RadiosQuestion,
  SelectQuestion,
  CheckboxesQuestion,
  AddressQuestion,
  PostcodeQuestion,
  PhoneQuestion,
  EmailQuestion,
  NinoQuestion,
] as const;
const ItemQuestionSchema = z.discriminatedUnion('type', ITEM_QUESTIONS);
export type ItemQuestion = z.infer<typeof ItemQuestionSchema>;

const RepeatQuestion = question('repeat', {
  /** What one item is called: "Person", "Vehicle"; items are listed as "Person 1", "Person 2". */
  itemLabel: BilingualSchema,
  min: z.number().int().min(1).max(100).optional(),
  max: z.number().int().min(1).max(100).default(50),
  questions: z.array(ItemQuestionSchema).min(1).max(20),
  messages: messages('required', 'min', 'max'),
});

export const QuestionSchema = z.discriminatedUnion('type', [
  ...ITEM_QUESTIONS,
  FileQuestion,
  RepeatQuestion,
  EvidenceQuestion,
]);
export type Question = z.infer<typeof QuestionSchema>;
export type QuestionType = Question['type'];
export type QuestionOf<T extends QuestionType> = Extract<Question, { type: T }>;
export type RepeatQuestion = QuestionOf<'repeat'>;
export type FileQuestion = QuestionOf<'file'>;
export type EvidenceQuestion = QuestionOf<'evidence'>;

/** The file question an evidence question asks instead, when the check cannot be made. */
export function fallbackFileQuestion(question: EvidenceQuestion): FileQuestion {
  return {
    type: 'file',
    name: question.name,
    label: question.fallback.label ?? question.label,
    ...(question.fallback.hint ? { hint: question.fallback.hint } : {}),
    required: question.required,
    ...(question.errorName ? { errorName: question.errorName } : {}),
    maxBytes: question.fallback.maxBytes,
    accept: question.fallback.accept,
    maxFiles: question.fallback.maxFiles,
    ...(question.messages ? { messages: question.messages } : {}),
  };
}

export const PageSchema = z
  .object({
    id: PageIdSchema,
    title: BilingualSchema,
    /** The page is skipped unless the condition (on an earlier page's answer) holds. */
    when: ConditionSchema.optional(),
    questions: z.array(QuestionSchema).min(1).max(50),
  })
  .strict();
export type FormPage = z.infer<typeof PageSchema>;

/** The most a fee may be, in pence (£100,000: GOV.UK Pay's limit). */
export const MAX_FEE_PENCE = 10_000_000;
const FeePence = z.number().int().min(0).max(MAX_FEE_PENCE);

/**
 * A fee the person pays before the application goes to the body (the fees module charges it):
 * `fixed`; `perItem`, so much per item of an "add another" question, per box ticked or per unit
 * of a whole number, after `basePence`; `table`, an amount for each option of a choice; or
 * `rules`, whatever the service's fee rules in force say for the answers (the rules module's
 * decision table of purpose `fee`, its inputs answered by the questions of the same names). A
 * question skipped by a condition counts as none.
 */
export const FeeSchema = z
  .object({
    /** What the payment is for, as the payment pages and the bank statement say it. */
    description: z
      .object({ en: z.string().trim().min(1).max(255), cy: z.string().trim().min(1).max(255) })
      .strict(),
    amount: z.discriminatedUnion('type', [
      z.object({ type: z.literal('fixed'), pence: FeePence.min(1) }).strict(),
      z
        .object({
          type: z.literal('perItem'),
          question: NameSchema,
          pence: FeePence.min(1),
          basePence: FeePence.default(0),
        })
        .strict(),
      z
        .object({
          type: z.literal('table'),
          question: NameSchema,
          pence: z.record(z.string(), FeePence),
        })
        .strict(),
      /** The service's fee rules in force (docs/guides/rules.md): the amount and why, in both languages. */
      z.object({ type: z.literal('rules') }).strict(),
    ]),
  })
  .strict();
export type Fee = z.infer<typeof FeeSchema>;

const FormShape = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a form key is lower-case, digits, hyphens'),
    title: BilingualSchema,
    /**
     * Who may apply: anyone (unset), or `business`: only for a business or charity account the
     * person belongs to (an agent: one their client administers). The journey asks which first
     * (and explains how to make one to someone who has none), and the application records it.
     */
    applicant: z.enum(['anyone', 'business']).optional(),
    pages: z.array(PageSchema).min(1).max(100),
    /** A statement the person agrees to ("I agree") before sending. */
    declaration: BilingualSchema.optional(),
    /** A fee paid online before the application is sent on (docs/guides/fees.md). */
    fee: FeeSchema.optional(),
    /** "What happens next", shown once the application is sent. */
    confirmation: z.object({ title: BilingualSchema.optional(), body: BilingualSchema }).strict(),
  })
  .strict();

/** Questions whose answer a condition may test: a single choice or text, or a set of choices. */
const TESTABLE: ReadonlySet<QuestionType> = new Set([
  'text',
  'textarea',
  'number',
  'money',
  'date',
  'yesNo',
  'radios',
  'select',
  'checkboxes',
  'postcode',
  'phone',
  'email',
  'nino',
]);

function choicesOf(question: Question | ItemQuestion): string[] | undefined {
  if (question.type === 'yesNo') return ['yes', 'no'];
  if ('options' in question) return question.options.map((o) => o.value);
  return undefined;
}

/** The rules that cannot be said by the shape alone: names, references, ranges. */
function checkForm(form: z.infer<typeof FormShape>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const pageIds = new Set<string>();
  /** Every question asked before the one being checked, by name, with the page it is on. */
  const earlier = new Map<string, { question: Question | ItemQuestion; page: number }>();
  const allNames = new Set<string>();

  const checkCondition = (
    condition: Condition | undefined,
    path: (string | number)[],
    visible: Map<string, { question: Question | ItemQuestion; page: number }>,
    needsEarlierPage: number | undefined,
  ) => {
    if (!condition) return;
    const target = visible.get(condition.question);
    if (!target) {
      issue([...path, 'question'], `"${condition.question}" is not a question asked before this`);
      return;
    }
    if (needsEarlierPage !== undefined && target.page >= needsEarlierPage)
      issue([...path, 'question'], `"${condition.question}" must be on an earlier page`);
    if (!TESTABLE.has(target.question.type))
      issue(
        [...path, 'question'],
        `a condition cannot test an answer of type ${target.question.type}`,
      );
    const choices = choicesOf(target.question);
    const values =
      'equals' in condition ? [condition.equals] : 'in' in condition ? condition.in : [];
    if (choices)
      for (const value of values)
        if (!choices.includes(value))
          issue(path, `"${value}" is not an option of "${condition.question}"`);
  };

  const checkQuestion = (
    question: Question | ItemQuestion,
    path: (string | number)[],
    pageIndex: number,
    visible: Map<string, { question: Question | ItemQuestion; page: number }>,
  ) => {
    if (allNames.has(question.name)) issue([...path, 'name'], `"${question.name}" is used twice`);
    allNames.add(question.name);
    checkCondition(question.when, [...path, 'when'], visible, undefined);
    checkCondition(question.requiredWhen, [...path, 'requiredWhen'], visible, undefined);
    if (question.requiredWhen && question.required)
      issue([...path, 'requiredWhen'], 'requiredWhen needs "required": false');
    const range = (low: number | undefined, high: number | undefined, what: string) => {
      if (low !== undefined && high !== undefined && low > high)
        issue(path, `${what}: the lower bound is above the upper bound`);
    };
    switch (question.type) {
      case 'text':
        if (question.pattern !== undefined) {
          try {
            new RegExp(question.pattern, 'u');
          } catch {
            issue([...path, 'pattern'], 'not a valid regular expression');
          }
        }
        range(question.minLength, question.maxLength, 'minLength/maxLength');
        break;
      case 'textarea':
        range(question.minLength, question.maxLength, 'minLength/maxLength');
        break;
      case 'number':
        range(question.min, question.max, 'min/max');
        break;
      case 'money':
        range(question.minPence, question.maxPence, 'minPence/maxPence');
        break;
      case 'radios':
      case 'select':
      case 'checkboxes': {
        const values = question.options.map((o) => o.value);
        if (new Set(values).size !== values.length)
          issue([...path, 'options'], 'option values must be different');
        if (question.type === 'checkboxes') {
          range(question.minSelected, question.maxSelected, 'minSelected/maxSelected');
          if ((question.minSelected ?? 0) > question.options.length)
            issue([...path, 'minSelected'], 'more than there are options');
        }
        break;
      }
      case 'evidence':
        for (const [part, name] of Object.entries(question.subject))
          if (name && (!visible.has(name) || visible.get(name)!.page >= pageIndex))
            issue([...path, 'subject', part], `"${name}" is not a question on an earlier page`);
        break;
      case 'repeat': {
        range(question.min, question.max, 'min/max');
        const inner = new Map(visible);
        question.questions.forEach((item, i) => {
          checkQuestion(item, [...path, 'questions', i], pageIndex, inner);
          inner.set(item.name, { question: item, page: pageIndex });
        });
        break;
      }
      default:
        break;
    }
  };

  form.pages.forEach((page, p) => {
    const path = ['pages', p];
    if (pageIds.has(page.id)) issue([...path, 'id'], `page id "${page.id}" is used twice`);
    pageIds.add(page.id);
    checkCondition(page.when, [...path, 'when'], earlier, p);
    const alone = page.questions.find(
      (q) => q.type === 'repeat' || q.type === 'file' || q.type === 'evidence',
    );
    if (alone && page.questions.length > 1)
      issue([...path, 'questions'], `a ${alone.type} question must be alone on its page`);
    const visible = new Map(earlier);
    page.questions.forEach((question, q) => {
      checkQuestion(question, [...path, 'questions', q], p, visible);
      visible.set(question.name, { question, page: p });
    });
    for (const [name, entry] of visible) earlier.set(name, entry);
  });
  if (form.fee) checkFee(form.fee, form.pages, issue);
}

/** A calculated fee must name a question that can be counted (perItem) or priced by option (table). */
function checkFee(
  fee: Fee,
  pages: FormPage[],
  issue: (path: (string | number)[], message: string) => void,
): void {
  const { amount } = fee;
  // A fixed fee names no question; a fee from rules is checked against its table when worked out.
  if (amount.type === 'fixed' || amount.type === 'rules') return;
  const path = ['fee', 'amount', 'question'];
  const target = pages.flatMap((page) => page.questions).find((q) => q.name === amount.question);
  if (!target) return issue(path, `"${amount.question}" is not a question of this form`);
  if (amount.type === 'perItem') {
    const most =
      target.type === 'repeat'
        ? target.max
        : target.type === 'checkboxes'
          ? (target.maxSelected ?? target.options.length)
          : target.type === 'number' && target.integer
            ? target.max
            : null;
    if (most === null)
      issue(path, 'a perItem fee counts an "add another", checkboxes or whole-number question');
    else if (most === undefined)
      issue(path, 'a perItem fee on a number needs the question to have a max');
    else if (amount.basePence + Math.max(0, most) * amount.pence > MAX_FEE_PENCE)
      issue(
        ['fee', 'amount'],
        'the fee could come to more than £100,000, the most a payment may be',
      );
    return;
  }
  const choices = choicesOf(target);
  if (!choices || target.type === 'checkboxes')
    return issue(path, 'a table fee prices a yes/no, radios or select question');
  for (const choice of choices)
    if (!(choice in amount.pence))
      issue(['fee', 'amount', 'pence'], `no amount for "${choice}" of "${amount.question}"`);
  for (const key of Object.keys(amount.pence))
    if (!choices.includes(key))
      issue(['fee', 'amount', 'pence', key], `"${key}" is not an option of "${amount.question}"`);
}

/**
 * A whole form definition. Parse with `FormDefinitionSchema.safeParse(json)`: defaults are
 * filled in (`required: true`, file limits), unknown keys and broken references are refused.
 *
 * @example
 * const parsed = FormDefinitionSchema.safeParse(JSON.parse(text));
 * if (!parsed.success) console.log(z.prettifyError(parsed.error));
 */
export const FormDefinitionSchema = FormShape.superRefine(checkForm);
export type FormDefinition = z.infer<typeof FormDefinitionSchema>;
/** A definition as written (defaults not yet filled in). */
export type FormDefinitionInput = z.input<typeof FormDefinitionSchema>;

/** A postal address: picked from the look-up (with its UPRN) or typed in. */
export interface AddressAnswer {
  uprn?: string;
  line1: string;
  line2?: string;
  town: string;
  postcode: string;
}

/** An uploaded file, held by the attachments module; the answer keeps only what describes it. */
export interface FileAnswer {
  id: string;
  name: string;
  type: string;
  size: number;
}

/**
 * An evidence question's answer when the check was made: the evidence module's signed snapshot
 * (the one value, its statement in both languages, who answered, when, and the signature).
 */
export interface EvidenceAnswer {
  kind: 'evidence';
  requestId: string;
  evidenceType: string;
  answeringOrganisationId: string;
  answeringBody: Bilingual;
  requestingOrganisationId: string;
  subjectDigest: string;
  value: boolean | string | number;
  statement: Bilingual;
  answeredAt: string;
  signature: string;
}

/** "Add another": one set of answers per item. */
export type RepeatAnswer = Answers[];

/**
 * One question's normalised answer: text, numbers (as text), dates (YYYY-MM-DD), money (pence,
 * as text), yes/no ('yes' | 'no'), choices (a value, or values for checkboxes), an address,
 * files, or the items of an "add another" question.
 */
export type AnswerValue =
  string | string[] | AddressAnswer | FileAnswer[] | RepeatAnswer | EvidenceAnswer;

/** Normalised answers by question name; an optional question left empty has '' (or []). */
export type Answers = { [name: string]: AnswerValue };
