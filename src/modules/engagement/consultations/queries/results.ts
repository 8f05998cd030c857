/** What staff read of a consultation's responses, and what a respondent's "My data" shows. */
import type { Db } from '../../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../../platform/http/types.js';
import { csvCell } from '../../../mydata/index.js';
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

/**
 * Per question: how many chose each option; or every non-blank free-text answer with its
 * themes, and how many answers each theme was tagged on.
 */
export function tally(
  consultation: ConsultationRow,
  responses: readonly ConsultationResponseRow[],
  themes: Themes = NO_THEMES,
): QuestionResult[] {
  return consultation.questions.map((question, i) => {
    const answers = responses.map((r) => ({
      responseId: r.id,
      reference: r.reference ?? '',
      answer: r.answers[String(i)] ?? '',
      themes: themeNames(themes, `${r.id}:${i}`),
    }));
    if (question.kind === 'text')
      return {
        kind: 'text',
        text: question.text,
        answers: answers.filter((a) => a.answer !== ''),
        themes: themes.themes.map((t) => ({
          name: t.name,
          count: answers.filter((a) => a.themes.includes(t.name)).length,
        })),
      };
    return {
      kind: 'choice',
      text: question.text,
      counts: question.options.map((option) => ({
        option,
        count: answers.filter((a) => a.answer === option).length,
      })),
    };
  });
}

/**
 * The responses as CSV (RFC 4180, CRLF lines): one line a response, one column a question and,
 * after each free-text question, one with its themes (separated by "; "); every cell through
 * the "My data" export's `csvCell` (quoted, safe from formula injection).
 */
export function responsesCsv(
  consultation: ConsultationRow,
  responses: readonly ConsultationResponseRow[],
  themes: Themes = NO_THEMES,
): string {
  const header = [
    'reference',
    'submitted_at',
    'respondent_type',
    'organisation_name',
    ...consultation.questions.flatMap((q, i) =>
      q.kind === 'text' ? [`Q${i + 1} ${q.text}`, `Q${i + 1} themes`] : [`Q${i + 1} ${q.text}`],
    ),
  ];
  const lines = [
    header,
    ...responses.map((r) => [
      r.reference,
      r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
      r.respondent_type,
      r.organisation_name,
      ...consultation.questions.flatMap((q, i) =>
        q.kind === 'text'
          ? [r.answers[String(i)] ?? '', themeNames(themes, `${r.id}:${i}`).join('; ')]
          : [r.answers[String(i)] ?? ''],
      ),
    ]),
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
    if (r.kind === 'text')
      for (const theme of r.themes) lines.push([`Q${i + 1} ${r.text}`, theme.name, theme.count]);
  });
  return toCsv(lines);
}

/** The responses a person sent while signed in, with their answers, for their own "My data". */
export async function consultationsPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const rows = await db
    .selectFrom('consultation_responses')
    .innerJoin('consultations', 'consultations.id', 'consultation_responses.consultation_id')
    // The questions of the version the response answered, when an edit has replaced it since.
    .leftJoin('consultation_versions', (join) =>
      join
        .onRef(
          'consultation_versions.consultation_id',
          '=',
          'consultation_responses.consultation_id',
        )
        .onRef('consultation_versions.version', '=', 'consultation_responses.version'),
    )
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
        answers: (r.answeredQuestions ?? r.questions)
          .map((q, i) => `${q.text}: ${r.answers[String(i)] ?? ''}`)
          .join('\n'),
        submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
        heldForModeration: r.held,
        toldOfOutcomeAt: r.notify_email,
      })),
    },
  ];
}
