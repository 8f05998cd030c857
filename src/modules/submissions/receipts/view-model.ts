import type { Db } from '../../../platform/db/database.js';
import { formatDate, type Locale, type Translate } from '../../../platform/i18n/i18n.js';
import type { PdfBlock } from '../../../platform/letters/pdf.js';
import type { SubmissionRow } from '../db/tables.js';
import { nameLookup } from '../pages/routes.js';
import { canonicalFields, publicIdentifiers } from './canonical.js';
import { digestOf, type SubmissionDigest } from './digest.js';
import { canonicalize } from './jcs.js';

/** Everything a receipt shows, in the reader's language; the page and the PDF are made from it. */
export interface Receipt {
  reference: string;
  serviceTitle: string;
  organisationName: string;
  /** "2 March 2026, 09:15:04 (UK time)" */
  sentAt: string;
  /** The canonical form's `submittedAt`, e.g. 2026-03-02T09:15:04.120Z. */
  sentAtUtc: string;
  answers: { question: string; answer: string }[];
  digest: SubmissionDigest;
  /** The canonical JSON text whose SHA-256 the digest is. */
  canonical: string;
  /** Where anyone allowed to see the receipt can download the canonical JSON. */
  canonicalUrl: string;
  pdfUrl: string;
}

/** Hours, minutes and seconds in UK time: a receipt says to the second when it was sent. */
function londonTime(value: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(value);
}

/** "2 March 2026, 09:15:04 (UK time)" / "2 Mawrth 2026, 09:15:04 (amser y DU)". */
export function formatSentAt(value: Date, locale: Locale, t: Translate): string {
  return t('receipts.sentAtValue', {
    date: formatDate(value, locale),
    time: londonTime(value),
  });
}

/**
 * A submission's receipt for one reader: the answers as they saw them in their language (the
 * summary is stored in both), and the digest of the canonical form, computed from the stored
 * row (see canonical.ts for why it never changes).
 */
export async function buildReceipt(
  db: Db,
  submission: SubmissionRow,
  options: { locale: Locale; t: Translate; baseUrl: string },
): Promise<Receipt> {
  const names = nameLookup(db, options.locale);
  const [identifiers, serviceTitle, organisationName] = await Promise.all([
    publicIdentifiers(db, submission),
    names.service(submission.service_id),
    names.organisation(submission.organisation_id),
  ]);
  const fields = canonicalFields(submission, identifiers);
  const canonical = canonicalize(fields);
  const path = `/applications/${submission.reference}/receipt`;
  return {
    reference: submission.reference,
    serviceTitle,
    organisationName,
    sentAt: formatSentAt(submission.submitted_at, options.locale, options.t),
    sentAtUtc: fields.submittedAt,
    answers: (submission.answers.summary?.[options.locale] ?? []).map((row) => ({
      question: row.question,
      answer: row.answer || '—',
    })),
    digest: digestOf(canonical),
    canonical,
    canonicalUrl: `${options.baseUrl}${path}.json`,
    pdfUrl: `${path}.pdf`,
  };
}

/**
 * The receipt as paragraphs for the platform's PDF writer: the same content as the page.
 * (Its built-in fonts have no ŵ or ŷ: those print without the accent; see pdf.ts.)
 */
export function receiptPdfBlocks(receipt: Receipt, t: Translate): PdfBlock[] {
  const heading = (text: string): PdfBlock => ({ text, size: 14, bold: true, spaceAfter: 6 });
  const field = (label: string, value: string): PdfBlock[] => [
    { text: label, bold: true, spaceAfter: 0 },
    { text: value, spaceAfter: 8 },
  ];
  return [
    { text: t('receipts.title'), size: 20, bold: true, spaceAfter: 14 },
    ...field(t('receipts.reference'), receipt.reference),
    ...field(t('receipts.service'), receipt.serviceTitle),
    ...field(t('receipts.sentTo'), receipt.organisationName),
    ...field(t('receipts.sentAt'), receipt.sentAt),
    ...field(t('receipts.sentAtUtc'), receipt.sentAtUtc),
    { text: '', spaceAfter: 6 },
    heading(t('receipts.answers')),
    ...receipt.answers.flatMap((row) => field(row.question, row.answer)),
    { text: '', spaceAfter: 6 },
    heading(t('receipts.digest.title')),
    ...field(t('receipts.digest.hex'), receipt.digest.hex),
    ...field(t('receipts.digest.base64url'), receipt.digest.base64url),
    { text: t('receipts.digest.what'), spaceAfter: 8 },
    { text: t('receipts.digest.how'), spaceAfter: 4 },
    { text: receipt.canonicalUrl, size: 9, spaceAfter: 8 },
    { text: t('receipts.digest.tools'), spaceAfter: 8 },
    { text: t('receipts.digest.standard'), size: 9 },
  ];
}
