/**
 * A notice's tender questions as a forms-engine definition (src/modules/forms): the buyer writes
 * it as JSON (the forms editor's format and checks), suppliers answer it on the tender page with
 * the forms engine's questions and validator, and the panel reads the answers in words.
 *
 * A notice published with questions one a line (or before migration 0058) has no definition of
 * its own: its questions are read as long-text questions `q1`, `q2` …, and a tender's answers
 * kept as a list (before 0060's code) are read as `{ q1: …, q2: … }`.
 */
import {
  FormDefinitionSchema,
  MAX_TEXT_LENGTH,
  type Answers,
  type ExtraProblem,
  type FormDefinition,
  type Question,
} from '../../forms/index.js';
import type { TenderQuestion } from '../db/tables.js';

/** The question types a tender page asks: all but uploads (tender documents have their own page), "add another" and evidence. */
const REFUSED_TYPES = new Set<Question['type']>(['file', 'repeat', 'evidence']);

/** Names the tender page uses for its own fields. */
const RESERVED_NAMES = new Set(['price', 'supplierId', 'action']);

/** The most questions one notice asks. */
export const MAX_TENDER_QUESTIONS = 50;

/**
 * What a definition may not have as a notice's tender questions, beyond the forms schema: files,
 * "add another" and evidence questions, a fee, a business-only applicant.
 */
export function tenderFormProblems(definition: FormDefinition): ExtraProblem[] {
  const problems: ExtraProblem[] = [];
  let count = 0;
  definition.pages.forEach((page, p) =>
    page.questions.forEach((question, q) => {
      count++;
      if (REFUSED_TYPES.has(question.type))
        problems.push({
          path: ['pages', p, 'questions', q, 'type'],
          message: `a tender cannot ask a ${question.type} question (suppliers attach files under “Documents with your tender”)`,
        });
    }),
  );
  // The tender page's own fields sit beside the questions.
  definition.pages.forEach((page, p) =>
    page.questions.forEach((question, q) => {
      if (RESERVED_NAMES.has(question.name))
        problems.push({
          path: ['pages', p, 'questions', q, 'name'],
          message: `"${question.name}" is the tender page's own field: choose another name`,
        });
    }),
  );
  if (count > MAX_TENDER_QUESTIONS)
    problems.push({ path: ['pages'], message: `at most ${MAX_TENDER_QUESTIONS} questions` });
  if (definition.fee) problems.push({ path: ['fee'], message: 'a tender has no fee' });
  if (definition.applicant === 'business')
    problems.push({ path: ['applicant'], message: 'every tenderer is a business already' });
  return problems;
}

/** The questions one a line as a definition: a long-text question each, `q1`, `q2` …. */
export function questionFormOfLines(questions: readonly TenderQuestion[]): FormDefinition {
  return FormDefinitionSchema.parse({
    key: 'tender-questions',
    title: { en: 'Tender questions', cy: 'Cwestiynau’r tendr' },
    pages: [
      {
        id: 'questions',
        title: { en: 'Questions', cy: 'Cwestiynau' },
        questions: questions.map((q, i) => ({
          type: 'textarea',
          name: `q${i + 1}`,
          label: { en: q.text, cy: q.text },
          maxLength: MAX_TEXT_LENGTH,
          rows: 6,
          errorName: {
            en: `an answer to question ${i + 1}`,
            cy: `ateb i gwestiwn ${i + 1}`,
          },
        })),
      },
    ],
    confirmation: {
      body: { en: 'Your tender has been sent.', cy: 'Mae eich tendr wedi’i anfon.' },
    },
  });
}

/** What a notice's questions are read from. */
export interface NoticeQuestions {
  questions: TenderQuestion[];
  question_form: unknown;
}

/** Whether the notice's questions are a definition of its own (not questions one a line). */
export function hasQuestionForm(notice: Pick<NoticeQuestions, 'question_form'>): boolean {
  return notice.question_form !== null && notice.question_form !== undefined;
}

/** The notice's tender questions as a definition: its own, or its questions one a line as one. */
export function questionFormOf(notice: NoticeQuestions): FormDefinition {
  if (hasQuestionForm(notice)) {
    const stored =
      typeof notice.question_form === 'string'
        ? (JSON.parse(notice.question_form) as unknown)
        : notice.question_form;
    return FormDefinitionSchema.parse(stored);
  }
  return questionFormOfLines(notice.questions);
}

/** Every question of a definition, page after page. */
export function questionsOf(definition: FormDefinition): Question[] {
  return definition.pages.flatMap((page) => page.questions);
}

/** The questions' labels in one language, for the notice page and the stored `questions` column. */
export function questionTexts(definition: FormDefinition, locale: 'en' | 'cy'): TenderQuestion[] {
  return questionsOf(definition).map((q) => ({ text: q.label[locale] }));
}

/** A tender's kept answers by question name (a list kept before question forms read as q1, q2 …). */
export function answersOf(stored: unknown): Answers {
  if (Array.isArray(stored))
    return Object.fromEntries(stored.map((answer, i) => [`q${i + 1}`, String(answer ?? '')]));
  return stored && typeof stored === 'object' ? (stored as Answers) : {};
}
