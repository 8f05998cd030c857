/**
 * The pure rules of moderating and analysing responses: what holds a response for a
 * moderator, how a passage is redacted, and reading the staff forms for redaction, themes,
 * the outcome and withdrawing. No database here, so each rule is tested on its own.
 */
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import { heldReasons } from '../petitions/rules.js';
import type { RedactionReason } from '../db/consultation-tables.js';
import type { Answers, FormDefinition } from '../../forms/index.js';
import { isFreeTextQuestion, questionsOf } from './questions.js';

/** What replaces a redacted passage, in the results, the CSV and the respondent's "My data". */
export const REDACTED = '[redacted]';

export const LIMITS = { theme: 80, outcome: 20000, withdrawnReason: 1000, passage: 200 } as const;

/**
 * Why a response must be read by a moderator before it counts anywhere: abusive words, or what
 * looks like someone's e-mail address or phone number, in its free text or its organisation's
 * name (the petitions' rules). Empty when nothing was found.
 */
export function responseHeldReasons(
  form: FormDefinition,
  answers: Readonly<Answers>,
  organisationName: string | null,
): string[] {
  const texts = questionsOf(form).flatMap((q) => {
    const answer = Object.hasOwn(answers, q.name) ? answers[q.name] : undefined;
    return isFreeTextQuestion(q) && typeof answer === 'string' ? [answer] : [];
  });
  return heldReasons(...texts, organisationName ?? '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces every occurrence (in any case) of each passage with {@link REDACTED}; returns the new
 * text and how many passages were replaced. Longer passages go first so one inside another
 * does not leave part of it behind.
 *
 * @example redactText('Call Bob on 07700 900123', ['07700 900123']) // { text: 'Call Bob on [redacted]', replaced: 1 }
 */
export function redactText(
  text: string,
  passages: readonly string[],
): { text: string; replaced: number } {
  let replaced = 0;
  let result = text;
  for (const passage of [...passages].sort((a, b) => b.length - a.length)) {
    result = result.replace(new RegExp(escapeRegExp(passage), 'gi'), () => {
      replaced++;
      return REDACTED;
    });
  }
  return { text: result, replaced };
}

export interface Redaction {
  field: string;
  reason: RedactionReason;
  passages: string[];
}

/**
 * The redaction form: which answer (`field`, a question number or `organisation`), why, and
 * the passages to remove (one a line). Each passage must be in the text as it stands.
 */
export function readRedaction(
  body: unknown,
  texts: ReadonlyMap<string, string>,
): Outcome<{ redaction: Redaction }> {
  const field = formText(body, 'field');
  const reason = formText(body, 'reason');
  const passages = [
    ...new Set(
      formText(body, 'passages')
        .split(/\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ];
  const errors: FieldError[] = [];
  const text = texts.get(field);
  if (text === undefined)
    errors.push({ field: 'field', message: 'consultations.moderate.field.missing' });
  if (reason !== 'personal-data' && reason !== 'abuse')
    errors.push({ field: 'reason', message: 'consultations.moderate.reason.missing' });
  if (passages.length === 0)
    errors.push({ field: 'passages', message: 'consultations.moderate.passages.missing' });
  else if (passages.some((p) => p.length > LIMITS.passage))
    errors.push({ field: 'passages', message: 'consultations.moderate.passages.tooLong' });
  else if (
    text !== undefined &&
    passages.some((p) => !text.toLowerCase().includes(p.toLowerCase()))
  )
    errors.push({ field: 'passages', message: 'consultations.moderate.passages.notFound' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, redaction: { field, reason: reason as RedactionReason, passages } };
}

/** A theme's name: 1–80 characters, not already a theme of the consultation (in any case). */
export function themeNameProblem(name: string, existing: readonly string[]): string | null {
  if (name === '') return 'consultations.themes.name.missing';
  if (name.length > LIMITS.theme) return 'consultations.themes.name.tooLong';
  if (existing.some((e) => e.toLowerCase() === name.toLowerCase()))
    return 'consultations.themes.name.duplicate';
  return null;
}

/** Free text a staff form needs: required, up to `limit` characters. */
export function requiredText(
  body: unknown,
  field: string,
  limit: number,
  messages: string,
): Outcome<{ text: string }> {
  const text = formText(body, field);
  if (text === '') return { ok: false, errors: [{ field, message: `${messages}.missing` }] };
  if (text.length > limit)
    return { ok: false, errors: [{ field, message: `${messages}.tooLong` }] };
  return { ok: true, text };
}

/** Every value of a form field that may come more than once (checkboxes). */
export function formValues(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
