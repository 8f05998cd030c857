import { describe, expect, it } from 'vitest';
import { readJson } from './json-text.js';

function failure(text: string) {
  const reading = readJson(text);
  if (reading.ok) throw new Error(`expected a syntax error in ${text}`);
  return { ...reading.position, ...reading.problem };
}

describe('reading the JSON a service owner typed', () => {
  it('reads valid JSON to the same value JSON.parse gives', () => {
    const text =
      '{\r\n  "key": "a",\r\n  "pages": [1, -2.5e3, true, false, null, "\\u00e9\\n"]\r\n}';
    const reading = readJson(text);
    expect(reading.ok && reading.value).toEqual(JSON.parse(text));
  });

  it('finds a trailing comma at the line and column of what follows it', () => {
    expect(failure('{\n  "key": "bulky-waste",\n}')).toEqual({
      line: 3,
      column: 1,
      kind: 'unexpected',
      found: '}',
      expected: 'key',
    });
  });

  it('finds a missing comma between two members', () => {
    expect(failure('{\n  "a": 1\n  "b": 2\n}')).toMatchObject({
      line: 3,
      column: 3,
      expected: 'commaOrBrace',
    });
  });

  it('names a word where a value should be, and a missing colon', () => {
    expect(failure('{"a": yes}')).toMatchObject({ column: 7, found: 'yes', expected: 'value' });
    expect(failure('{"a" 1}')).toMatchObject({ column: 6, expected: 'colon' });
    expect(failure('[1 2]')).toMatchObject({ column: 4, expected: 'commaOrBracket' });
  });

  it('says when the text ends too soon, is empty, or goes on after the end', () => {
    expect(failure('{"a": [1, 2')).toMatchObject({ kind: 'unexpectedEnd', line: 1, column: 12 });
    expect(failure('{"a": "open')).toMatchObject({ kind: 'unexpectedEnd' });
    expect(failure('  \n ')).toMatchObject({ kind: 'empty' });
    expect(failure('{} }')).toMatchObject({ column: 4, expected: 'end' });
  });

  it('refuses what JSON.parse refuses inside strings and numbers', () => {
    expect(failure('{"a": "line\nbreak"}')).toMatchObject({ kind: 'controlCharacter', line: 1 });
    expect(failure('{"a": "\\x41"}')).toMatchObject({ kind: 'badEscape', column: 8 });
    expect(failure('{"a": 01}')).toMatchObject({ kind: 'badNumber' });
    expect(failure('{"a": 1.}')).toMatchObject({ kind: 'badNumber' });
    expect(failure("{'a': 1}")).toMatchObject({ found: "'", expected: 'key' });
  });

  it('refuses a key given twice in one object, where it is given the second time', () => {
    expect(failure('{\n  "label": 1,\n  "label": 2\n}')).toEqual({
      line: 3,
      column: 3,
      kind: 'duplicateKey',
      key: 'label',
    });
    expect(readJson('[{"a": 1}, {"a": 2}]').ok).toBe(true);
  });

  it('refuses nesting deep enough to overflow the stack, without overflowing it', () => {
    expect(failure('['.repeat(100_000))).toMatchObject({ kind: 'tooDeep' });
  });

  it('says on which line each part starts, or else its nearest ancestor', () => {
    const reading = readJson(
      '{\n  "pages": [\n    {\n      "id": "items",\n      "title": {}\n    }\n  ]\n}',
    );
    if (!reading.ok) throw new Error('valid');
    expect(reading.positionOf([])).toEqual({ line: 1, column: 1 });
    expect(reading.positionOf(['pages', '0'])).toEqual({ line: 3, column: 5 });
    expect(reading.positionOf(['pages', 0, 'title'])).toEqual({ line: 5, column: 7 });
    expect(reading.positionOf(['pages', 0, 'title', 'en']).line).toBe(5);
    expect(reading.positionOf(['pages', 0, 'questions']).line).toBe(3);
  });
});
