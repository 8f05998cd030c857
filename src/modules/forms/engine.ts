import type { FieldError } from '../../platform/errors/errors.js';
import { formatDate, type Locale } from '../../platform/i18n/i18n.js';
import type { Answers, FieldDefinition, FormDefinition, FormPageDefinition } from './definition.js';
import { normalisePostcode, parseDateParts } from '../../platform/validation/validators.js';

type Body = Record<string, unknown>;

function text(body: Body, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

function choices(body: Body, name: string): string[] {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

function checkField(
  field: FieldDefinition,
  body: Body,
  answers: Answers,
  today: string,
): { value?: string | string[]; error?: string } {
  switch (field.type) {
    case 'checkboxes':
    case 'radios': {
      const picked = choices(body, field.name);
      const allowed = new Set(field.options.map((o) => o.value));
      if (picked.some((p) => !allowed.has(p)))
        return { error: field.messages.invalid ?? field.messages.required };
      if (field.type === 'radios' && picked.length > 1) return { error: field.messages.required };
      if (picked.length === 0)
        return field.required
          ? { error: field.messages.required }
          : { value: field.type === 'radios' ? '' : [] };
      return { value: field.type === 'radios' ? picked[0]! : picked };
    }
    case 'text':
    case 'textarea': {
      const value = text(body, field.name);
      const required =
        field.required || (field.type === 'textarea' && field.requiredWhen?.(answers) === true);
      if (!value) return required ? { error: field.messages.required } : { value: '' };
      if (value.length > field.maxLength)
        return { value, error: field.messages.tooLong ?? field.messages.required };
      return { value };
    }
    case 'postcode': {
      const value = text(body, field.name);
      if (!value) return field.required ? { error: field.messages.required } : { value: '' };
      const postcode = normalisePostcode(value);
      return postcode
        ? { value: postcode }
        : { value, error: field.messages.invalid ?? field.messages.required };
    }
    case 'date': {
      const parsed = parseDateParts(
        text(body, `${field.name}-day`),
        text(body, `${field.name}-month`),
        text(body, `${field.name}-year`),
      );
      if ('problem' in parsed) {
        if (parsed.problem === 'required' && !field.required) return { value: '' };
        return {
          error:
            field.messages[parsed.problem] ?? field.messages.invalid ?? field.messages.required,
        };
      }
      const broken = field.rule?.(parsed.date, today);
      return broken ? { value: parsed.date, error: broken } : { value: parsed.date };
    }
  }
}

/**
 * Checks one page's answers from a posted form. On success gives the page's normalised answers;
 * otherwise every field's error, in page order, and nothing is saved.
 */
export function validatePage(
  page: FormPageDefinition,
  body: Body,
  earlierAnswers: Answers,
  today: string,
): { ok: true; answers: Answers } | { ok: false; errors: FieldError[] } {
  const answers: Answers = {};
  const errors: FieldError[] = [];
  for (const field of page.fields) {
    const result = checkField(field, body, { ...earlierAnswers, ...answers }, today);
    if (result.value !== undefined) answers[field.name] = result.value;
    if (result.error)
      errors.push({
        field: field.type === 'date' ? `${field.name}-day` : field.name,
        message: result.error,
      });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, answers };
}

/** True when every field on the page has a saved, valid answer (re-checked, not assumed). */
export function pageComplete(page: FormPageDefinition, answers: Answers, today: string): boolean {
  const body: Body = {};
  for (const field of page.fields) {
    const value = answers[field.name];
    if (field.type === 'date' && typeof value === 'string' && value) {
      const [y, m, d] = value.split('-');
      Object.assign(body, {
        [`${field.name}-day`]: d,
        [`${field.name}-month`]: m,
        [`${field.name}-year`]: y,
      });
    } else if (value !== undefined) body[field.name] = value;
    else return false;
  }
  return validatePage(page, body, answers, today).ok;
}

/**
 * The first page still to answer, or undefined when the form is complete. A person may not
 * jump ahead of it: the journey's guard sends them back here.
 */
export function firstIncompletePage(
  form: FormDefinition,
  answers: Answers,
  today: string,
): FormPageDefinition | undefined {
  return form.pages.find((page) => !pageComplete(page, answers, today));
}

export function pageAfter(form: FormDefinition, pageId: string): FormPageDefinition | undefined {
  const index = form.pages.findIndex((p) => p.id === pageId);
  return index >= 0 ? form.pages[index + 1] : undefined;
}

/** One question and answer as a person reads them on "Check your answers" and afterwards. */
export interface AnswerSummaryRow {
  pageId: string;
  field: string;
  question: string;
  answer: string;
}

/** The answers in words, question by question, in one language. */
export function summariseAnswers(
  form: FormDefinition,
  answers: Answers,
  locale: Locale,
): AnswerSummaryRow[] {
  const rows: AnswerSummaryRow[] = [];
  for (const page of form.pages) {
    for (const field of page.fields) {
      const value = answers[field.name];
      let answer = '';
      if (field.type === 'checkboxes' || field.type === 'radios') {
        const picked = Array.isArray(value) ? value : value ? [value] : [];
        answer = picked
          .map((v) => field.options.find((o) => o.value === v)?.label[locale] ?? v)
          .join(', ');
      } else if (field.type === 'date')
        answer =
          typeof value === 'string' && value ? formatDate(value, locale, { weekday: true }) : '';
      else answer = typeof value === 'string' ? value : '';
      rows.push({ pageId: page.id, field: field.name, question: field.label[locale], answer });
    }
  }
  return rows;
}
