import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '@node-rs/argon2';
import {
  hashPassword,
  passwordProblem,
  useCheapHashesForTests,
  verifyPassword,
} from './passwords.js';

describe('passwords', () => {
  // The real cost here: every other test file hashes cheaply (test/helpers/cheap-hashes.ts).
  beforeAll(() => useCheapHashesForTests(false));
  afterAll(() => useCheapHashesForTests());

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

  it('hashes at the cheapest cost only when a test process asks', async () => {
    useCheapHashesForTests();
    const cheap = await hashPassword('a good long password');
    expect(parseOptions(cheap)).toMatchObject({ memoryCost: 1024, timeCost: 1 });
    expect(await verifyPassword(cheap, 'a good long password')).toBe(true);
    useCheapHashesForTests(false);
    expect(parseOptions(await hashPassword('x'.repeat(12)))).toMatchObject({ memoryCost: 65536 });
  });
});
