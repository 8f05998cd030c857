import type { Locale } from '../../platform/i18n/i18n.js';
import type { AnswerKind, EvidenceTypeRow, Words } from './db/tables.js';

/**
 * The one value an answer may be, checked against the type: a boolean for yes/no, text (up to
 * 200 characters), a finite number, or a date (YYYY-MM-DD). Text from a CSV is read the same
 * way ("yes"/"no", "true"/"false"). Undefined when it is not one.
 */
export function parseAnswerValue(
  kind: AnswerKind,
  raw: unknown,
): boolean | string | number | undefined {
  if (kind === 'yes-no') {
    if (typeof raw === 'boolean') return raw;
    if (typeof raw !== 'string') return undefined;
    const text = raw.trim().toLowerCase();
    if (text === 'yes' || text === 'true') return true;
    if (text === 'no' || text === 'false') return false;
    return undefined;
  }
  if (kind === 'number') {
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (kind === 'date')
    return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) ? text : undefined;
  return text.length >= 1 && text.length <= 200 ? text : undefined;
}

/** "you receive Pension Credit" / "your council tax band is D", in one language. */
export function statementOf(
  type: Pick<EvidenceTypeRow, 'wording' | 'answer_kind'>,
  value: boolean | string | number,
  locale: Locale,
): string {
  const { wording } = type;
  if (type.answer_kind === 'yes-no') return (value ? wording.yes : wording.no)?.[locale] ?? '';
  return (wording.value?.[locale] ?? '{value}').replace('{value}', String(value));
}

/** The statement in both languages, for the snapshot kept with a submission. */
export function statementWords(
  type: Pick<EvidenceTypeRow, 'wording' | 'answer_kind'>,
  value: boolean | string | number,
): Words {
  return { en: statementOf(type, value, 'en'), cy: statementOf(type, value, 'cy') };
}
