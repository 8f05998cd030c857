import { renderTextPdf, type PdfBlock } from '../../../platform/letters/pdf.js';

/**
 * A templated letter as a PDF: the address first (where a window envelope shows it), the date,
 * the heading in bold, then the body a paragraph at a time.
 */
// TODO: lay the address out in the window position of a C5/DL envelope and add the body's
// contact block, with the letters layout the platform's letter renderer gains for issue 7.
export function renderLetterPdf(letter: {
  addressLines: string[];
  subject: string | null;
  body: string;
  date: Date;
}): Buffer {
  const blocks: PdfBlock[] = letter.addressLines.map((line, index, all) => ({
    text: line,
    spaceAfter: index === all.length - 1 ? 28 : 0,
  }));
  blocks.push({
    text: letter.date.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    }),
    spaceAfter: 20,
  });
  if (letter.subject) blocks.push({ text: letter.subject, bold: true, size: 14, spaceAfter: 12 });
  for (const paragraph of letter.body.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
    const text = paragraph.replace(/^#+\s*/, '').trim();
    if (text) blocks.push({ text, bold: /^#/.test(paragraph) });
  }
  return renderTextPdf(blocks, letter.subject ?? 'Letter');
}
