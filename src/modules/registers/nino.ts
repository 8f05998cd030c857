/**
 * National Insurance numbers, with HMRC's format rules: two prefix letters, six digits and a
 * suffix letter A to D. The first prefix letter is never D, F, I, Q, U or V; the second never
 * D, F, I, O, Q, U or V; and BG, GB, KN, NK, NT, TN and ZZ are never issued.
 */

const FIRST_NEVER = new Set(['D', 'F', 'I', 'Q', 'U', 'V']);
const SECOND_NEVER = new Set(['D', 'F', 'I', 'O', 'Q', 'U', 'V']);
/** Prefixes that are never allocated (administrative, or reserved). */
export const UNALLOCATED_PREFIXES: readonly string[] = ['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'];

export type NinoProblem = 'missing' | 'format' | 'prefix';

/** True when two letters may start a National Insurance number. */
export function isValidNinoPrefix(prefix: string): boolean {
  if (!/^[A-Z]{2}$/.test(prefix)) return false;
  return (
    !FIRST_NEVER.has(prefix[0]!) &&
    !SECOND_NEVER.has(prefix[1]!) &&
    !UNALLOCATED_PREFIXES.includes(prefix)
  );
}

/**
 * Reads a National Insurance number as people type it (any case, spaces anywhere) and gives
 * it compact and upper-case, or what is wrong with it.
 *
 * @example parseNino('jg 10 37 59 a') // { ok: true, nino: 'JG103759A' }
 */
export function parseNino(
  input: string,
): { ok: true; nino: string } | { ok: false; problem: NinoProblem } {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  if (compact === '') return { ok: false, problem: 'missing' };
  if (!/^[A-Z]{2}[0-9]{6}[A-D]$/.test(compact)) return { ok: false, problem: 'format' };
  if (!isValidNinoPrefix(compact.slice(0, 2))) return { ok: false, problem: 'prefix' };
  return { ok: true, nino: compact };
}

/** The compact form of a valid number, or undefined. */
export function normaliseNino(input: string): string | undefined {
  const parsed = parseNino(input);
  return parsed.ok ? parsed.nino : undefined;
}

/** Printed as on a National Insurance card: `JG 10 37 59 A`. */
export function formatNino(nino: string): string {
  const compact = nino.replace(/\s+/g, '').toUpperCase();
  return `${compact.slice(0, 2)} ${compact.slice(2, 4)} ${compact.slice(4, 6)} ${compact.slice(6, 8)} ${compact.slice(8)}`;
}

/**
 * What may be written down about a typed number (in the audit log, in logs): only its last
 * two digits and suffix, so that the log does not become a list of National Insurance numbers.
 *
 * @example maskNino('JG103759A') // '******59A'
 */
export function maskNino(input: string): string {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  if (compact.length <= 3) return '*'.repeat(compact.length);
  return '*'.repeat(Math.min(compact.length, 12) - 3) + compact.slice(-3);
}
