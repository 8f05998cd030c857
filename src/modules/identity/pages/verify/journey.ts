import type { FieldError } from '../../../../platform/errors/errors.js';
import { parseNino } from '../../../registers/index.js';
import { normalisePostcode, parseDateParts } from '../../../../platform/validation/validators.js';

/**
 * Online identity verification as a state machine: one question a page, then "check your
 * answers", then matched (back to where the person was), not matched, or locked. The map:
 *
 *   start --START--> name --NAME_GIVEN--> date-of-birth --DATE_OF_BIRTH_GIVEN-->
 *   national-insurance-number --NINO_GIVEN--> postcode --POSTCODE_GIVEN--> check
 *   check --MATCHED--> (returnTo) | --NOT_MATCHED--> no-match | --LOCKED--> locked
 *   no-match --TRY_AGAIN--> check
 */
export const JOURNEY = {
  start: { START: 'name' },
  name: { NAME_GIVEN: 'date-of-birth' },
  'date-of-birth': { DATE_OF_BIRTH_GIVEN: 'national-insurance-number' },
  'national-insurance-number': { NINO_GIVEN: 'postcode' },
  postcode: { POSTCODE_GIVEN: 'check' },
  check: { MATCHED: 'returned', NOT_MATCHED: 'no-match', LOCKED: 'locked' },
  'no-match': { TRY_AGAIN: 'check' },
} as const;

/** The pages that ask a question, in order. */
export const QUESTION_STEPS = [
  'name',
  'date-of-birth',
  'national-insurance-number',
  'postcode',
] as const;
export type QuestionStep = (typeof QUESTION_STEPS)[number];
export type Step = QuestionStep | 'check';

/** The answers each question page gives. */
const ANSWERED_BY: Record<QuestionStep, string[]> = {
  name: ['givenName', 'familyName'],
  'date-of-birth': ['dateOfBirth'],
  'national-insurance-number': ['nino'],
  postcode: ['postcode'],
};

function answered(step: QuestionStep, answers: Record<string, string>): boolean {
  return ANSWERED_BY[step].every((key) => typeof answers[key] === 'string' && answers[key] !== '');
}

/** The first question not yet answered, or 'check' when all are. */
export function firstUnanswered(answers: Record<string, string>): Step {
  return QUESTION_STEPS.find((step) => !answered(step, answers)) ?? 'check';
}

/** The guard against jumping ahead: a page may be seen once every page before it is answered. */
export function mayVisit(step: Step, answers: Record<string, string>): boolean {
  const upTo = step === 'check' ? QUESTION_STEPS.length : QUESTION_STEPS.indexOf(step);
  return QUESTION_STEPS.slice(0, upTo).every((s) => answered(s, answers));
}

/**
 * Where to go after answering a page: the next page by the map, or straight back to "check
 * your answers" when changing an answer and everything is answered.
 */
export function nextStep(step: QuestionStep, answers: Record<string, string>): Step {
  const [target] = Object.values(JOURNEY[step]) as Step[];
  const next = firstUnanswered(answers);
  return next === 'check' ? 'check' : target!;
}

export type StepReading =
  { ok: true; answers: Record<string, string> } | { ok: false; errors: FieldError[] };

const NAME_MAX = 100;

/** Reads a question page's form into answers, or the GOV.UK error messages for it. */
export function readStep(
  step: QuestionStep,
  form: Record<string, string>,
  today: string,
): StepReading {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  switch (step) {
    case 'name': {
      const givenName = form.givenName ?? '';
      const familyName = form.familyName ?? '';
      if (!givenName) fail('givenName', 'identity.verify.name.givenMissing');
      else if (givenName.length > NAME_MAX) fail('givenName', 'identity.verify.name.givenTooLong');
      if (!familyName) fail('familyName', 'identity.verify.name.familyMissing');
      else if (familyName.length > NAME_MAX)
        fail('familyName', 'identity.verify.name.familyTooLong');
      return errors.length
        ? { ok: false, errors }
        : { ok: true, answers: { givenName, familyName } };
    }
    case 'date-of-birth': {
      const date = readDate(
        form['dateOfBirth-day'] ?? '',
        form['dateOfBirth-month'] ?? '',
        form['dateOfBirth-year'] ?? '',
      );
      if (typeof date !== 'string')
        return {
          ok: false,
          errors: [
            { field: 'dateOfBirth-day', message: `identity.verify.dateOfBirth.${date.problem}` },
          ],
        };
      if (date >= today)
        return {
          ok: false,
          errors: [{ field: 'dateOfBirth-day', message: 'identity.verify.dateOfBirth.future' }],
        };
      if (date < '1900-01-01')
        return {
          ok: false,
          errors: [{ field: 'dateOfBirth-day', message: 'identity.verify.dateOfBirth.tooOld' }],
        };
      return { ok: true, answers: { dateOfBirth: date } };
    }
    case 'national-insurance-number': {
      const parsed = parseNino(form.nino ?? '');
      if (!parsed.ok)
        return {
          ok: false,
          errors: [{ field: 'nino', message: `identity.verify.nino.${parsed.problem}` }],
        };
      return { ok: true, answers: { nino: parsed.nino } };
    }
    case 'postcode': {
      const typed = form.postcode ?? '';
      if (!typed)
        return {
          ok: false,
          errors: [{ field: 'postcode', message: 'identity.verify.postcode.missing' }],
        };
      const postcode = normalisePostcode(typed);
      if (!postcode)
        return {
          ok: false,
          errors: [{ field: 'postcode', message: 'identity.verify.postcode.invalid' }],
        };
      return { ok: true, answers: { postcode } };
    }
  }
}

/** The three boxes of the GOV.UK date input as YYYY-MM-DD, or what is wrong. */
export function readDate(
  day: string,
  month: string,
  year: string,
): string | { problem: 'required' | 'incomplete' | 'invalid' } {
  const read = parseDateParts(day, month, year);
  return 'date' in read ? read.date : read;
}
