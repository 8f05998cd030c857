/**
 * The identifiers of people and businesses that the reference index holds, each read as people
 * type it (any case, spaces anywhere) and given back in its normal form, or with the reason it
 * is not one. Only the format and the check digits are checked: Joinedup does not ask HMRC,
 * Companies House or a charity regulator whether the number was issued. Every parser is total:
 * any string returns quickly (inputs are capped first, and no expression here backtracks).
 */
import { parseNino } from '../../registers/index.js';

/** Why a typed identifier is not one; the i18n key is `references.identifier.<reason>`. */
export type IdentifierProblem =
  'missing' | 'too-long' | 'characters' | 'length' | 'format' | 'prefix' | 'check-digit' | 'range';

/** A parsed identifier: its normal form (and what else the scheme tells), or why it is not one. */
export type Parsed<T extends object = object> =
  ({ ok: true; value: string } & T) | { ok: false; reason: IdentifierProblem };

/** Longer than anything a person would type for one of these numbers. */
const MAX_TYPED = 40;

/** Upper-case without spaces, dots or hyphens, as numbers are compared; undefined when too long. */
function compact(input: string): string | undefined {
  if (input.length > MAX_TYPED) return undefined;
  return input.replace(/[\s.-]+/g, '').toUpperCase();
}

function start(input: unknown): { ok: false; reason: IdentifierProblem } | { ok: true; c: string } {
  if (typeof input !== 'string') return { ok: false, reason: 'missing' };
  const c = compact(input);
  if (c === undefined) return { ok: false, reason: 'too-long' };
  if (c === '') return { ok: false, reason: 'missing' };
  return { ok: true, c };
}

// ---------------------------------------------------------------------------------------------
// National Insurance number: the registers module's parser (HMRC's prefix rules), reused.

/**
 * A National Insurance number: two prefix letters (neither D, F, I, Q, U or V; the second not
 * O; never BG, GB, KN, NK, NT, TN or ZZ), six digits and a suffix A to D. Normal form `JG103759A`.
 *
 * @example parseNationalInsuranceNumber('jg 10 37 59 a') // { ok: true, value: 'JG103759A' }
 */
export function parseNationalInsuranceNumber(input: unknown): Parsed {
  const s = start(input);
  if (!s.ok) return s;
  const parsed = parseNino(s.c);
  if (parsed.ok) return { ok: true, value: parsed.nino };
  return { ok: false, reason: parsed.problem === 'missing' ? 'missing' : parsed.problem };
}

// ---------------------------------------------------------------------------------------------
// UK VAT registration number

/** The check-digit scheme a standard VAT number satisfies. */
export type VatScheme = 'mod97' | '9755';

const VAT_WEIGHTS = [8, 7, 6, 5, 4, 3, 2] as const;

/** The weighted sum of the first seven digits plus the number the last two make. */
function vatTotal(nine: string): number {
  let total = Number(nine.slice(7, 9));
  for (let i = 0; i < 7; i++) total += Number(nine[i]) * VAT_WEIGHTS[i]!;
  return total;
}

/**
 * Which scheme nine digits satisfy: weight the first seven 8, 7, 6, 5, 4, 3, 2 and add the
 * last two; a multiple of 97 is the "mod 97" scheme (numbers issued before November 2009), 55
 * short of one the "97-55" scheme (later numbers). Undefined when neither.
 */
export function vatSchemeOf(nine: string): VatScheme | undefined {
  if (!/^[0-9]{9}$/.test(nine)) return undefined;
  const total = vatTotal(nine);
  if (total % 97 === 0) return 'mod97';
  if ((total + 55) % 97 === 0) return '9755';
  return undefined;
}

/**
 * The two check digits that complete seven digits under a scheme (for test data and the demo).
 *
 * @example vatCheckDigits('9999999', 'mod97') // '73'
 */
export function vatCheckDigits(seven: string, scheme: VatScheme): string {
  const weighted = vatTotal(`${seven}00`);
  const check = ((-(weighted + (scheme === 'mod97' ? 0 : 55)) % 97) + 97) % 97;
  return String(check).padStart(2, '0');
}

/**
 * A UK VAT registration number: 9 digits with HMRC's check digits (either scheme), or 12 with
 * a 3-digit branch (trader) suffix, with or without `GB`; or a government department's `GD`
 * and 000–499, or a health authority's `HA` and 500–999 (no check digits). `XI` (Northern
 * Ireland goods) numbers are the same digits. Normal form: the digits (or `GD123`) without
 * the country prefix.
 *
 * @example parseVatNumber('GB 999 9999 73') // { ok: true, value: '999999973', kind: 'standard', scheme: 'mod97' }
 */
export function parseVatNumber(
  input: unknown,
): Parsed<{ kind: 'standard' | 'branch' | 'government' | 'health'; scheme?: VatScheme }> {
  const s = start(input);
  if (!s.ok) return s;
  const c = /^(GB|XI)/.test(s.c) ? s.c.slice(2) : s.c;
  const authority = /^(GD|HA)([0-9]{3})$/.exec(c);
  if (authority) {
    const n = Number(authority[2]);
    if (authority[1] === 'GD')
      return n < 500 ? { ok: true, value: c, kind: 'government' } : { ok: false, reason: 'range' };
    return n >= 500 ? { ok: true, value: c, kind: 'health' } : { ok: false, reason: 'range' };
  }
  if (c === '') return { ok: false, reason: 'missing' };
  if (!/^[0-9]+$/.test(c)) return { ok: false, reason: 'characters' };
  if (c.length !== 9 && c.length !== 12) return { ok: false, reason: 'length' };
  const scheme = vatSchemeOf(c.slice(0, 9));
  if (!scheme) return { ok: false, reason: 'check-digit' };
  return { ok: true, value: c, kind: c.length === 12 ? 'branch' : 'standard', scheme };
}

// ---------------------------------------------------------------------------------------------
// Unique Taxpayer Reference

/**
 * What the check digit is for each remainder. The first of the ten digits checks the other
 * nine: weight them 6, 7, 8, 9, 10, 5, 4, 3, 2, take the sum modulo 11, and 11 minus that
 * remainder is the check digit, written as its last digit (10 → 1, 11 → 2). The table is HMRC's
 * own, as in its open-source `reference-checker` library (UtrReferenceChecker:
 * remainderLookupTable 2,1,9,8,7,6,5,4,3,2,1; github.com/hmrc/reference-checker).
 */
const UTR_CHECK_FOR_REMAINDER = [2, 1, 9, 8, 7, 6, 5, 4, 3, 2, 1] as const;
const UTR_WEIGHTS = [6, 7, 8, 9, 10, 5, 4, 3, 2] as const;

/** The remainder (0–10) of the weighted sum of a UTR's last nine digits. */
export function utrRemainder(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * UTR_WEIGHTS[i]!;
  return sum % 11;
}

/**
 * The check digit (the first digit) for a UTR's other nine digits.
 *
 * @example utrCheckDigit('234567890') // 2: the UTR is 2234567890
 */
export function utrCheckDigit(nine: string): number {
  return UTR_CHECK_FOR_REMAINDER[utrRemainder(nine)]!;
}

/**
 * A Unique Taxpayer Reference (Self Assessment or Corporation Tax): 10 digits whose first checks
 * the rest. A 13-digit form (with 3 leading digits) and a `K` before or after, as printed on
 * some letters, are accepted and dropped. Normal form: the 10 digits.
 *
 * @example parseUtr('22345 67890') // { ok: true, value: '2234567890' }
 */
export function parseUtr(input: unknown): Parsed {
  const s = start(input);
  if (!s.ok) return s;
  let c = s.c.replace(/^K|K$/, '');
  if (!/^[0-9]+$/.test(c)) return { ok: false, reason: 'characters' };
  if (c.length === 13) c = c.slice(3);
  if (c.length !== 10) return { ok: false, reason: 'length' };
  if (Number(c[0]) !== utrCheckDigit(c.slice(1))) return { ok: false, reason: 'check-digit' };
  return { ok: true, value: c };
}

// ---------------------------------------------------------------------------------------------
// Companies House number

/**
 * The two-letter prefixes Companies House gives numbers that are not England and Wales
 * companies: SC Scotland, NI Northern Ireland (and R0 before 1973), OC/SO/NC LLPs, LP/SL/NL
 * limited partnerships, FC/SF/NF overseas companies, GE/GS/GN European economic interest
 * groupings, IP/SP/NP industrial and provident societies, RC/SR/NR royal charters, CE/CS/CN
 * charitable incorporated organisations, SE/ES European companies, OE overseas entities, AC/SA/NA
 * assurance companies, ZC/SZ unregistered companies, PC/NO/NV, IC, SI, RS, SG, FE, BR.
 */
export const COMPANY_NUMBER_PREFIXES: readonly string[] = [
  'AC', 'BR', 'CE', 'CN', 'CS', 'ES', 'FC', 'FE', 'GE', 'GN', 'GS', 'IC', 'IP', 'LP', 'NA', 'NC',
  'NF', 'NI', 'NL', 'NO', 'NP', 'NR', 'NV', 'NZ', 'OC', 'OE', 'PC', 'R0', 'RC', 'RS', 'SA', 'SC',
  'SE', 'SF', 'SG', 'SI', 'SL', 'SO', 'SP', 'SR', 'SZ', 'ZC',
]; // prettier-ignore

/**
 * A Companies House company number: 8 characters, either 8 digits (England and Wales; people
 * often drop the leading zeros, which are put back) or a recognised 2-letter prefix and 6
 * digits. Normal form: the 8 characters, `01234567`, `SC123456`.
 *
 * @example parseCompanyNumber('sc 123456') // { ok: true, value: 'SC123456' }
 */
export function parseCompanyNumber(input: unknown): Parsed {
  const s = start(input);
  if (!s.ok) return s;
  const c = s.c;
  if (/^[0-9]+$/.test(c)) {
    if (c.length > 8) return { ok: false, reason: 'length' };
    const value = c.padStart(8, '0');
    return /^0+$/.test(value) ? { ok: false, reason: 'format' } : { ok: true, value };
  }
  const prefixed = /^([A-Z][A-Z0-9])([0-9]+)$/.exec(c);
  if (!prefixed) return { ok: false, reason: /^[A-Z0-9]+$/.test(c) ? 'format' : 'characters' };
  if (!COMPANY_NUMBER_PREFIXES.includes(prefixed[1]!)) return { ok: false, reason: 'prefix' };
  if (prefixed[2]!.length !== 6) return { ok: false, reason: 'length' };
  return { ok: true, value: c };
}

// ---------------------------------------------------------------------------------------------
// Registered charity number

/** Which regulator registered a charity. */
export type CharityRegulator = 'england-wales' | 'scotland' | 'northern-ireland';

/**
 * A registered charity number: 6 or 7 digits (the Charity Commission for England and Wales;
 * a linked charity's `-1` suffix is dropped), `SC` and 6 digits (OSCR, Scotland), or `NIC` and
 * 6 digits (the Charity Commission for Northern Ireland; `NI` and 6 digits, as people
 * sometimes write it, is read as `NIC`). Normal form: `1123456`, `SC012345`, `NIC100002`.
 *
 * @example parseCharityNumber('sc 012345') // { ok: true, value: 'SC012345', regulator: 'scotland' }
 */
export function parseCharityNumber(input: unknown): Parsed<{ regulator: CharityRegulator }> {
  // "1123456-1" is charity 1123456's first linked charity: the register number is the main one.
  const typed =
    typeof input === 'string' && input.length <= MAX_TYPED
      ? input.replace(/-\s*[0-9]{1,2}\s*$/, '')
      : input;
  const s = start(typed);
  if (!s.ok) return s;
  const main = s.c;
  if (/^[0-9]+$/.test(main)) {
    if (main.length < 6 || main.length > 7) return { ok: false, reason: 'length' };
    if (main.startsWith('0')) return { ok: false, reason: 'format' };
    return { ok: true, value: main, regulator: 'england-wales' };
  }
  const scottish = /^SC([0-9]+)$/.exec(main);
  if (scottish)
    return scottish[1]!.length === 6
      ? { ok: true, value: main, regulator: 'scotland' }
      : { ok: false, reason: 'length' };
  const northern = /^NIC?([0-9]+)$/.exec(main);
  if (northern)
    return northern[1]!.length === 6
      ? { ok: true, value: `NIC${northern[1]}`, regulator: 'northern-ireland' }
      : { ok: false, reason: 'length' };
  return { ok: false, reason: /^[A-Z0-9]+$/.test(main) ? 'prefix' : 'characters' };
}

// ---------------------------------------------------------------------------------------------

/** The business identifiers the index holds, by scheme. */
export const BUSINESS_SCHEMES = ['companies-house', 'utr', 'vat', 'charity'] as const;
export type BusinessScheme = (typeof BUSINESS_SCHEMES)[number];

/** The parser of each business identifier scheme. */
export const BUSINESS_PARSERS: Record<BusinessScheme, (input: unknown) => Parsed> = {
  'companies-house': parseCompanyNumber,
  utr: parseUtr,
  vat: parseVatNumber,
  charity: parseCharityNumber,
};
