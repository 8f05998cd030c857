import type { AnswerValue, Answers, Condition, FormDefinition, FormPage } from './schema.js';

/**
 * True when a condition holds for the answers so far. A question not answered (or not asked)
 * never satisfies a condition. For checkboxes `equals` means "includes".
 *
 * @example holds({ question: 'items', equals: 'other' }, { items: ['sofa', 'other'] }) // true
 */
export function holds(condition: Condition | undefined, answers: Answers): boolean {
  if (!condition) return true;
  const value: AnswerValue | undefined = Object.hasOwn(answers, condition.question)
    ? answers[condition.question]
    : undefined;
  const given: string[] = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string' && value !== ''
      ? [value]
      : [];
  if ('notEmpty' in condition) return given.length > 0;
  if ('equals' in condition) return given.includes(condition.equals);
  return given.some((v) => condition.in.includes(v));
}

/**
 * The saved answers that still apply: those of pages and questions whose conditions hold,
 * walking the form in order. An answer given before the person changed an earlier answer
 * (so its page is now skipped) stays in the draft but is left out here.
 */
export function applicableAnswers(form: FormDefinition, saved: Answers): Answers {
  const answers: Answers = {};
  for (const page of form.pages) {
    if (!holds(page.when, answers)) continue;
    for (const question of page.questions) {
      if (holds(question.when, answers) && Object.hasOwn(saved, question.name))
        answers[question.name] = saved[question.name]!;
    }
  }
  return answers;
}

/** The pages a person is asked, in order, given their answers so far. */
export function pagesAsked(form: FormDefinition, saved: Answers): FormPage[] {
  const answers = applicableAnswers(form, saved);
  return form.pages.filter((page) => holds(page.when, answers));
}
