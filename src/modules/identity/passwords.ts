import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';
import { projectPath } from '../../platform/paths.js';

/** The deny-list beside this file: one password a line, `#` lines are notes. */
export const COMMON_PASSWORDS_FILE = projectPath('src/modules/identity/common-passwords.txt');

let common: ReadonlySet<string> | undefined;

/**
 * The 10,000 passwords most often found in breaches, lower-cased (read once, on first use).
 * NCSC guidance: block the passwords attackers try first instead of imposing composition rules.
 */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(COMMON_PASSWORDS_FILE, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.toLowerCase()),
  );
  return common;
}

/** NCSC-style password check: at least 8 characters, at most 256, not a well-known password. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 8) return 'identity.password.tooShort';
  if (password.length > 256) return 'identity.password.tooLong';
  if (commonPasswords().has(password.toLowerCase())) return 'identity.password.common';
  return undefined;
}

/**
 * argon2id cost for new password hashes (the library's default algorithm is argon2id):
 * memory in KiB, passes, lanes. Chosen so one hash takes 20–50 ms on one core, above OWASP's
 * minimum (m=19 MiB, t=2, p=1) and favouring memory; see docs/adr/0006-argon2id-parameters.md
 * and re-tune with `npx tsx bench/argon2-cost.ts`. Every hash carries its own parameters, so
 * changing these leaves older hashes verifiable.
 */
export const PASSWORD_HASH_OPTIONS = Object.freeze({
  memoryCost: 64 * 1024, // 64 MiB: about 27 ms a hash at t=2 where the ADR measured it
  timeCost: 2,
  parallelism: 1,
});

/**
 * argon2id at its cheapest (1 MiB, one pass), for the test suite only: it signs people in and
 * registers them thousands of times, and at the real cost that was minutes of CPU in every CI
 * run. Switched on only by {@link useCheapHashesForTests}, which the app never calls.
 */
const TEST_HASH_OPTIONS = Object.freeze({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

let hashOptions: Readonly<{ memoryCost: number; timeCost: number; parallelism: number }> =
  PASSWORD_HASH_OPTIONS;
/** The decoy hash (see decoyHash), made at the cost in force when first asked for. */
let decoy: Promise<string> | undefined;

/**
 * For test processes only (test/helpers/cheap-hashes.ts, and the scripts that seed the test
 * databases): new hashes at {@link TEST_HASH_OPTIONS}; `false` goes back to the real cost. A hash
 * carries its own cost, so a test database's accounts verify cheaply wherever they are read.
 */
export function useCheapHashesForTests(on = true): void {
  hashOptions = on ? TEST_HASH_OPTIONS : PASSWORD_HASH_OPTIONS;
  decoy = undefined;
}

/** Hashes a password with argon2id at {@link PASSWORD_HASH_OPTIONS} (cheaper only in tests). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, hashOptions);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing, verified against when no account matches, so timing does not tell. */
export function decoyHash(): Promise<string> {
  decoy ??= hash('joinedup-decoy-password', hashOptions);
  return decoy;
}
