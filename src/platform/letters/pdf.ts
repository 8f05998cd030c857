/**
 * A small PDF 1.4 writer for plain-text letters: A4 pages, the built-in Helvetica and
 * Helvetica-Bold fonts (no font files, nothing embedded), text wrapped to the page, streams
 * left uncompressed so a letter can be read back by a test or by support staff.
 *
 * Why not pdfkit: a letter is a few lines of text, and pdfkit with its built-in fonts has the
 * same character set (Windows-1252) while adding a font engine and five dependencies.
 * Characters outside Windows-1252 (such as Welsh ŵ and ŷ) are printed without their accent;
 * embedding a font that has them is the way to lift that limit.
 */

/** One paragraph of a letter. */
export interface PdfBlock {
  text: string;
  /** Points; 11 unless given. */
  size?: number;
  bold?: boolean;
  /** Space after the block, in points; a third of a line unless given. */
  spaceAfter?: number;
  /** Start the block on a new page (a bilingual letter's second language). */
  pageBreakBefore?: boolean;
}

/** A line of text at a fixed place on the first page: `x`, `y` in points from the bottom left, to the baseline. */
export interface PlacedText {
  text: string;
  x: number;
  y: number;
  /** Points; 11 unless given. */
  size?: number;
  bold?: boolean;
}

/** Fixed text on the first page (a letter's address and sender) and where the flowing text starts there. */
export interface PdfLayout {
  firstPage?: PlacedText[];
  /** The y (points from the bottom) below which the first page's flowing text starts; the top margin unless given. */
  firstPageTop?: number;
}

/** A4 in points (210 × 297 mm). */
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
const MARGIN = 64;

/** Millimetres in points (1 pt = 1/72 inch). */
export function mm(millimetres: number): number {
  return (millimetres * 72) / 25.4;
}

/**
 * A width estimate for a line of Helvetica, 0.53 em a character (0.56 bold), as `wrap` uses:
 * generous for ordinary text, so a line estimated to fit does fit.
 */
export function estimateTextWidth(text: string, size: number, bold = false): number {
  return [...text].length * size * (bold ? 0.56 : 0.53);
}

/** Windows-1252 bytes 0x80–0x9F, which differ from Latin-1. */
const CP1252_EXTRA: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  ƒ: 0x83,
  '„': 0x84,
  '…': 0x85,
  '†': 0x86,
  '‡': 0x87,
  ˆ: 0x88,
  '‰': 0x89,
  Š: 0x8a,
  '‹': 0x8b,
  Œ: 0x8c,
  Ž: 0x8e,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '˜': 0x98,
  '™': 0x99,
  š: 0x9a,
  '›': 0x9b,
  œ: 0x9c,
  ž: 0x9e,
  Ÿ: 0x9f,
};
const CP1252_BACK = new Map(Object.entries(CP1252_EXTRA).map(([c, b]) => [b, c]));

/** The byte a character has in WinAnsiEncoding, or null when the font cannot show it. */
function winAnsiByte(char: string): number | null {
  const code = char.codePointAt(0)!;
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  return CP1252_EXTRA[char] ?? null;
}

/** A string as a PDF literal string body: printable ASCII as is, everything else as octal escapes. */
function pdfString(text: string): string {
  let out = '';
  for (const char of text) {
    let byte = winAnsiByte(char);
    if (byte === null) {
      // ŵ → w, ŷ → y: drop the accent; anything else unprintable becomes '?'.
      const base = char.normalize('NFD').replace(/\p{M}/gu, '');
      byte = base.length === 1 ? (winAnsiByte(base) ?? 0x3f) : 0x3f;
    }
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte <= 0x7e) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** Splits a paragraph into lines that fit the width, estimating Helvetica at 0.53 em a character. */
function wrap(text: string, size: number, bold: boolean): string[] {
  const perLine = Math.floor((PAGE_WIDTH - 2 * MARGIN) / (size * (bold ? 0.56 : 0.53)));
  const lines: string[] = [];
  for (const paragraphLine of text.split('\n')) {
    let line = '';
    for (const word of paragraphLine.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > perLine) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Lays the blocks out top to bottom on as many A4 pages as they need and returns the PDF file.
 *
 * @example const pdf = renderTextPdf([{ text: 'Dear Sam', size: 12 }, { text: 'Your code is 12345678' }]);
 */
export function renderTextPdf(
  blocks: PdfBlock[],
  title = 'Letter',
  layout: PdfLayout = {},
): Buffer {
  const pages: string[][] = [[]];
  for (const placed of layout.firstPage ?? []) {
    if (!placed.text) continue;
    pages[0]!.push(
      `BT /${placed.bold ? 'F2' : 'F1'} ${placed.size ?? 11} Tf 1 0 0 1 ${placed.x.toFixed(2)} ${placed.y.toFixed(2)} Tm (${pdfString(placed.text)}) Tj ET`,
    );
  }
  let y = layout.firstPageTop ?? PAGE_HEIGHT - MARGIN;
  for (const block of blocks) {
    const size = block.size ?? 11;
    const leading = size * 1.35;
    if (block.pageBreakBefore && pages.at(-1)!.length) {
      pages.push([]);
      y = PAGE_HEIGHT - MARGIN;
    }
    for (const line of wrap(block.text, size, block.bold ?? false)) {
      if (y - leading < MARGIN) {
        pages.push([]);
        y = PAGE_HEIGHT - MARGIN;
      }
      y -= leading;
      if (line)
        pages
          .at(-1)!
          .push(
            `BT /${block.bold ? 'F2' : 'F1'} ${size} Tf ${MARGIN} ${y.toFixed(2)} Td (${pdfString(line)}) Tj ET`,
          );
    }
    y -= block.spaceAfter ?? leading / 3;
  }

  // Objects: 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, 5 info, then a page and its content each.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 6 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] =
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>';
  objects[5] = `<< /Title (${pdfString(title)}) /Producer (Joinedup) >>`;
  pages.forEach((operations, i) => {
    const content = operations.join('\n');
    objects[pageIds[i]!] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
      `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`;
    objects[pageIds[i]! + 1] =
      `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
  });

  // The second line's four high bytes tell transfer tools the file is binary.
  let file = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(file, 'latin1');
    file += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(file, 'latin1');
  file += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++)
    file += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  file += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(file, 'latin1');
}

/** A line of text in a PDF written by renderTextPdf, with where it is: page (from 1), baseline x and y in points from the bottom left. */
export interface PdfTextRun {
  page: number;
  x: number;
  y: number;
  size: number;
  bold: boolean;
  text: string;
}

function unescapePdfString(raw: string): string {
  const bytes = raw.replace(/\\([0-7]{3}|.)/g, (_, escaped: string) =>
    escaped.length === 3 ? String.fromCharCode(parseInt(escaped, 8)) : escaped,
  );
  return [...bytes].map((c) => CP1252_BACK.get(c.charCodeAt(0)) ?? c).join('');
}

/**
 * The lines of a PDF written by renderTextPdf with their positions, read from each page's
 * content stream: `BT /F1 11 Tf x y Td (…) Tj ET` and `BT /F1 11 Tf 1 0 0 1 x y Tm (…) Tj ET`.
 * For layout tests (is the address in the envelope window?); not a general PDF reader.
 */
export function pdfTextRuns(pdf: Buffer): PdfTextRun[] {
  const source = pdf.toString('latin1');
  const runs: PdfTextRun[] = [];
  let page = 0;
  for (const stream of source.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    page += 1;
    const operations = stream[1]!.matchAll(
      /BT \/(F\d) ([\d.]+) Tf (?:1 0 0 1 ([\d.-]+) ([\d.-]+) Tm|([\d.-]+) ([\d.-]+) Td) \(((?:\\.|[^\\)])*)\) Tj ET/g,
    );
    for (const op of operations)
      runs.push({
        page,
        x: Number(op[3] ?? op[5]),
        y: Number(op[4] ?? op[6]),
        size: Number(op[2]),
        bold: op[1] === 'F2',
        text: unescapePdfString(op[7]!),
      });
  }
  return runs;
}

/**
 * The text of a PDF written by renderTextPdf, one string a line, for tests and for support staff
 * checking what a letter said. It reads only uncompressed `(…) Tj` strings; it is not a general
 * PDF reader.
 */
export function pdfTextLines(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const lines: string[] = [];
  for (const stream of source.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    for (const match of stream[1]!.matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g))
      lines.push(unescapePdfString(match[1]!));
  }
  return lines;
}
