import type { Db } from '../../../../platform/db/database.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { listOrganisationsByIds, type OrganisationRow } from '../../../organisations/index.js';
import type { ConsultationRow } from '../../db/consultation-tables.js';
import { answerText } from '../../../forms/index.js';
import {
  isChoiceQuestion,
  questionFormOf,
  questionsOf,
  type StoredQuestions,
} from '../questions.js';
import { consultationStatus, documentPages } from '../schema.js';

/** The bodies of some consultations, by id. */
export async function bodiesOf(
  db: Db,
  consultations: Pick<ConsultationRow, 'organisation_id'>[],
): Promise<Map<string, OrganisationRow>> {
  const rows = await listOrganisationsByIds(db, [
    ...new Set(consultations.map((c) => c.organisation_id)),
  ]);
  return new Map(rows.map((o) => [o.id, o]));
}

/**
 * What a page shows of a consultation besides its row: its body's name, where it stands, and
 * its text in the reader's language when the body gave a Welsh version (the English otherwise,
 * `welshMissing` saying so), or the easy-read document when asked for and given.
 */
export function consultationView(
  consultation: ConsultationRow,
  bodies: Map<string, OrganisationRow>,
  locale: Locale,
  now: Date,
  version: 'standard' | 'easy-read' = 'standard',
) {
  const organisation = bodies.get(consultation.organisation_id);
  const welsh = locale === 'cy' && consultation.title_cy !== null;
  const easyRead = version === 'easy-read' && consultation.easy_read !== null;
  return {
    ...consultation,
    title: welsh ? consultation.title_cy! : consultation.title,
    summary: welsh ? (consultation.summary_cy ?? consultation.summary) : consultation.summary,
    bodyName:
      (organisation && ((locale === 'cy' && organisation.name_cy) || organisation.name)) ?? '',
    status: consultationStatus(consultation, now),
    welshMissing: locale === 'cy' && consultation.title_cy === null,
    hasEasyRead: consultation.easy_read !== null,
    easyRead,
    pages: pagesOf(
      easyRead ? consultation.easy_read! : welsh ? consultation.body_cy! : consultation.body,
    ),
    outcomeParagraphs: paragraphsOf(consultation.outcome ?? ''),
  };
}

/**
 * A document's pages as a page shows them: numbered from 1, each with its title (null for an
 * untitled page: the whole of a document without page titles) and paragraphs.
 */
function pagesOf(text: string) {
  return documentPages(text).map((page, i) => ({
    number: i + 1,
    title: page.title,
    paragraphs: paragraphsOf(page.body),
  }));
}

/** A text's paragraphs: a blank line starts one. */
function paragraphsOf(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * The questions of a consultation (or an earlier version) as a list to read: each question's
 * text in the reader's language (`english` when it is the English on a Welsh page) and, for a
 * choice, its options.
 */
export function questionsForReading(stored: StoredQuestions, locale: Locale) {
  return questionsOf(questionFormOf(stored).form).map((q) => ({
    text: q.label[locale],
    english: locale === 'cy' && q.label.cy === q.label.en,
    kind: isChoiceQuestion(q) ? 'choice' : 'text',
    options:
      q.type === 'yesNo'
        ? ['yes', 'no'].map((v) => ({ text: answerText(q, v, locale) }))
        : 'options' in q
          ? q.options.map((o) => ({ text: o.label[locale] }))
          : [],
  }));
}
