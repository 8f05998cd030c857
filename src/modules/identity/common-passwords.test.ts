import { describe, expect, it } from 'vitest';
import { commonPasswords, passwordProblem } from './passwords.js';

describe('the common-password deny-list', () => {
  it('holds at least the 10,000 most common passwords, notes left out', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThanOrEqual(9_900); // a few differ only in case
    expect([...list].some((p) => p.startsWith('#'))).toBe(false);
    for (const p of ['123456', 'password', 'qwerty', '111111', 'iloveyou', 'trustno1'])
      expect(list.has(p)).toBe(true);
  });

  it('refuses well-known passwords of 8 characters or more, in any case', () => {
    for (const p of ['password', 'PASSWORD1', 'qwertyuiop', 'iloveyou', 'sunshine', 'Liverpool'])
      expect(passwordProblem(p)).toBe('identity.password.common');
  });

  it('accepts a long phrase nobody has leaked, with no composition rules', () => {
    expect(passwordProblem('tractor orange lighthouse')).toBeUndefined();
    expect(passwordProblem('mqzhvtbk')).toBeUndefined();
  });
});
