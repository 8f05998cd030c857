/** What staff read of a consultation's responses, and what a respondent's "My data" shows. */
import type { Db } from '../../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../../platform/http/types.js';
import { csvCell } from '../../../mydata/index.js';
import { answerText, type Answers, type Question as FormQuestion } from '../../../forms/index.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import {
  answersOf,
  isChoiceQuestion,
  isFreeTextQuestion,
  questionFormOf,
  questionsOf,
  type StoredQuestions,
} from '../questions.js';
import type {
  ConsultationResponseRow,
  ConsultationRow,
  ConsultationThemeRow,
} from '../../db/consultation-tables.js';

export type QuestionResult =
  | { kind: 'choice'; text: string; counts: { option: string; count: number }[] }
  | {
      kind: 'text';
      text: string;
      /** Free text (text or textarea): tagged with themes and counted per theme. */
      taggable: boolean;
      answers: { responseId: string; reference: string; answer: string; themes: string[] }[];
      themes: { name: string; count: number }[];
    };

/** The themes staff defined, and which answers they tagged (`<response id>:<question index>`). */
export interface Themes {
  themes: readonly ConsultationThemeRow[];
  tags: ReadonlyMap<string, readonly string[]>;
}

const NO_THEMES: Themes = { themes: [], tags: new Map() };

function themeNames(themes: Themes, key: string): string[] {
  const ids = themes.tags.get(key) ?? [];
  return themes.themes.filter((t) => ids.includes(t.id)).map((t) => t.name);
}

/** The options of a choice question as values with labels (yes/no has its own two). */
function optionsOf(question: FormQuestion, locale: Locale): { value: string; label: string }[] {
  if (question.type === 'yesNo')
    return ['yes', 'no'].map((value) => ({ value, label: answerText(question, value, locale) }));
  return 'options' in question
    ? question.options.map((o) => ({ value: o.value, label: o.label[locale] }))
    : [];
}

/** One response's answer to one question: its value as kept, and in words. */
function answerOf(answers: Answers, question: FormQuestion, locale: Locale) {
  const value = Object.hasOwn(answers, question.name) ? answers[question.name] : undefined;
  return { value, text: answerText(question, value, locale) };
}

/**
 * Per question of the consultation's form (its questions at the version shown): how many chose
 * each option (each box ticked counts); or every answer given in words, with, for free text,
 * its themes and how many answers each theme was tagged on.
 */
export function tally(
  consultation: Pick<ConsultationRow, 'questions'>,
  responses: readonly ConsultationResponseRow[],
  themes: Themes = NO_THEMES,
  locale: Locale = 'en',
): QuestionResult[] {
  const { form } = questionFormOf(consultation.questions);
  const kept = responses.map((r) => ({
    row: r,
    answers: answersOf(consultation.questions, r.answers),
  }));
  return questionsOf(form).map((question, i) => {
    const text = question.label[locale];
    if (isChoiceQuestion(question))
      return {
        kind: 'choice',
        text,
        counts: optionsOf(question, locale).map((option) => ({
          option: option.label,
          count: kept.filter(({ answers }) => {
            const { value } = answerOf(answers, question, locale);
            return Array.isArray(value)
              ? (value as unknown[]).includes(option.value)
              : value === option.value;
          }).length,
        })),
      };
    const taggable = isFreeTextQuestion(question);
    const answers = kept.map(({ row, answers }) => ({
      responseId: row.id,
      reference: row.reference ?? '',
      answer: answerOf(answers, question, locale).text,
      themes: taggable ? themeNames(themes, `${row.id}:${i}`) : [],
    }));
    return {
      kind: 'text',
      text,
      taggable,
      answers: answers.filter((a) => a.answer !== ''),
      themes: taggable
        ? themes.themes.map((t) => ({
            name: t.name,
            count: answers.filter((a) => a.themes.includes(t.name)).length,
          }))
        : [],
    };
  });
}

/**
 * The responses as CSV (RFC 4180, CRLF lines): one line a response, one column a question (its
 * answer in words, in English: a choice's English option, several ticked separated by ", ")
 * and, after each free-text question, one with its themes (separated by "; "); every cell
 * through the "My data" export's `csvCell` (quoted, safe from formula injection).
 */
export function responsesCsv(
  consultation: Pick<ConsultationRow, 'questions'>,
  responses: readonly ConsultationResponseRow[],
  themes: Themes = NO_THEMES,
): string {
  const questions = questionsOf(questionFormOf(consultation.questions).form);
  const header = [
    'reference',
    'submitted_at',
    'respondent_type',
    'organisation_name',
    ...questions.flatMap((q, i) =>
      isFreeTextQuestion(q)
        ? [`Q${i + 1} ${q.label.en}`, `Q${i + 1} themes`]
        : [`Q${i + 1} ${q.label.en}`],
    ),
  ];
  const lines = [
    header,
    ...responses.map((r) => {
      const answers = answersOf(consultation.questions, r.answers);
      return [
        r.reference,
        r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
        r.respondent_type,
        r.organisation_name,
        ...questions.flatMap((q, i) =>
          isFreeTextQuestion(q)
            ? [answerOf(answers, q, 'en').text, themeNames(themes, `${r.id}:${i}`).join('; ')]
            : [answerOf(answers, q, 'en').text],
        ),
      ];
    }),
  ];
  return toCsv(lines);
}

function toCsv(lines: readonly (readonly (string | number | null)[])[]): string {
  return lines.map((line) => line.map((v) => csvCell(v)).join(',')).join('\r\n') + '\r\n';
}

/** The count of answers tagged with each theme, per free-text question, as CSV. */
export function themesCsv(results: readonly QuestionResult[]): string {
  const lines: (string | number)[][] = [['question', 'theme', 'answers']];
  results.forEach((r, i) => {
    if (r.kind === 'text' && r.taggable)
      for (const theme of r.themes) lines.push([`Q${i + 1} ${r.text}`, theme.name, theme.count]);
  });
  return toCsv(lines);
}

/**
 * Responses joined to their consultation and, when an edit has replaced the questions since, to
 * the version each response answered (`consultation_versions.questions`, null otherwise).
 */
export function responsesWithTheirConsultation(db: Db) {
  return db
    .selectFrom('consultation_responses')
    .innerJoin('consultations', 'consultations.id', 'consultation_responses.consultation_id')
    .leftJoin('consultation_versions', (join) =>
      join
        .onRef(
          'consultation_versions.consultation_id',
          '=',
          'consultation_responses.consultation_id',
        )
        .onRef('consultation_versions.version', '=', 'consultation_responses.version'),
    );
}

/** The responses a person sent while signed in, with their answers, for their own "My data". */
export async function consultationsPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const rows = await responsesWithTheirConsultation(db)
    .select([
      'consultations.id as consultationId',
      'consultations.title',
      'consultations.questions',
      'consultation_versions.questions as answeredQuestions',
      'consultation_responses.reference',
      'consultation_responses.respondent_type',
      'consultation_responses.organisation_name',
      'consultation_responses.answers',
      'consultation_responses.submitted_at',
      'consultation_responses.notify_email',
      'consultation_responses.held',
    ])
    .where('consultation_responses.user_id', '=', userId)
    .where('consultation_responses.submitted_at', 'is not', null)
    .orderBy('consultation_responses.submitted_at')
    .execute();
  return [
    {
      key: 'consultationResponses',
      title: 'consultations.personalData.responses',
      rows: rows.map((r) => ({
        consultation: r.consultationId,
        title: r.title,
        reference: r.reference,
        respondedAs: r.respondent_type,
        organisation: r.organisation_name,
        answers: answersInWords(r.answeredQuestions ?? r.questions, r.answers),
        submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
        heldForModeration: r.held,
        toldOfOutcomeAt: r.notify_email,
      })),
    },
  ];
}

/** A response's answers as "question: answer" lines in English, for the respondent's "My data". */
function answersInWords(questions: StoredQuestions, kept: unknown): string {
  const answers = answersOf(questions, kept);
  return questionsOf(questionFormOf(questions).form)
    .map((q) => `${q.label.en}: ${answerOf(answers, q, 'en').text}`)
    .join('\n');
}
