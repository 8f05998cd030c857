/**
 * "My data" as CSV (RFC 4180): one line a field of a record — section, record number, field,
 * value — so every section fits one sheet however its records are shaped.
 */
import type { PersonalDataSection } from '../../../platform/http/types.js';

/** Characters a spreadsheet may take as the start of a formula (CSV injection, OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: a value a spreadsheet would run as a formula gets a leading apostrophe, then
 * the cell is quoted when it holds a comma, a quote or a line break (quotes doubled).
 *
 * @example csvCell('=1+1') // "'=1+1"
 * @example csvCell('a "b", c') // '"a ""b"", c"'
 */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The lines of a CSV file, CRLF-ended as RFC 4180 asks, with a header line. */
export function toCsv(sections: readonly PersonalDataSection[]): string {
  const lines = [['section', 'record', 'field', 'value'].join(',')];
  for (const section of sections)
    section.rows.forEach((row, index) => {
      for (const [field, value] of Object.entries(row))
        lines.push([section.key, index + 1, field, value].map((v) => csvCell(v)).join(','));
    });
  return lines.join('\r\n') + '\r\n';
}

/**
 * Reads CSV text back into rows of cells (quoted cells with doubled quotes and line breaks):
 * for tests, and for anyone checking that an export reads back as it was written.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}
