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
 * number as it is read in the UK. A type worded differently in Welsh is in LOCALISED.
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

/** Question types whose answer answerText words differently in English and Welsh. */
const LOCALISED = new Set<string>([
  'checkboxes',
  'radios',
  'select',
  'yesNo',
  'date',
  'number',
  'evidence',
]);

/** A summary row in both languages: written once where the words are the same. */
interface BilingualRow {
  pageId: string;
  field: string;
  question: Words;
  answer: Words;
  item?: number;
}

type Words = Record<Locale, string>;

const sameInBoth = (text: string): Words => ({ en: text, cy: text });

/** The rows in both languages, or only in `only` (the other language then holds the same). */
function summaryRows(form: FormDefinition, saved: Answers, only?: Locale): BilingualRow[] {
  const words = (write: (locale: Locale) => string): Words =>
    only ? sameInBoth(write(only)) : { en: write('en'), cy: write('cy') };
  // An answer whose type reads the same in both languages is written once.
  const answerWords = (question: Question | ItemQuestion, value: AnswerValue | undefined) =>
    LOCALISED.has(question.type)
      ? words((locale) => answerText(question, value, locale))
      : sameInBoth(answerText(question, value, only ?? 'en'));
  const answers = applicableAnswers(form, saved);
  const rows: BilingualRow[] = [];
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
            question: question.label,
            answer: { en: '', cy: '' },
          });
        items.forEach((item, i) => {
          const given = question.questions.filter(
            (q) => Object.hasOwn(item, q.name) && item[q.name] !== '',
          );
          rows.push({
            pageId: page.id,
            field: question.name,
            question: words((locale) => `${question.itemLabel[locale]} ${i + 1}`),
            answer: words((locale) =>
              given.map((q) => answerText(q, item[q.name], locale)).join('\n'),
            ),
            item: i + 1,
          });
        });
        continue;
      }
      rows.push({
        pageId: page.id,
        field: question.name,
        question: question.label,
        answer: answerWords(question, value),
      });
    }
  }
  return rows;
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
  return summaryRows(form, saved, locale).map(({ question, answer, ...row }) => ({
    ...row,
    question: question[locale],
    answer: answer[locale],
  }));
}

/**
 * The answers in words in English and in Welsh, as kept with a submission: summariseAnswers in
 * each language, the form's conditions worked out once and an answer that reads the same in
 * both (a sum of money, an address, text as given) written once.
 */
export function summariseAnswersInBoth(
  form: FormDefinition,
  saved: Answers,
): Record<Locale, { question: string; answer: string }[]> {
  const rows = summaryRows(form, saved);
  const inLocale = (locale: Locale) =>
    rows.map(({ question, answer }) => ({ question: question[locale], answer: answer[locale] }));
  return { en: inLocale('en'), cy: inLocale('cy') };
}
