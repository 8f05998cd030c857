import type { Db } from '../../../platform/db/database.js';
import type { AnswerRow } from '../db/tables.js';

/**
 * What the hub needs of the forms module (the contract in forms/index.ts): the published
 * definition of a service's form, and whole-form validation of answers against it.
 */
export interface FormsContract {
  publishedForm(
    db: Db,
    formKey: string,
  ): Promise<{ definition: unknown; version: number } | undefined>;
  /** One published version's definition (they never change once published). */
  publishedVersion(db: Db, formKey: string, version: number): Promise<unknown>;
  validateAnswers(
    definition: unknown,
    input: unknown,
    options: { today: string },
  ):
    | { ok: true; answers: Record<string, unknown> }
    | { ok: false; errors: { field: string; message: { en: string; cy: string } }[] };
  /** The answers in words, question by question, in English and Welsh (optional). */
  summariseAnswersInBoth?(
    definition: unknown,
    answers: Record<string, unknown>,
  ): { en: AnswerRow[]; cy: AnswerRow[] };
}

let loading: Promise<FormsContract> | undefined;

/**
 * The forms module's validator, loaded when first needed. forms already imports this module
 * (to create submissions), so importing it back at load time would be a cycle whose order
 * decides what is defined; by the first request both are loaded.
 *
 * TODO: the hub API could move to a module of its own above forms and submissions, which
 * would make this an ordinary import.
 */
export async function formsContract(): Promise<FormsContract> {
  loading ??= import('../../forms/index.js').then((forms) => {
    const contract = forms as unknown as Partial<FormsContract>;
    if (
      typeof contract.publishedForm !== 'function' ||
      typeof contract.publishedVersion !== 'function' ||
      typeof contract.validateAnswers !== 'function'
    )
      throw new Error(
        'The forms module does not export publishedForm, publishedVersion and validateAnswers',
      );
    return contract as FormsContract;
  });
  return loading;
}

/** A plain-text answer for the summary: lists joined, addresses on one line, files by name. */
export function answerText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(answerText).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.name === 'string' && typeof record.id === 'string') return record.name; // a file
    return Object.entries(record)
      .filter(([key]) => key !== 'uprn')
      .map(([, part]) => answerText(part))
      .filter(Boolean)
      .join(', ');
  }
  return '';
}

/**
 * An API submission's answers in words, in both languages: the form's question wording when the
 * definition is known and the forms module offers `summariseAnswersInBoth`, else each answer
 * under its field name.
 */
export function summaryOf(
  forms: FormsContract,
  definition: unknown,
  answers: Record<string, unknown>,
): { en: AnswerRow[]; cy: AnswerRow[] } {
  if (definition !== undefined && forms.summariseAnswersInBoth)
    return forms.summariseAnswersInBoth(definition, answers);
  const rows = Object.entries(answers).map(([question, value]) => ({
    question,
    answer: answerText(value),
  }));
  return { en: rows, cy: rows };
}
