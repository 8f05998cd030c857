import { formatDate, type Locale } from '../../platform/i18n/i18n.js';
import { applicableAnswers } from './conditions.js';
import { formatPence, parseUkPhone } from './parsers.js';
import type {
  AddressAnswer,
  AnswerValue,
  Answers,
  EvidenceAnswer,
  FileAnswer,
  FormDefinition,
  ItemQuestion,
  Question,
} from './schema.js';

/** One question and answer as a person reads them on "Check your answers" and afterwards. */
export interface AnswerSummaryRow {
  pageId: string;
  field: string;
  question: string;
  /** The answer in words; lines are separated by "\n". */
  answer: string;
  /** For an "add another" item: its number (1, 2 …), so "Change" can go to that item. */
  item?: number;
}

const YES_NO = { en: { yes: 'Yes', no: 'No' }, cy: { yes: 'Ie', no: 'Na' } };

/** An address on separate lines, as on an envelope. */
export function addressLines(address: AddressAnswer): string[] {
  return [address.line1, address.line2, address.town, address.postcode].filter(
    (line): line is string => Boolean(line),
  );
}

/**
 * One answer in words: dates written out, money in pounds, choices by their labels, a phone
 * number as it is read in the UK.
 *
 * @example answerText(question, '2026-12-01', 'en') // 'Tuesday 1 December 2026'
 */
export function answerText(
  question: Question | ItemQuestion,
  value: AnswerValue | undefined,
  locale: Locale,
): string {
  if (value === undefined || value === '') return '';
  switch (question.type) {
    case 'checkboxes':
    case 'radios':
    case 'select': {
      const picked = Array.isArray(value) ? (value as string[]) : [value as string];
      return picked
        .map((v) => question.options.find((o) => o.value === v)?.label[locale] ?? v)
        .join(', ');
    }
    case 'yesNo':
      return value === 'yes' || value === 'no' ? YES_NO[locale][value] : String(value);
    case 'date':
      return typeof value === 'string' ? formatDate(value, locale, { weekday: true }) : '';
    case 'money':
      return typeof value === 'string' && /^\d+$/.test(value) ? formatPence(Number(value)) : '';
    case 'phone':
      return typeof value === 'string' ? (parseUkPhone(value)?.national ?? value) : '';
    case 'number':
      return typeof value === 'string'
        ? `${value}${question.suffix ? ` ${question.suffix[locale]}` : ''}`
        : '';
    case 'address':
      return typeof value === 'object' && !Array.isArray(value)
        ? addressLines(value as AddressAnswer).join('\n')
        : '';
    case 'file':
      return Array.isArray(value) ? (value as FileAnswer[]).map((f) => f.name).join('\n') : '';
    case 'evidence':
      if (Array.isArray(value)) return (value as FileAnswer[]).map((f) => f.name).join('\n');
      return typeof value === 'object' && (value as EvidenceAnswer).kind === 'evidence'
        ? (locale === 'cy'
            ? 'Gwnaethom wirio gyda {body}: {statement}'
            : 'We checked with {body}: {statement}'
          )
            .replace('{body}', (value as EvidenceAnswer).answeringBody[locale])
            .replace('{statement}', (value as EvidenceAnswer).statement[locale])
        : '';
    case 'repeat':
      return Array.isArray(value) ? String(value.length) : '';
    default:
      return typeof value === 'string' ? value : '';
  }
}

/**
 * The answers in words, question by question, in one language: only what applies (answers to
 * questions a changed answer made irrelevant are left out). An "add another" question gives a
 * row per item, named "Person 1", "Person 2" …, listing the item's answers.
 */
export function summariseAnswers(
  form: FormDefinition,
  saved: Answers,
  locale: Locale,
): AnswerSummaryRow[] {
  const answers = applicableAnswers(form, saved);
  const rows: AnswerSummaryRow[] = [];
  for (const page of form.pages) {
    for (const question of page.questions) {
      if (!Object.hasOwn(answers, question.name)) continue;
      const value = answers[question.name];
      if (question.type === 'repeat') {
        const items = Array.isArray(value) ? (value as Answers[]) : [];
        if (items.length === 0)
          rows.push({
            pageId: page.id,
            field: question.name,
            question: question.label[locale],
            answer: '',
          });
        items.forEach((item, i) => {
          rows.push({
            pageId: page.id,
            field: question.name,
            question: `${question.itemLabel[locale]} ${i + 1}`,
            answer: question.questions
              .filter((q) => Object.hasOwn(item, q.name) && item[q.name] !== '')
              .map((q) => answerText(q, item[q.name], locale))
              .join('\n'),
            item: i + 1,
          });
        });
        continue;
      }
      rows.push({
        pageId: page.id,
        field: question.name,
        question: question.label[locale],
        answer: answerText(question, value, locale),
      });
    }
  }
  return rows;
}
