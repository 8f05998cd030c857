import { describe, expect, it } from 'vitest';
import { codeProblem, normaliseUkMobile } from './account-lifecycle.js';

describe('UK mobile numbers', () => {
  it('are normalised to +447… from the ways people write them', () => {
    for (const written of [
      '07700 900123',
      '07700-900-123',
      '+44 7700 900123',
      '+44 (0)7700 900123',
      '0044 7700 900123',
      '447700900123',
    ])
      expect(normaliseUkMobile(written)).toBe('+447700900123');
    expect(normaliseUkMobile('07624 123456')).toBe('+447624123456');
  });

  it('are refused when landlines, pagers, foreign or the wrong length', () => {
    for (const written of ['01452 123456', '07600 123456', '+33 6 12 34 56 78', '0770090012', 'x'])
      expect(normaliseUkMobile(written)).toBeUndefined();
  });
});

describe('code problems', () => {
  it('read an unknown address as a wrong code, so they do not tell who has an account', () => {
    expect(codeProblem('none')).toBe('identity.account.code.wrong');
    expect(codeProblem('expired')).toBe('identity.account.code.expired');
    expect(codeProblem('too-many')).toBe('identity.account.code.too-many');
  });
});
