import { describe, expect, it } from 'vitest';
import { withinOneEdit } from './vocabulary.js';
import { searchWords } from './services.js';

describe('typo tolerance without pg_trgm', () => {
  it('accepts one insertion, deletion, substitution or swap', () => {
    expect(withinOneEdit('pasport', 'passport')).toBe(true);
    expect(withinOneEdit('parkingg', 'parking')).toBe(true);
    expect(withinOneEdit('parkinf', 'parking')).toBe(true);
    expect(withinOneEdit('prakign', 'parking')).toBe(false);
    expect(withinOneEdit('lirbary', 'library')).toBe(true);
  });

  it('refuses two edits', () => {
    expect(withinOneEdit('pasprt', 'passport')).toBe(false);
  });
});

describe('search words', () => {
  it('drops punctuation and small words but keeps hyphenated words', () => {
    expect(searchWords('How do I report fly-tipping?!')).toEqual(['report', 'fly-tipping']);
    expect(searchWords('?!.,;')).toEqual([]);
  });
});
