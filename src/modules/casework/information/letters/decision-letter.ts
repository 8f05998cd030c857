/**
 * The decision letter: what a body sends the applicant when a case is decided — the decision in
 * the workflow's own words (its `tell`), the reasons, and how and until when to ask for a
 * review where the workflow gives a route. Pure: the caller gathers the facts.
 */
import { formatDate, type Locale, type Translate } from '../../../../platform/i18n/i18n.js';
import { fill } from '../../../notify/index.js';
import type { DecisionOutcome } from '../../workflow/schema.js';

/** What a decision letter says, gathered by the caller; names in both languages. */
export interface DecisionLetterFacts {
  reference: string;
  applicantName: string;
  service: Record<Locale, string>;
  organisation: Record<Locale, string>;
  decision: DecisionOutcome;
  /** The workflow's `tell` for the action, already filled, in each language; null without one. */
  told: Record<Locale, string> | null;
  /** Whether `told` already gives the reasons (its text had `((comment))`). */
  toldReasons: boolean;
  /** The caseworker's comment on the action: the reasons the applicant is given. */
  reasons: string | null;
  /** The review route, where the workflow gives one from the decision's state. */
  review: {
    /** YYYY-MM-DD: the last day to ask. */
    deadline: string;
    /** The page to ask on; null for an applicant without an account, who writes in instead. */
    link: string | null;
  } | null;
}

/** One language's letter: a subject and a body of paragraphs (`#` headings) as Notify writes them. */
export interface LetterText {
  subject: string;
  body: string;
}

/**
 * The decision letter in one language. Its paragraphs are templates in
 * `information.{en,cy}.json` written in GOV.UK Notify's `((placeholder))` syntax and filled by
 * the notify module's `fill`, so the wording is content, not code.
 *
 * @example decisionLetter(translator(messages, 'cy'), 'cy', facts).subject
 */
export function decisionLetter(
  t: Translate,
  locale: Locale,
  facts: DecisionLetterFacts,
): LetterText {
  const values = {
    name: facts.applicantName,
    reference: facts.reference,
    service: facts.service[locale],
    organisation: facts.organisation[locale],
    deadline: facts.review ? formatDate(facts.review.deadline, locale) : '',
    link: facts.review?.link ?? '',
  };
  const paragraph = (key: string) => fill(t(`casework.letter.${key}`), values);
  const reasons = facts.reasons && !(facts.told && facts.toldReasons) ? facts.reasons : null;
  const body = [
    paragraph('greeting'),
    facts.told ? facts.told[locale] : paragraph(`decision.${facts.decision}`),
    ...(reasons ? [paragraph('reasonsHeading'), reasons] : []),
    ...(facts.review
      ? [paragraph('reviewHeading'), paragraph(facts.review.link ? 'review' : 'reviewInWriting')]
      : []),
    paragraph('contact'),
    paragraph('signOff'),
  ];
  return { subject: paragraph('subject'), body: body.join('\n\n') };
}

/**
 * The letter in English and Welsh, as every message the platform sends is: for an e-mail or an
 * inbox message the two halves are divided by a rule; printed, the Welsh starts a new page.
 */
export function bilingualLetter(
  translators: Record<Locale, Translate>,
  facts: DecisionLetterFacts,
): { subject: string; text: string; printed: { subject: string; body: string } } {
  const en = decisionLetter(translators.en, 'en', facts);
  const cy = decisionLetter(translators.cy, 'cy', facts);
  // A `#` heading is bold in print; in an e-mail or inbox message it is a line of its own.
  const plain = (text: string) => text.replace(/^# /gm, '');
  return {
    subject: `${en.subject} / ${cy.subject}`,
    text: `${plain(en.body)}\n\n———\n\n${plain(cy.body)}`,
    printed: { subject: en.subject, body: `${en.body}\n\n***\n\n# ${cy.subject}\n\n${cy.body}` },
  };
}

/**
 * The last day a review may be asked for: `appealWithinDays` whole days after the day of the
 * decision (UK dates), as the engine counts them when the appeal is made.
 *
 * @example reviewDeadline('2026-03-02', 28) // '2026-03-30'
 */
export function reviewDeadline(decidedOn: string, appealWithinDays: number): string {
  const date = new Date(`${decidedOn}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + appealWithinDays);
  return date.toISOString().slice(0, 10);
}
