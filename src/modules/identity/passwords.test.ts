import { describe, expect, it } from 'vitest';
import { parseOptions } from '@node-rs/argon2';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('accepts a long phrase with no composition rules', () => {
    expect(passwordProblem('correct horse battery staple')).toBeUndefined();
    expect(passwordProblem('mqzhvtbk')).toBeUndefined();
  });

  it('refuses short, overlong and common passwords', () => {
    expect(passwordProblem('short')).toBe('identity.password.tooShort');
    expect(passwordProblem('x'.repeat(257))).toBe('identity.password.tooLong');
    expect(passwordProblem('Password123')).toBe('identity.password.common');
  });

  it('hashes with argon2id and verifies only the right password', async () => {
    const stored = await hashPassword('a good long password');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    // The cost chosen in docs/adr/0006-argon2id-parameters.md travels with the hash.
    expect(parseOptions(stored)).toMatchObject({ memoryCost: 65536, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(stored, 'a good long password')).toBe(true);
    expect(await verifyPassword(stored, 'a good long passworD')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
