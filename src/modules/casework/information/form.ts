import type { FieldError } from '../../../platform/errors/errors.js';
import { daysBetween, parseDateParts } from '../../../platform/validation/validators.js';

/** The longest question a caseworker may ask (the table's limit). */
export const QUESTION_MAX = 2000;
/** The longest answer an applicant may give (the table's limit). */
export const ANSWER_MAX = 5000;
/** How many files one answer may carry. */
export const ANSWER_MAX_FILES = 10;
/** The furthest ahead a reply-by date may be: a request left open longer is not a request. */
export const REPLY_BY_MAX_DAYS = 366;
/** The longest reasons an applicant may give for asking for a review. */
export const REVIEW_REASONS_MAX = 5000;

/** What a caseworker asks, once read and checked. */
export interface InformationQuestion {
  question: string;
  /** YYYY-MM-DD, or null when the caseworker set no date. */
  replyBy: string | null;
}

/** The "Ask for information" form as typed, to show it again with its errors. */
export interface QuestionFormValues {
  question: string;
  'replyBy-day': string;
  'replyBy-month': string;
  'replyBy-year': string;
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** The posted question form's values, whatever they are. */
export function questionFormValues(body: Record<string, unknown>): QuestionFormValues {
  return {
    question: text(body, 'question'),
    'replyBy-day': text(body, 'replyBy-day'),
    'replyBy-month': text(body, 'replyBy-month'),
    'replyBy-year': text(body, 'replyBy-year'),
  };
}

/**
 * Reads "Ask the applicant for information": a question (required, at most 2,000 characters)
 * and an optional reply-by date, which must be after today and within a year. Every problem
 * is reported at once, in the order of the page.
 *
 * @example readQuestion({ question: 'Send a photo of the sofa' }, '2026-03-02')
 */
export function readQuestion(
  body: Record<string, unknown>,
  today: string,
): { ok: true; question: InformationQuestion } | { ok: false; errors: FieldError[] } {
  const values = questionFormValues(body);
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) =>
    errors.push({ field, message: `casework.information.errors.${message}` });

  if (!values.question) fail('question', 'questionRequired');
  else if (values.question.length > QUESTION_MAX) fail('question', 'questionTooLong');

  let replyBy: string | null = null;
  const parsed = parseDateParts(
    values['replyBy-day'],
    values['replyBy-month'],
    values['replyBy-year'],
  );
  if ('date' in parsed) {
    const ahead = daysBetween(today, parsed.date);
    if (ahead < 1) fail('replyBy-day', 'replyByPast');
    else if (ahead > REPLY_BY_MAX_DAYS) fail('replyBy-day', 'replyByTooFar');
    else replyBy = parsed.date;
  } else if (parsed.problem !== 'required') fail('replyBy-day', `replyBy.${parsed.problem}`);

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, question: { question: values.question, replyBy } };
}

/**
 * Reads the applicant's answer text: required, at most 5,000 characters. The files are checked
 * as they are uploaded, one at a time, so the page works without JavaScript.
 */
export function readAnswer(
  body: Record<string, unknown>,
): { ok: true; answer: string } | { ok: false; errors: FieldError[] } {
  const answer = text(body, 'answer');
  if (!answer)
    return {
      ok: false,
      errors: [{ field: 'answer', message: 'casework.information.errors.answerRequired' }],
    };
  if (answer.length > ANSWER_MAX)
    return {
      ok: false,
      errors: [{ field: 'answer', message: 'casework.information.errors.answerTooLong' }],
    };
  return { ok: true, answer };
}

/**
 * The ids of the files already uploaded for an answer, carried in hidden fields between the
 * upload and the sending (no session state, so the page works without JavaScript). Whoever
 * reads them checks each is an upload of the applicant's, not yet sent with anything.
 */
export function fileIdsOf(body: Record<string, unknown>): string[] {
  const value = body.files;
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
}

/** Reads "Ask for a review": the applicant's reasons, required, at most 5,000 characters. */
export function readReviewReasons(
  body: Record<string, unknown>,
): { ok: true; reasons: string } | { ok: false; errors: FieldError[] } {
  const reasons = text(body, 'reasons');
  if (!reasons)
    return {
      ok: false,
      errors: [{ field: 'reasons', message: 'casework.review.errors.reasonsRequired' }],
    };
  if (reasons.length > REVIEW_REASONS_MAX)
    return {
      ok: false,
      errors: [{ field: 'reasons', message: 'casework.review.errors.reasonsTooLong' }],
    };
  return { ok: true, reasons };
}
