import type { Db } from '../../../platform/db/database.js';
import { findOrganisationById } from '../../organisations/index.js';
import {
  estimateTextWidth,
  mm,
  PAGE_HEIGHT,
  renderTextPdf,
  type PdfBlock,
  type PlacedText,
} from '../../../platform/letters/pdf.js';

/**
 * Where things go on the first page of an A4 letter folded into a DL window envelope, in mm from
 * the page's left and top edges. The figures are GOV.UK Notify's (its template-preview service
 * checks precompiled letters against the same boxes, app/precompiled.py): the recipient's address
 * within a 95.4 × 26.8 mm window 24.6 mm from the left and 39.5 mm from the top, at most 7
 * lines; the sender's block from 125 mm; the body from 95 mm down.
 */
export const LETTER_LAYOUT = {
  address: { left: 24.6, top: 39.5, right: 120, bottom: 66.3, maxLines: 7 },
  sender: { left: 125, top: 15, right: 195 },
  bodyTop: 95,
} as const;

/** The address font: 10 pt on 10.5 pt lines fits 7 lines in the window; long lines shrink to 8 pt. */
const ADDRESS_SIZE = 10;
const ADDRESS_MIN_SIZE = 8;
const ADDRESS_LEADING = 1.05;
/** Helvetica's ascender, as a fraction of the size: the first baseline sits this far below the window's top. */
const ASCENT = 0.8;

/** The address window as a rectangle in PDF points (origin bottom left). */
export function addressWindow(): { left: number; right: number; top: number; bottom: number } {
  const { left, top, right, bottom } = LETTER_LAYOUT.address;
  return {
    left: mm(left),
    right: mm(right),
    top: PAGE_HEIGHT - mm(top),
    bottom: PAGE_HEIGHT - mm(bottom),
  };
}

/** Splits text into lines no wider than `width` points at that size. */
function wrapTo(text: string, width: number, size: number, bold: boolean): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && estimateTextWidth(candidate, size, bold) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

function addressBlock(addressLines: string[]): PlacedText[] {
  const window = addressWindow();
  const width = window.right - window.left;
  const lines = addressLines.slice(0, LETTER_LAYOUT.address.maxLines);
  // The largest size from 10 pt down to 8 pt at which the longest line fits the window.
  let size = ADDRESS_SIZE;
  while (size > ADDRESS_MIN_SIZE && lines.some((l) => estimateTextWidth(l, size) > width))
    size -= 0.5;
  return lines.map((text, index) => ({
    text,
    size,
    x: window.left,
    y: window.top - size * ASCENT - index * size * ADDRESS_LEADING,
  }));
}

function senderBlock(sender: string | null, date: Date): PlacedText[] {
  const { left, top, right } = LETTER_LAYOUT.sender;
  const width = mm(right - left);
  const placed: PlacedText[] = [];
  let y = PAGE_HEIGHT - mm(top);
  for (const text of sender ? wrapTo(sender, width, 11, true) : []) {
    placed.push({ text, x: mm(left), y, size: 11, bold: true });
    y -= 11 * 1.3;
  }
  placed.push({
    text: date.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    }),
    x: mm(left),
    y: y - 4,
    size: 11,
  });
  return placed;
}

/**
 * A templated letter as an A4 PDF laid out for a DL window envelope ({@link LETTER_LAYOUT}): the
 * recipient's address in the window, the sending organisation and the date top right, then the
 * heading in bold and the body a paragraph at a time from 95 mm down. A `#` paragraph is a bold
 * heading; a paragraph of `***` starts a new page (a bilingual letter's English half).
 *
 * @example renderLetterPdf({ addressLines: ['Sam Smith', '1 High Street', 'GL5 1AA'], subject: 'Your bill', body: 'Dear Sam…', date: new Date(), sender: 'Stroud District Council' })
 */
export function renderLetterPdf(letter: {
  addressLines: string[];
  subject: string | null;
  body: string;
  date: Date;
  /** The organisation sending it (top right); omitted when unknown. */
  sender?: string | null;
}): Buffer {
  const blocks: PdfBlock[] = [];
  if (letter.subject) blocks.push({ text: letter.subject, bold: true, size: 14, spaceAfter: 12 });
  let pageBreak = false;
  for (const paragraph of letter.body.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
    if (/^\s*\*{3,}\s*$/.test(paragraph)) {
      pageBreak = true;
      continue;
    }
    const text = paragraph.replace(/^#+\s*/, '').trim();
    if (!text) continue;
    const heading = /^#/.test(paragraph);
    blocks.push({
      text,
      bold: heading,
      ...(heading ? { size: 14, spaceAfter: 12 } : {}),
      ...(pageBreak ? { pageBreakBefore: true } : {}),
    });
    pageBreak = false;
  }
  return renderTextPdf(blocks, letter.subject ?? 'Letter', {
    firstPage: [
      ...addressBlock(letter.addressLines),
      ...senderBlock(letter.sender ?? null, letter.date),
    ],
    firstPageTop: PAGE_HEIGHT - mm(LETTER_LAYOUT.bodyTop),
  });
}

/** The name of the organisation whose Notify service sends the letter, for its sender block. */
export async function letterSender(db: Db, serviceId: string): Promise<string | null> {
  const service = await db
    .selectFrom('notify_services')
    .select('organisation_id')
    .where('id', '=', serviceId)
    .executeTakeFirst();
  if (!service) return null;
  return (await findOrganisationById(db, service.organisation_id))?.name ?? null;
}
