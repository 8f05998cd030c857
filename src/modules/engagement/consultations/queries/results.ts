/** What staff read of a consultation's responses, and what a respondent's "My data" shows. */
import type { Db } from '../../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../../platform/http/types.js';
import { csvCell } from '../../../mydata/index.js';
import type { ConsultationResponseRow, ConsultationRow } from '../../db/consultation-tables.js';

export type QuestionResult =
  | { kind: 'choice'; text: string; counts: { option: string; count: number }[] }
  | { kind: 'text'; text: string; answers: { reference: string; answer: string }[] };

/** Per question: how many chose each option, or every non-blank free-text answer. */
export function tally(
  consultation: ConsultationRow,
  responses: readonly ConsultationResponseRow[],
): QuestionResult[] {
  return consultation.questions.map((question, i) => {
    const answers = responses.map((r) => ({
      reference: r.reference ?? '',
      answer: r.answers[String(i)] ?? '',
    }));
    if (question.kind === 'text')
      return { kind: 'text', text: question.text, answers: answers.filter((a) => a.answer !== '') };
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
 * The responses as CSV (RFC 4180, CRLF lines): one line a response, one column a question,
 * every cell through the "My data" export's `csvCell` (quoted, safe from formula injection).
 */
export function responsesCsv(
  consultation: ConsultationRow,
  responses: readonly ConsultationResponseRow[],
): string {
  const header = [
    'reference',
    'submitted_at',
    'respondent_type',
    'organisation_name',
    ...consultation.questions.map((q, i) => `Q${i + 1} ${q.text}`),
  ];
  const lines = [
    header,
    ...responses.map((r) => [
      r.reference,
      r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
      r.respondent_type,
      r.organisation_name,
      ...consultation.questions.map((_, i) => r.answers[String(i)] ?? ''),
    ]),
  ];
  return lines.map((line) => line.map((v) => csvCell(v)).join(',')).join('\r\n') + '\r\n';
}

/** The responses a person sent while signed in, with their answers, for their own "My data". */
export async function consultationsPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const rows = await db
    .selectFrom('consultation_responses')
    .innerJoin('consultations', 'consultations.id', 'consultation_responses.consultation_id')
    .select([
      'consultations.id as consultationId',
      'consultations.title',
      'consultations.questions',
      'consultation_responses.reference',
      'consultation_responses.respondent_type',
      'consultation_responses.organisation_name',
      'consultation_responses.answers',
      'consultation_responses.submitted_at',
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
        answers: r.questions.map((q, i) => `${q.text}: ${r.answers[String(i)] ?? ''}`).join('\n'),
        submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
      })),
    },
  ];
}
