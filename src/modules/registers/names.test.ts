import { describe, expect, it } from 'vitest';
import { normaliseName, normalisePostcode } from './names.js';

describe('comparing names and postcodes as people type them', () => {
  it('ignores case, spaces and accents in names', () => {
    expect(normaliseName('Siân')).toBe(normaliseName('SIAN'));
    expect(normaliseName('Gwenllïan')).toBe(normaliseName('gwenllian'));
    expect(normaliseName(' ap  Rhys ')).toBe(normaliseName('Ap Rhys'));
    expect(normaliseName('O’Brien')).toBe(normaliseName("o'brien"));
  });

  it('still tells different names apart', () => {
    expect(normaliseName('Sian')).not.toBe(normaliseName('Sean'));
    expect(normaliseName('Smith')).not.toBe(normaliseName('Smyth'));
  });

  it('gives postcodes in their standard form, and nothing for one that cannot exist', () => {
    expect(normalisePostcode('gl54ub')).toBe('GL5 4UB');
    expect(normalisePostcode(' cf10  1ab ')).toBe('CF10 1AB');
    expect(normalisePostcode('GL5 4UC')).toBeUndefined();
    expect(normalisePostcode('not a postcode')).toBeUndefined();
  });
});
