import { describe, expect, it } from 'vitest';
import { bearerMatches } from './metrics.js';

describe('bearerMatches', () => {
  const token = 'a'.repeat(40);
  it('accepts exactly the token, whatever the case of the scheme', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
  });
  it('refuses no header, another token, a prefix of the token and trailing text', () => {
    expect(bearerMatches(undefined, token)).toBe(false);
    expect(bearerMatches(`Bearer ${'b'.repeat(40)}`, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token.slice(1)}`, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token} extra`, token)).toBe(false);
    expect(bearerMatches(token, token)).toBe(false);
  });
});
