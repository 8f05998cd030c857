/**
 * A consultation's questions as a forms-engine definition (src/modules/forms): the body writes
 * it as JSON on the questions page (the forms editor's format and checks), respondents answer
 * it page by page with the forms engine's questions and validator, and the results, the CSV,
 * the API, moderation and retention read the answers through it.
 *
 * What the `questions` column holds: either `{ form, easyRead }` (a definition of its own and
 * the easy read wording of its questions by name), or — for consultations published with the
 * staff form's question slots, and every one published before question forms — a list of
 * slot questions. A list is read as an equivalent definition (one question a page, named `q1`,
 * `q2` …, free text optional and up to 5,000 characters, a choice required) and a response's
 * answers kept by question number with the English option (`{ "0": "Yes" }`) are read as
 * `{ q1: "yes" }`, so nothing sent before is lost or changes its meaning.
 */
import {
  FormDefinitionSchema,
  type AnswerValue,
  type Answers,
  type ExtraProblem,
  type FormDefinition,
  type Question as FormQuestion,
} from '../../forms/index.js';
import type { Question as SlotQuestion } from './schema.js';

/** A consultation's questions as its own form definition, with their easy read wording. */
export interface QuestionForm {
  form: FormDefinition;
  /** The easy read wording of a question (by its name), shown to readers of the easy read version. */
  easyRead: Record<string, string>;
}

/** What a consultation (or a version of it) keeps as its questions. */
export type StoredQuestions = SlotQuestion[] | QuestionForm;

/** The most questions a consultation's form asks, all pages together. */
export const MAX_FORM_QUESTIONS = 50;
/** The longest easy read wording of one question. */
export const EASY_READ_LIMIT = 300;

/** Free text a slot question allowed, and so its question in the equivalent definition. */
const SLOT_ANSWER_LIMIT = 5000;

/** Questions whose answers are counted per option (kept when responses are anonymised). */
const CHOICE_TYPES = new Set<FormQuestion['type']>(['radios', 'select', 'checkboxes', 'yesNo']);
/** Questions whose answers are free text: moderated, redactable, tagged with themes. */
const FREE_TEXT_TYPES = new Set<FormQuestion['type']>(['text', 'textarea']);

/**
 * Question types a consultation may not ask: uploads and "add another" (no pages for them here),
 * evidence checks, and National Insurance numbers and postal addresses, which no consultation
 * needs and which would make every response personal data.
 */
const REFUSED_TYPES = new Set<FormQuestion['type']>([
  'file',
  'repeat',
  'evidence',
  'nino',
  'address',
]);

/** Names the question pages use for their own fields. */
const RESERVED_NAMES = new Set(['action', 'change']);

export function isChoiceQuestion(question: FormQuestion): boolean {
  return CHOICE_TYPES.has(question.type);
}

export function isFreeTextQuestion(question: FormQuestion): boolean {
  return FREE_TEXT_TYPES.has(question.type);
}

/** Whether the stored questions are a definition of their own (not slot questions). */
export function hasQuestionForm(stored: StoredQuestions): stored is QuestionForm {
  return !Array.isArray(stored);
}

/**
 * What a definition may not have as a consultation's questions, beyond the forms schema: the
 * refused types, the question pages' own field names, more than 50 questions, a fee, a
 * business-only applicant or a declaration (the check page has the consultation's own).
 */
export function consultationFormProblems(definition: FormDefinition): ExtraProblem[] {
  const problems: ExtraProblem[] = [];
  let count = 0;
  definition.pages.forEach((page, p) =>
    page.questions.forEach((question, q) => {
      count++;
      const path = ['pages', p, 'questions', q];
      if (REFUSED_TYPES.has(question.type))
        problems.push({
          path: [...path, 'type'],
          message: `a consultation cannot ask a ${question.type} question`,
        });
      if (RESERVED_NAMES.has(question.name))
        problems.push({
          path: [...path, 'name'],
          message: `"${question.name}" is the question page's own field: choose another name`,
        });
      if ('prefill' in question && question.prefill)
        problems.push({
          path: [...path, 'prefill'],
          message: 'respondents may answer without an account: nothing is prefilled',
        });
    }),
  );
  if (count > MAX_FORM_QUESTIONS)
    problems.push({ path: ['pages'], message: `at most ${MAX_FORM_QUESTIONS} questions` });
  if (definition.fee) problems.push({ path: ['fee'], message: 'a consultation has no fee' });
  if (definition.applicant === 'business')
    problems.push({ path: ['applicant'], message: 'anyone may respond to a consultation' });
  if (definition.declaration)
    problems.push({
      path: ['declaration'],
      message: 'the check page has the consultation’s own declaration',
    });
  return problems;
}

/**
 * An option's value in the definition made from slot questions: its English text in lower case
 * with hyphens ("Not sure" → "not-sure"), or `option-<n>` when that leaves nothing or repeats.
 */
function optionValues(options: readonly string[]): string[] {
  const used = new Set<string>();
  return options.map((option, i) => {
    let value = option
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '');
    if (!value || used.has(value)) value = `option-${i + 1}`;
    used.add(value);
    return value;
  });
}

const SLOT_MESSAGES = {
  choose: { en: 'Select one of the answers', cy: "Dewiswch un o'r atebion" },
  tooLong: {
    en: 'Your answer must be 5,000 characters or fewer',
    cy: "Rhaid i'ch ateb fod yn 5,000 nod neu lai",
  },
  hint: {
    en: 'You can leave this blank if you have nothing to say on it.',
    cy: "Gallwch adael hwn yn wag os nad oes gennych ddim i'w ddweud amdano.",
  },
};

/**
 * Slot questions as their equivalent definition: a page a question (`question-1` …), named `q1`,
 * `q2` …; free text an optional long answer of up to 5,000 characters, a choice required radios
 * with the Welsh options where given (the English otherwise), the question's Welsh text where
 * given (the English otherwise), and its easy read text kept by name.
 */
export function questionFormOfSlots(questions: readonly SlotQuestion[]): QuestionForm {
  const easyRead: Record<string, string> = {};
  const form = FormDefinitionSchema.parse({
    key: 'consultation-questions',
    title: { en: 'Questions', cy: 'Cwestiynau' },
    pages: questions.map((q, i) => {
      const name = `q${i + 1}`;
      if (q.textEasy) easyRead[name] = q.textEasy;
      const label = { en: q.text, cy: q.textCy ?? q.text };
      return {
        id: `question-${i + 1}`,
        title: label,
        questions: [
          q.kind === 'text'
            ? {
                type: 'textarea',
                name,
                label,
                hint: SLOT_MESSAGES.hint,
                required: false,
                maxLength: SLOT_ANSWER_LIMIT,
                rows: 8,
                messages: { maxLength: SLOT_MESSAGES.tooLong },
              }
            : {
                type: 'radios',
                name,
                label,
                options: optionValues(q.options).map((value, j) => ({
                  value,
                  label: { en: q.options[j]!, cy: q.optionsCy?.[j] ?? q.options[j]! },
                })),
                messages: { required: SLOT_MESSAGES.choose },
              },
        ],
      };
    }),
    confirmation: {
      body: { en: 'Your response has been sent.', cy: 'Mae eich ymateb wedi’i anfon.' },
    },
  });
  return { form, easyRead };
}

/** Forms read from the database, parsed once each (the schema fills in defaults). */
const parsed = new WeakMap<object, QuestionForm>();

/** The questions a consultation keeps, as a definition: its own, or its slot questions' equivalent. */
export function questionFormOf(stored: StoredQuestions): QuestionForm {
  const known = parsed.get(stored);
  if (known) return known;
  const questionForm = hasQuestionForm(stored)
    ? { form: FormDefinitionSchema.parse(stored.form), easyRead: { ...stored.easyRead } }
    : questionFormOfSlots(stored);
  parsed.set(stored, questionForm);
  return questionForm;
}

/** Every question of a definition, page after page: a question's number is its place here, from 1. */
export function questionsOf(form: FormDefinition): FormQuestion[] {
  return form.pages.flatMap((page) => page.questions);
}

/**
 * A response's kept answers by question name. Answers kept by question number (a response to
 * slot questions sent before question forms) become the equivalent definition's: `"0"` → `q1`,
 * and a choice's English option → its value.
 */
export function answersOf(stored: StoredQuestions, kept: unknown): Answers {
  if (!kept || typeof kept !== 'object' || Array.isArray(kept)) return {};
  const answers: Answers = {};
  const slots = hasQuestionForm(stored) ? null : stored;
  const values = new Map<number, string[]>();
  for (const [key, value] of Object.entries(kept as Record<string, AnswerValue>)) {
    if (!/^\d{1,3}$/.test(key)) {
      answers[key] = value;
      continue;
    }
    const index = Number(key);
    const slot = slots?.[index];
    // A number key only ever comes from slot questions; one beyond them answers nothing.
    if (!slot) continue;
    if (slot.kind === 'choice' && typeof value === 'string') {
      if (!values.has(index)) values.set(index, optionValues(slot.options));
      const at = slot.options.indexOf(value);
      answers[`q${index + 1}`] = at === -1 ? value : values.get(index)![at]!;
    } else answers[`q${index + 1}`] = value;
  }
  return answers;
}

/**
 * The definition as a reader of the easy read version sees it: each question with easy read
 * wording takes it as its label (in both languages: easy read versions are in English).
 */
export function formForReader(questionForm: QuestionForm, easyRead: boolean): FormDefinition {
  const wording = questionForm.easyRead;
  if (!easyRead || Object.keys(wording).length === 0) return questionForm.form;
  return {
    ...questionForm.form,
    pages: questionForm.form.pages.map((page) => ({
      ...page,
      questions: page.questions.map((q) =>
        Object.hasOwn(wording, q.name)
          ? { ...q, label: { en: wording[q.name]!, cy: wording[q.name]! } }
          : q,
      ),
    })),
  };
}

/** The easy read wording as the questions page shows it: `name: wording`, one a line. */
export function easyReadText(easyRead: Record<string, string>): string {
  return Object.entries(easyRead)
    .map(([name, text]) => `${name}: ${text}`)
    .join('\n');
}

/** The problems of easy read wording typed on the questions page, as message keys with values. */
export type EasyReadProblem = { key: string; line: number; name?: string };

/**
 * Reads the easy read wording typed one a line as `name: wording`, for the questions of a
 * definition: each name a question of it, once; each wording 1–300 characters.
 */
export function readEasyRead(
  text: string,
  form: FormDefinition,
): { ok: true; easyRead: Record<string, string> } | { ok: false; problems: EasyReadProblem[] } {
  const names = new Set(questionsOf(form).map((q) => q.name));
  const easyRead: Record<string, string> = {};
  const problems: EasyReadProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const match = /^([A-Za-z][A-Za-z0-9]*)\s*:\s*(.*)$/.exec(line);
    if (!match) return problems.push({ key: 'format', line: i + 1 });
    const [, name, wording] = match as unknown as [string, string, string];
    if (!names.has(name)) return problems.push({ key: 'unknown', line: i + 1, name });
    if (Object.hasOwn(easyRead, name)) return problems.push({ key: 'twice', line: i + 1, name });
    if (!wording) return problems.push({ key: 'empty', line: i + 1, name });
    if (wording.length > EASY_READ_LIMIT)
      return problems.push({ key: 'tooLong', line: i + 1, name });
    easyRead[name] = wording;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, easyRead };
}
