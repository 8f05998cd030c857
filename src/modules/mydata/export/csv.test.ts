import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, parseCsv, toCsv } from './csv.js';

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', 'a', ' ') }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

describe('CSV export', () => {
  it('reads back every value it wrote, with a dangerous first character defused', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string({ minLength: 1 }), value), { maxLength: 5 }),
        (rows) => {
          const parsed = parseCsv(toCsv([{ key: 'things', title: 't', rows }]));
          expect(parsed[0]).toEqual(['section', 'record', 'field', 'value']);
          const defuse = (v: string | number | boolean | null) => {
            const text = v === null ? '' : String(v);
            return typeof v === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
          };
          const expected = rows.flatMap((row, index) =>
            Object.entries(row).map(([field, v]) => [
              'things',
              String(index + 1),
              defuse(field),
              defuse(v),
            ]),
          );
          expect(parsed.slice(1)).toEqual(expected);
        },
      ),
    );
  });

  it('never lets a cell begin with a formula character a spreadsheet would run', () => {
    fc.assert(
      fc.property(value, (v) => {
        const cell = parseCsv(csvCell(v) + '\r\n')[0]![0]!;
        if (typeof v === 'string') expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });

  it('quotes commas, quotes and line breaks, and prefixes formulas with an apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(null)).toBe('');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
  });
});
