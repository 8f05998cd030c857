import { describe, expect, it } from 'vitest';
import {
  estimateTextWidth,
  mm,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  pdfTextRuns,
} from '../../../platform/letters/pdf.js';
import { addressWindow, LETTER_LAYOUT, renderLetterPdf } from './letter-pdf.js';

/** Helvetica's ascender and descender, as fractions of the size. */
const ASCENDER = 0.718;
const DESCENDER = 0.207;

const ADDRESS = [
  'Mr Samuel Alexander Smith-Jones',
  'Flat 12, Riverside Court',
  '1 High Street',
  'Nailsworth',
  'Stroud',
  'Gloucestershire',
  'GL6 0AA',
];

function letter(addressLines = ADDRESS) {
  return renderLetterPdf({
    addressLines,
    subject: 'Your council tax bill',
    body: 'Dear Sam,\n\nYour new bill is enclosed.\n\n***\n\n# Second page\n\nMore.',
    date: new Date('2026-03-02T12:00:00Z'),
    sender: 'Stroud District Council',
  });
}

describe('the A4 letter layout for a DL window envelope', () => {
  it('is an A4 page in points', () => {
    expect(letter().toString('latin1')).toContain(`/MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}]`);
    expect(Math.round(PAGE_WIDTH)).toBe(595);
    expect(Math.round(PAGE_HEIGHT)).toBe(842);
  });

  it('puts every line of a 7-line address inside the window, in order, top to bottom', () => {
    const window = addressWindow();
    // The window is Notify's: 24.6 mm from the left, 39.5 mm from the top, 95.4 × 26.8 mm.
    expect(window.left).toBeCloseTo(mm(24.6));
    expect(window.top).toBeCloseTo(PAGE_HEIGHT - mm(39.5));
    expect(window.right - window.left).toBeCloseTo(mm(95.4));
    expect(window.top - window.bottom).toBeCloseTo(mm(26.8));

    const runs = pdfTextRuns(letter()).filter((run) => ADDRESS.includes(run.text));
    expect(runs.map((run) => run.text)).toEqual(ADDRESS);
    for (const run of runs) {
      expect(run.page).toBe(1);
      expect(run.x).toBeGreaterThanOrEqual(window.left - 0.01);
      expect(run.x + estimateTextWidth(run.text, run.size)).toBeLessThanOrEqual(window.right);
      expect(run.y + run.size * ASCENDER).toBeLessThanOrEqual(window.top);
      expect(run.y - run.size * DESCENDER).toBeGreaterThanOrEqual(window.bottom);
    }
    const ys = runs.map((run) => run.y);
    expect([...ys].sort((a, b) => b - a)).toEqual(ys);
  });

  it('shrinks a long address line so it still fits the window’s width', () => {
    const long = ['The Occupier of the Ground Floor Maisonette at', 'Number 100', 'GL5 1AA'];
    const window = addressWindow();
    for (const run of pdfTextRuns(letter(long)).filter((r) => long.includes(r.text))) {
      expect(run.size).toBeGreaterThanOrEqual(8);
      expect(run.x + estimateTextWidth(run.text, run.size)).toBeLessThanOrEqual(window.right);
    }
  });

  it('prints the sending organisation and the date top right, clear of the window', () => {
    const runs = pdfTextRuns(letter());
    const sender = runs.find((run) => run.text === 'Stroud District Council')!;
    const date = runs.find((run) => run.text === '2 March 2026')!;
    for (const run of [sender, date]) {
      expect(run.page).toBe(1);
      expect(run.x).toBeCloseTo(mm(LETTER_LAYOUT.sender.left));
      expect(run.x).toBeGreaterThan(addressWindow().right);
    }
    expect(sender.bold).toBe(true);
    expect(date.y).toBeLessThan(sender.y);
  });

  it('starts the heading and body below 95 mm, and a *** paragraph starts a new page', () => {
    const runs = pdfTextRuns(letter());
    const bodyTop = PAGE_HEIGHT - mm(LETTER_LAYOUT.bodyTop);
    const heading = runs.find((run) => run.text === 'Your council tax bill')!;
    expect(heading).toMatchObject({ page: 1, bold: true });
    expect(heading.y + heading.size * ASCENDER).toBeLessThanOrEqual(bodyTop);
    const body = runs.find((run) => run.text === 'Your new bill is enclosed.')!;
    expect(body.page).toBe(1);
    expect(body.y).toBeLessThan(heading.y);
    expect(runs.find((run) => run.text === 'Second page')).toMatchObject({ page: 2, bold: true });
    expect(runs.some((run) => run.text.includes('***'))).toBe(false);
  });
});
