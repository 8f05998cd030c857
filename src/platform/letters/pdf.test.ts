import { describe, expect, it } from 'vitest';
import { pdfTextLines, renderTextPdf } from './pdf.js';

/** Checks the file's structure the way a reader would find its objects: startxref → xref → each object. */
function parseStructure(pdf: Buffer) {
  const text = pdf.toString('latin1');
  const startxref = /startxref\n(\d+)\n%%EOF\n$/.exec(text);
  if (!startxref) throw new Error('no startxref / %%EOF at the end');
  const xrefAt = Number(startxref[1]);
  const xref = /^xref\n0 (\d+)\n/.exec(text.slice(xrefAt));
  if (!xref) throw new Error('startxref does not point at an xref table');
  const count = Number(xref[1]);
  const entriesAt = xrefAt + xref[0].length;
  const entries = text.slice(entriesAt, entriesAt + count * 20);
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    const entry = entries.slice(i * 20, i * 20 + 20);
    expect(entry).toMatch(/^\d{10} \d{5} [nf] \n$/);
    if (i > 0) offsets.push(Number(entry.slice(0, 10)));
  }
  offsets.forEach((offset, i) => {
    expect(text.slice(offset, offset + 20)).toMatch(new RegExp(`^${i + 1} 0 obj\\n`));
  });
  const trailer = /trailer\n<< \/Size (\d+) \/Root (\d+) 0 R/.exec(text.slice(entriesAt));
  if (!trailer) throw new Error('no trailer');
  expect(Number(trailer[1])).toBe(count);
  expect(text.slice(offsets[Number(trailer[2]) - 1])).toMatch(/^\d+ 0 obj\n<< \/Type \/Catalog/);
  for (const match of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const start = match.index + match[0].length;
    expect(text.slice(start + Number(match[1]), start + Number(match[1]) + 10)).toBe('\nendstream');
  }
  return { objects: count - 1, pages: Number(/\/Count (\d+)/.exec(text)![1]) };
}

describe('the letter PDF writer', () => {
  it('writes a PDF 1.4 file whose cross-reference table points at every object', () => {
    const pdf = renderTextPdf([
      { text: 'Dear Sam Citizen', size: 12, bold: true },
      { text: 'Hello' },
    ]);
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect(parseStructure(pdf)).toEqual({ objects: 7, pages: 1 });
  });

  it('keeps the text readable, with brackets, backslashes and Welsh accents', () => {
    const lines = [
      'Your code is 12345678',
      'A (bracketed) note \\ with a backslash',
      'Côd actifadu — mae’n dod i ben ar 24 Tachwedd 2026',
    ];
    const pdf = renderTextPdf(lines.map((text) => ({ text })));
    parseStructure(pdf);
    expect(pdfTextLines(pdf)).toEqual(lines);
  });

  it('prints ŵ and ŷ without their accent, as the built-in fonts cannot show them', () => {
    expect(pdfTextLines(renderTextPdf([{ text: 'Tŷ Dŵr' }]))).toEqual(['Ty Dwr']);
  });

  it('wraps long paragraphs and starts a new page when one is full', () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const pdf = renderTextPdf([{ text: long }, { text: long }]);
    const structure = parseStructure(pdf);
    expect(structure.pages).toBeGreaterThan(1);
    const lines = pdfTextLines(pdf);
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.join(' ')).toBe(`${long} ${long}`);
  });
});
