/**
 * Reads CSV (RFC 4180: quoted fields, doubled quotes, quoted line breaks, CRLF or LF) from a
 * stream of text chunks, one record at a time, so a file of millions of rows never sits in memory.
 *
 * @example for await (const record of csvRecords(createReadStream(file, 'utf8'))) …
 */
export async function* csvRecords(
  chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
): AsyncGenerator<string[]> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false; // just read a quote inside a quoted field: end of field or a doubled quote
  let any = false;
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const done: string[][] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      any = true;
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          quoted = false; // the quote closed the field: fall through to read c unquoted
        } else if (c === '"') {
          afterQuote = true;
          continue;
        } else {
          field += c;
          continue;
        }
      }
      if (c === '"' && field === '') {
        quoted = true;
      } else if (c === ',') {
        record.push(field);
        field = '';
      } else if (c === '\n') {
        record.push(field);
        done.push(record);
        record = [];
        field = '';
        any = false;
      } else if (c !== '\r') {
        field += c;
      }
    }
    for (const r of done) if (!(r.length === 1 && r[0] === '')) yield r;
  }
  if (any) {
    record.push(field);
    if (!(record.length === 1 && record[0] === '')) yield record;
  }
}
