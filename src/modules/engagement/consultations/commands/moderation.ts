/**
 * What a body's staff do with the responses to its consultation: release a held response,
 * redact personal data or abuse, define themes and tag free-text answers with them. The
 * caller has checked the policy (the body's caseworkers and service owners); every change is
 * audited with the respondent's account as the subject when there is one.
 */
import type { Actor } from '../../../../platform/audit/audit.js';
import { recordAudit } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import type { Outcome } from '../../../../platform/errors/errors.js';
import type { ConsultationResponseRow, ConsultationRow } from '../../db/consultation-tables.js';
import { redactText, themeNameProblem, type Redaction } from '../moderation.js';
import { answersOf, isFreeTextQuestion, questionFormOf, questionsOf } from '../questions.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

/** A held response counts and is shown from now on: its moderator has read it. */
export async function releaseResponse(
  trx: Db,
  actor: Actor,
  response: ConsultationResponseRow,
): Promise<boolean> {
  const released = await trx
    .updateTable('consultation_responses')
    .set({ held: false, reviewed_by: actor.userId, reviewed_at: new Date() })
    .where('id', '=', response.id)
    .where('held', '=', true)
    .returning('id')
    .executeTakeFirst();
  if (!released) return false;
  await recordAudit(trx, actor, {
    action: 'consultation.response-released',
    resourceType: 'consultation_response',
    resourceId: response.id,
    subjectUserId: response.user_id,
    details: { consultationId: response.consultation_id, heldReasons: response.held_reasons },
  });
  return true;
}

/**
 * The texts of a response a moderator may redact: its free-text answers (by the question's
 * 0-based place in the form, as the redaction form names them) and its organisation's name.
 */
export function redactableTexts(
  consultation: ConsultationRow,
  response: ConsultationResponseRow,
): Map<string, string> {
  const texts = new Map<string, string>();
  const answers = answersOf(consultation.questions, response.answers);
  questionsOf(questionFormOf(consultation.questions).form).forEach((q, i) => {
    const answer = Object.hasOwn(answers, q.name) ? answers[q.name] : undefined;
    if (isFreeTextQuestion(q) && typeof answer === 'string' && answer) texts.set(String(i), answer);
  });
  if (response.organisation_name) texts.set('organisation', response.organisation_name);
  return texts;
}

/**
 * Replaces the passages in one answer (or the organisation's name) with "[redacted]". The
 * original is kept only for abuse (it may have to be reported) and only until the outcome is
 * published; personal data is not kept at all. The audit says what kind and how many passages,
 * never the text.
 */
export async function redactResponse(
  trx: Db,
  actor: Actor,
  consultation: ConsultationRow,
  response: ConsultationResponseRow,
  redaction: Redaction,
): Promise<void> {
  const original = redactableTexts(consultation, response).get(redaction.field) ?? '';
  const { text, replaced } = redactText(original, redaction.passages);
  if (redaction.field === 'organisation')
    await trx
      .updateTable('consultation_responses')
      .set({ organisation_name: text })
      .where('id', '=', response.id)
      .execute();
  else {
    // Kept by question name from now on, whatever way the response kept them before.
    const question = questionsOf(questionFormOf(consultation.questions).form)[
      Number(redaction.field)
    ]!;
    const answers = answersOf(consultation.questions, response.answers);
    await trx
      .updateTable('consultation_responses')
      .set({ answers: JSON.stringify({ ...answers, [question.name]: text }) })
      .where('id', '=', response.id)
      .execute();
  }
  const keepOriginal = redaction.reason === 'abuse' && !consultation.outcome_published_at;
  await trx
    .insertInto('consultation_redactions')
    .values({
      response_id: response.id,
      field: redaction.field,
      reason: redaction.reason,
      passages: replaced,
      original: keepOriginal ? original : null,
      redacted_by: actor.userId,
    })
    .execute();
  await recordAudit(trx, actor, {
    action: 'consultation.response-redacted',
    resourceType: 'consultation_response',
    resourceId: response.id,
    subjectUserId: response.user_id,
    details: {
      consultationId: consultation.id,
      field: redaction.field,
      reason: redaction.reason,
      passages: replaced,
    },
  });
}

/** Adds a theme to a consultation, if its name is good and new there. */
export async function addTheme(
  trx: Db,
  actor: Actor,
  consultation: ConsultationRow,
  name: string,
): Promise<Outcome<object>> {
  const existing = await trx
    .selectFrom('consultation_themes')
    .select('name')
    .where('consultation_id', '=', consultation.id)
    .execute();
  const problem = themeNameProblem(
    name,
    existing.map((t) => t.name),
  );
  if (problem) return { ok: false, errors: [{ field: 'name', message: problem }] };
  const theme = await trx
    .insertInto('consultation_themes')
    .values({ consultation_id: consultation.id, name, created_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'consultation.theme-added',
    resourceType: 'consultation',
    resourceId: consultation.id,
    subjectUserId: null,
    details: { themeId: theme.id },
  });
  return { ok: true };
}

/**
 * Sets the themes of one free-text answer to exactly `themeIds` (those of this consultation;
 * none clears them). Returns false when the question is not a free-text one or a theme is not
 * this consultation's.
 */
export async function tagAnswer(
  trx: Db,
  actor: Actor,
  consultation: ConsultationRow,
  response: ConsultationResponseRow,
  questionIndex: number,
  themeIds: readonly string[],
): Promise<boolean> {
  const question = questionsOf(questionFormOf(consultation.questions).form)[questionIndex];
  if (!question || !isFreeTextQuestion(question)) return false;
  const ids = [...new Set(themeIds)];
  if (ids.some((id) => !isUuid(id))) return false;
  if (ids.length > 0) {
    const known = await trx
      .selectFrom('consultation_themes')
      .select('id')
      .where('consultation_id', '=', consultation.id)
      .where('id', 'in', ids)
      .execute();
    if (known.length !== ids.length) return false;
  }
  await trx
    .deleteFrom('consultation_answer_themes')
    .where('response_id', '=', response.id)
    .where('question_index', '=', questionIndex)
    .execute();
  if (ids.length > 0)
    await trx
      .insertInto('consultation_answer_themes')
      .values(
        ids.map((theme_id) => ({
          response_id: response.id,
          question_index: questionIndex,
          theme_id,
          tagged_by: actor.userId,
        })),
      )
      .execute();
  await recordAudit(trx, actor, {
    action: 'consultation.answer-tagged',
    resourceType: 'consultation_response',
    resourceId: response.id,
    subjectUserId: null,
    details: { consultationId: consultation.id, question: questionIndex + 1, themes: ids },
  });
  return true;
}
