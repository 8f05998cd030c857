/**
 * The journey through a form as a state machine: the state is the saved answers; the pages
 * asked follow from them (conditions); the one guard is that nobody reaches a page, or "Check
 * your answers", before every page asked before it has a valid answer. Events: answer a page
 * (`validatePage`), which moves to `nextPage` — or to check answers once nothing is missing.
 */
import { applicableAnswers, holds, pagesAsked } from './conditions.js';
import type { Answers, Bilingual, FormDefinition, FormPage, Question } from './schema.js';
import { answerToInput, checkPage, type ValidateOptions } from './validate.js';

/** A problem on a page of the journey: `field` is the id of the input to go to. */
export interface PageError {
  field: string;
  message: Bilingual;
}

/** The id of the input a problem belongs to, as the page renders it. */
export function inputId(question: Question, path: (string | number)[]): string {
  if (question.type === 'date') return `${question.name}-day`;
  if (question.type === 'address') {
    const part = path[0];
    return typeof part === 'string' ? `${question.name}-${part}` : `${question.name}-line1`;
  }
  return question.name;
}

/** The answers that apply from the pages before `page`: what its conditions may test. */
export function answersBefore(form: FormDefinition, saved: Answers, page: FormPage): Answers {
  const index = form.pages.indexOf(page);
  const earlier = { ...form, pages: form.pages.slice(0, Math.max(index, 0)) };
  return applicableAnswers(earlier, saved);
}

/**
 * Checks one page's answers (by question name; see `readPageInput` for a posted form) given
 * what was saved for earlier pages. On success, the page's normalised answers; otherwise every
 * problem, in page order, with the id of the input to fix.
 */
export function validatePage(
  form: FormDefinition,
  page: FormPage,
  input: Record<string, unknown>,
  saved: Answers,
  options: ValidateOptions,
): { ok: true; answers: Answers } | { ok: false; errors: PageError[] } {
  const checked = checkPage(page, input, answersBefore(form, saved, page), options);
  if (checked.problems.length === 0) return { ok: true, answers: checked.answers };
  return {
    ok: false,
    errors: checked.problems.map((p) => ({
      field: inputId(
        page.questions.find((q) => q.name === p.question)!,
        p.path,
      ),
      message: p.message,
    })),
  };
}

/**
 * True when every question the page asks has a saved answer that is still valid (re-checked,
 * not assumed: a date "at least 3 days away" saved last week may no longer be).
 */
export function pageComplete(
  form: FormDefinition,
  page: FormPage,
  saved: Answers,
  options: ValidateOptions,
): boolean {
  const context = answersBefore(form, saved, page);
  const input: Record<string, unknown> = {};
  const seen: Answers = { ...context };
  for (const question of page.questions) {
    if (!holds(question.when, seen)) continue;
    if (!Object.hasOwn(saved, question.name)) return false;
    seen[question.name] = saved[question.name]!;
    input[question.name] = answerToInput(question, saved[question.name]!);
  }
  return checkPage(page, input, context, options).problems.length === 0;
}

/**
 * The first page still to answer, or undefined when the form is complete. A person may not
 * jump ahead of it: the journey's guard sends them back here.
 */
export function firstIncompletePage(
  form: FormDefinition,
  saved: Answers,
  options: ValidateOptions | string,
): FormPage | undefined {
  const opts = typeof options === 'string' ? { today: options } : options;
  return pagesAsked(form, saved).find((page) => !pageComplete(form, page, saved, opts));
}

/** True when the page may be shown: it is asked, and no page asked before it is incomplete. */
export function mayVisit(
  form: FormDefinition,
  page: FormPage,
  saved: Answers,
  options: ValidateOptions,
): { ok: true } | { ok: false; goTo: FormPage | undefined } {
  const asked = pagesAsked(form, saved);
  const first = asked.find((p) => !pageComplete(form, p, saved, options));
  if (!asked.includes(page)) return { ok: false, goTo: first };
  if (first && form.pages.indexOf(page) > form.pages.indexOf(first))
    return { ok: false, goTo: first };
  return { ok: true };
}

/** The page asked after `pageId`, given the answers, or undefined after the last. */
export function nextPage(
  form: FormDefinition,
  pageId: string,
  saved: Answers,
): FormPage | undefined {
  const index = form.pages.findIndex((p) => p.id === pageId);
  return pagesAsked(form, saved).find((p) => form.pages.indexOf(p) > index);
}

/** The page asked before `pageId`, for the back link; undefined on the first page. */
export function previousPage(
  form: FormDefinition,
  pageId: string,
  saved: Answers,
): FormPage | undefined {
  const index = form.pages.findIndex((p) => p.id === pageId);
  return pagesAsked(form, saved)
    .filter((p) => form.pages.indexOf(p) < index)
    .at(-1);
}
