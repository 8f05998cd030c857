import { describe, expect, it } from 'vitest';
import { lookupGssCode } from './gss.js';

describe('lookupGssCode', () => {
  it('knows a district, a county, a unitary and a Welsh council from the ONS lists', () => {
    expect(lookupGssCode('E07000082')).toEqual({ name: 'Stroud', types: ['district'] });
    expect(lookupGssCode('E10000013')).toEqual({ name: 'Gloucestershire', types: ['county'] });
    expect(lookupGssCode('E06000023')?.types).toEqual(['unitary']);
    expect(lookupGssCode('W06000015')).toEqual({
      name: 'Cardiff',
      types: ['welsh-principal-area'],
    });
  });

  it('does not know a code ONS does not have', () => {
    expect(lookupGssCode('E07999999')).toBeUndefined();
    expect(lookupGssCode('')).toBeUndefined();
  });
});
