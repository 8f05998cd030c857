/**
 * Parsers for what people type into the special question types: National Insurance numbers,
 * UK telephone numbers, e-mail addresses, money and numbers. Each takes a string as typed and
 * returns its normal form, or undefined when it is not one. They are total: any string, of any
 * length, returns quickly (callers cap lengths first, and no expression here backtracks).
 */

/** Prefixes HMRC never allocates. */
const NINO_BAD_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/**
 * A National Insurance number in its printed form, "AB 12 34 56 C", or undefined. Spaces and
 * case do not matter. Neither letter of the prefix is D, F, I, Q, U or V; the second is not O;
 * BG, GB, KN, NK, NT, TN and ZZ are never used; the suffix is A, B, C or D.
 *
 * @example parseNino('ab123456c') // 'AB 12 34 56 C'
 */
export function parseNino(input: string): string | undefined {
  if (input.length > 30) return undefined;
  const compact = input.replace(/\s+/g, '').toUpperCase();
  const match = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])(\d{2})(\d{2})(\d{2})([A-D])$/.exec(
    compact,
  );
  if (!match) return undefined;
  const [, first, second, a, b, c, suffix] = match as unknown as string[];
  if (NINO_BAD_PREFIXES.has(`${first}${second}`)) return undefined;
  return `${first}${second} ${a} ${b} ${c} ${suffix}`;
}

export interface UkPhone {
  /** International form without spaces: "+447700900982". */
  e164: string;
  /** As people in the UK write it: "07700 900982", "01453 766321", "020 7946 0000". */
  national: string;
}

/** Spaces a national number (starting 0) the way it is usually read out. */
function spaceNational(national: string): string {
  if (/^0(2\d)/.test(national) && national.length === 11)
    return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
  if (/^0(1\d1|11\d)/.test(national) && national.length === 11)
    return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  if (/^0[38]00/.test(national) && national.length === 10)
    return `${national.slice(0, 4)} ${national.slice(4)}`;
  if (/^0(3|8|9)/.test(national) && national.length === 11)
    return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  return `${national.slice(0, 5)} ${national.slice(5)}`;
}

/**
 * A UK telephone number, or undefined. Accepts the ways people write them: "07700 900 982",
 * "+44 (0)7700 900982", "0044 7700-900982", "(01453) 766321". `mobileOnly` accepts 07 numbers
 * only. Normalised to E.164 ("+447700900982"), with a spaced national form for showing it.
 *
 * @example parseUkPhone('+44 (0)1453 766321')?.e164 // '+441453766321'
 */
export function parseUkPhone(
  input: string,
  options: { mobileOnly?: boolean } = {},
): UkPhone | undefined {
  if (input.length > 40) return undefined;
  let digits = input.replace(/[\s().-]/g, '');
  if (!/^\+?\d+$/.test(digits)) return undefined;
  if (digits.startsWith('+44')) digits = digits.slice(3);
  else if (digits.startsWith('0044')) digits = digits.slice(4);
  else if (digits.startsWith('+')) return undefined;
  else if (digits.startsWith('44') && digits.length >= 12) digits = digits.slice(2);
  // "+44 (0)1453 …" keeps the trunk 0 after the country code; a national number starts with it.
  const national = digits.startsWith('0') ? digits : `0${digits}`;
  if (national.length !== 11 && national.length !== 10) return undefined;
  // Geographic (01, 02), non-geographic (03), mobile (07), freephone and special rates (08, 09).
  if (!/^0[1235789]/.test(national)) return undefined;
  if (national.length === 10 && !/^0(1|800|500)/.test(national)) return undefined;
  if (options.mobileOnly && !/^07[1-57-9]\d{8}$/.test(national)) return undefined;
  return { e164: `+44${national.slice(1)}`, national: spaceNational(national) };
}

/**
 * An e-mail address, trimmed and with its domain in lower case, or undefined. Checks the shape
 * GOV.UK services check (something@domain.tld, no spaces, sane lengths), not deliverability.
 *
 * @example parseEmail(' Sam@Example.COM ') // 'Sam@example.com'
 */
export function parseEmail(input: string): string | undefined {
  const value = input.trim();
  if (value.length > 254) return undefined;
  const at = value.lastIndexOf('@');
  if (at < 1) return undefined;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length > 64) return undefined;
  if (!/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/.test(local)) return undefined;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2) return undefined;
  if (!labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l))) return undefined;
  if (!/^[a-z]{2,63}$|^xn--[a-z0-9-]{1,59}$/.test(labels.at(-1)!)) return undefined;
  return `${local}@${domain}`;
}

/** The largest amount of money an answer may hold: £1 billion, in pence. */
export const MAX_PENCE = 100_000_000_000;

/**
 * An amount of money as people type it ("£1,250.50", "12.5", "300") in whole pence, or undefined.
 * Commas must group thousands; at most two decimal places; never negative.
 *
 * @example parsePounds('£1,250.5') // 125050
 */
export function parsePounds(input: string): number | undefined {
  if (input.length > 30) return undefined;
  const value = input.trim().replace(/^£\s*/, '');
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return undefined;
  const pounds = Number(match[1]!.replaceAll(',', ''));
  const pence = pounds * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(pence) && pence <= MAX_PENCE ? pence : undefined;
}

/**
 * Pence as people read money: "£12.50", "£1,200" (pence shown only when there are some).
 *
 * @example formatPence(120050) // '£1,200.50'
 */
export function formatPence(pence: number): string {
  // Thousands with commas, as toLocaleString('en-GB') writes them, without Intl's cost.
  const pounds = String(Math.floor(pence / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = pence % 100;
  return rest === 0 ? `£${pounds}` : `£${pounds}.${String(rest).padStart(2, '0')}`;
}

/** Pence as a person would type them back into a money box: "12.50", "1200". */
export function penceToPounds(pence: number): string {
  const rest = pence % 100;
  return rest === 0
    ? String(Math.floor(pence / 100))
    : `${Math.floor(pence / 100)}.${String(rest).padStart(2, '0')}`;
}

/**
 * A number as typed ("1,234.5", "-3", " 42 ") in its shortest form ("1234.5"), or undefined.
 * Exponents, hexadecimal, "Infinity" and more than 15 significant digits are refused.
 *
 * @example parseNumber('1,000') // '1000'
 */
export function parseNumber(input: string): string | undefined {
  if (input.length > 40) return undefined;
  const value = input.trim().replace(/,(?=\d{3}(?:\D|$))/g, '');
  const match = /^(-)?(\d{1,15})(?:\.(\d{1,6}))?$/.exec(value);
  if (!match) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) return undefined;
  return String(Object.is(number, -0) ? 0 : number);
}
