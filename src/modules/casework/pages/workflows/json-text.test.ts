import { describe, expect, it } from 'vitest';
import { lineAndColumn, MAX_DEFINITION_CHARACTERS, readDefinitionText } from './json-text.js';

describe('readDefinitionText', () => {
  it('reads JSON', () => {
    expect(readDefinitionText('{"key": "x"}')).toEqual({ ok: true, value: { key: 'x' } });
  });

  it('says where a missing comma is, by line and column', () => {
    expect(readDefinitionText('{\n  "key": "x"\n  "states": []\n}')).toEqual({
      ok: false,
      problem: 'invalid',
      line: 3,
      column: 3,
    });
  });

  it('tells an empty text, one that ends too soon and one too long apart', () => {
    expect(readDefinitionText('  \n')).toEqual({ ok: false, problem: 'empty' });
    expect(readDefinitionText('{"key": ')).toEqual({ ok: false, problem: 'endsEarly' });
    expect(readDefinitionText(`"${'x'.repeat(MAX_DEFINITION_CHARACTERS)}"`)).toEqual({
      ok: false,
      problem: 'tooLong',
    });
  });

  it('still refuses JSON whose problem has no position', () => {
    expect(readDefinitionText('[1,2,]')).toMatchObject({ ok: false, problem: 'invalid' });
  });
});

describe('lineAndColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
