import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRecords } from './csv.js';

async function read(chunks: string[]): Promise<string[][]> {
  const records: string[][] = [];
  for await (const record of csvRecords(chunks)) records.push(record);
  return records;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value;
}

describe('reading CSV as a stream', () => {
  it('reads quoted fields, doubled quotes, line breaks inside quotes and CRLF endings', async () => {
    const text =
      'pcds,name\r\n"GL5 4UB","Ebley Mill, ""Westward Road"""\r\nBS1 5TR,"two\nlines"\r\n';
    expect(await read([text])).toEqual([
      ['pcds', 'name'],
      ['GL5 4UB', 'Ebley Mill, "Westward Road"'],
      ['BS1 5TR', 'two\nlines'],
    ]);
  });

  it('reads a last line with no line break and skips blank lines', async () => {
    expect(await read(['a,b\n\n1,2'])).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads the same records however the text is cut into chunks', async () => {
    const value = fc.string({ maxLength: 8 }).filter((s) => s !== '');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(value, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        async (records, cuts) => {
          const text = records.map((r) => r.map(quote).join(',')).join('\r\n') + '\n';
          const chunks: string[] = [];
          let at = 0;
          for (let i = 0; at < text.length; i++) {
            const size = cuts[i % cuts.length]!;
            chunks.push(text.slice(at, at + size));
            at += size;
          }
          expect(await read(chunks)).toEqual(records);
        },
      ),
    );
  });
});
