/**
 * The XML writer, checked by an independent parser: PostgreSQL's (libxml2, in PGlite) must accept
 * every document we write and read back the text we put in — for any string fast-check makes,
 * including controls, surrogates, `]]>`, carriage returns and characters outside the BMP.
 */
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { element, escapeText, fromJson, serialise, text, xmlSafe, XML_DECLARATION } from './xml.js';

let pg: PGlite;
beforeAll(async () => {
  pg = await PGlite.create();
  await pg.query('select 1');
}, 120_000);
afterAll(async () => {
  await pg.close();
});

/** The text of /r/v as libxml2 reads it, or the parser's complaint. */
async function readBack(document: string): Promise<string> {
  const result = await pg.query<{ v: string | null }>(
    `select v from xmltable('/r' passing xmlparse(document $1::text) columns v text path 'v')`,
    [document],
  );
  return result.rows[0]?.v ?? '';
}

async function wellFormed(document: string): Promise<boolean> {
  try {
    await pg.query('select xmlparse(document $1::text)', [document]);
    return true;
  } catch {
    return false;
  }
}

describe('serialise', () => {
  it('writes the declaration, nested elements indented and empty elements closed', () => {
    const doc = serialise(
      element('service_requests', [
        element('request', [
          text('service_request_id', 'JU-7K4M-92QK'),
          text('service_notice', 'We will look within 5 working days'),
          text('account_id', ''),
        ]),
      ]),
    );
    expect(doc).toBe(
      [
        XML_DECLARATION,
        '<service_requests>',
        '  <request>',
        '    <service_request_id>JU-7K4M-92QK</service_request_id>',
        '    <service_notice>We will look within 5 working days</service_notice>',
        '    <account_id/>',
        '  </request>',
        '</service_requests>',
        '',
      ].join('\n'),
    );
  });

  it('escapes markup, ampersands, "]]>" and carriage returns in text', () => {
    expect(escapeText('a < b && c > d ]]> e\r\nf')).toBe(
      'a &lt; b &amp;&amp; c &gt; d ]]&gt; e&#13;\nf',
    );
  });

  it('replaces characters XML 1.0 cannot carry with U+FFFD, keeping astral characters', () => {
    expect(xmlSafe('a\u0000b\u0008c\u000Bd\uFFFEe\uD800f😀\tg')).toBe(
      'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf😀\tg',
    );
  });

  it('refuses an element name that is not one', () => {
    expect(() => serialise(text('1st', 'x'))).toThrow(/element name/);
    expect(() => serialise(text('a b', 'x'))).toThrow(/element name/);
    expect(() => serialise(text('<a>', 'x'))).toThrow(/element name/);
  });

  it('is refused by the parser when escaping is skipped (the check can fail)', async () => {
    expect(await wellFormed(`${XML_DECLARATION}<r><v>a & b</v></r>`)).toBe(false);
    expect(await wellFormed(`${XML_DECLARATION}<r><v>\u0001</v></r>`)).toBe(false);
  });

  it('writes a well-formed document whose text reads back as written, for any string', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (value) => {
        const doc = serialise(element('r', [text('v', value)]));
        expect(await wellFormed(doc)).toBe(true);
        expect(await readBack(doc)).toBe(xmlSafe(value));
      }),
      { numRuns: 300 },
    );
  });

  it('reads back exactly any text XML can carry, from the edges of the character ranges', async () => {
    const edges = fc.constantFrom(
      '\t',
      '\n',
      '\r',
      '\r\n',
      ' ',
      '&',
      '<',
      '>',
      ']]>',
      '"',
      "'",
      '\uD7FF',
      '\uE000',
      '\uFFFD',
      '\u{10000}',
      '\u{10FFFF}',
      '&amp;',
      '&#13;',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(edges, fc.string()), { maxLength: 12 }), async (parts) => {
        const value = parts.join('');
        expect(await readBack(serialise(element('r', [text('v', value)])))).toBe(value);
      }),
      { numRuns: 200 },
    );
  });
});

describe('fromJson', () => {
  const items = (list: string) => ({ services: 'service', values: 'value' })[list] ?? 'item';

  it('writes arrays as repeated items, objects in key order, null empty and booleans as words', () => {
    const node = fromJson(
      'services',
      [
        {
          service_code: 'report-a-pothole',
          metadata: true,
          order: 1,
          group: null,
          values: [{ key: 'a', name: 'A' }],
          skipped: undefined,
        },
      ],
      items,
    );
    expect(serialise(node)).toBe(
      [
        XML_DECLARATION,
        '<services>',
        '  <service>',
        '    <service_code>report-a-pothole</service_code>',
        '    <metadata>true</metadata>',
        '    <order>1</order>',
        '    <group/>',
        '    <values>',
        '      <value>',
        '        <key>a</key>',
        '        <name>A</name>',
        '      </value>',
        '    </values>',
        '  </service>',
        '</services>',
        '',
      ].join('\n'),
    );
  });

  it('writes any JSON made of safe names as a well-formed document', async () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/);
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    await fc.assert(
      fc.asyncProperty(json, async (value) => {
        expect(await wellFormed(serialise(fromJson('root', value, items)))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
