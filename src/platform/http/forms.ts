import type { FieldError } from '../errors/errors.js';
import type { Translate } from '../i18n/i18n.js';

/** What the GOV.UK error summary and each field's error message need, from a command's errors. */
export function errorView(errors: FieldError[], t: Translate) {
  const errorList = errors.map((e) => ({ text: t(e.message), href: `#${e.field}` }));
  const fieldErrors: Record<string, { text: string }> = {};
  for (const e of errors) fieldErrors[e.field] ??= { text: t(e.message) };
  return { errorList, fieldErrors };
}

/** A single string from a form field, trimmed; arrays and missing values become ''. */
export function formText(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** A relative path on this site to return to after sign-in; anything else becomes the fallback. */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string') return fallback;
  return /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : fallback;
}
