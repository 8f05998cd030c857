import { hash, verify } from '@node-rs/argon2';

// A short deny-list of the passwords most often seen in breaches (NCSC: block common passwords,
// don't impose composition rules). The full list arrives with the Gateway issue.
const COMMON_PASSWORDS = new Set([
  '12345678',
  '123456789',
  '1234567890',
  'password',
  'password1',
  'password12',
  'password123',
  'qwertyuiop',
  'qwerty123',
  'iloveyou',
  '11111111',
  '00000000',
  'abc12345',
  'abcd1234',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'welcome1',
  'welcome123',
  'letmein1',
  'liverpool',
  'chelsea1',
  'arsenal1',
  'monkey123',
  'dragon123',
  'passw0rd',
  'p@ssw0rd',
  'trustno1',
  'superman',
  'starwars',
  'whatever',
  'qwerty12',
  'asdfghjk',
  'zaq12wsx',
  '1q2w3e4r',
  '1qaz2wsx',
  'changeme',
  'computer',
  'internet',
  'michelle',
  'jennifer',
]);

/** NCSC-style password check: at least 8 characters, at most 256, not a well-known password. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 8) return 'identity.password.tooShort';
  if (password.length > 256) return 'identity.password.tooLong';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'identity.password.common';
  return undefined;
}

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommended minimum). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing, verified against when no account matches, so timing does not tell. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hash('joinedup-decoy-password');
  return decoy;
}
