/**
 * UK VAT registration numbers. A standard number is 9 digits (a 12-digit form adds a 3-digit
 * branch suffix), often written with the `GB` prefix and spaces: `GB 999 9999 73`. Its last two
 * digits check the first seven: weight those 8, 7, 6, 5, 4, 3, 2 and add the check number; the
 * total is a multiple of 97 for numbers issued before November 2009 (the "mod 97" scheme) and is
 * 55 short of one for later numbers (the "97-55" scheme). Only the format and the check digits
 * are checked: Joinedup does not ask HMRC whether the number is registered.
 */

const WEIGHTS = [8, 7, 6, 5, 4, 3, 2] as const;

export type VatCheckScheme = 'mod97' | '9755';

/** Removes spaces, upper-cases and drops a leading `GB`: "gb 999 9999 73" → "999999973". */
export function normaliseVatNumber(value: string): string {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  return compact.startsWith('GB') ? compact.slice(2) : compact;
}

/** The weighted sum of the first seven digits plus the two check digits. */
function checkTotal(digits: string): number {
  let total = Number(digits.slice(7, 9));
  for (let i = 0; i < WEIGHTS.length; i++) total += Number(digits[i]) * WEIGHTS[i]!;
  return total;
}

/**
 * Which check-digit scheme a normalised number satisfies, or null when it satisfies neither.
 *
 * @example vatCheckScheme('999999973') // 'mod97'
 */
export function vatCheckScheme(digits: string): VatCheckScheme | null {
  if (!/^[0-9]{9}([0-9]{3})?$/.test(digits)) return null;
  const total = checkTotal(digits);
  if (total % 97 === 0) return 'mod97';
  if ((total + 55) % 97 === 0) return '9755';
  return null;
}

/**
 * The two check digits that make seven digits a valid number under a scheme, e.g. for test data.
 *
 * @example checkDigitsFor('9999999', 'mod97') // '73'
 */
export function checkDigitsFor(sevenDigits: string, scheme: VatCheckScheme): string {
  const weighted = checkTotal(`${sevenDigits}00`);
  const offset = scheme === 'mod97' ? 0 : 55;
  const check = ((-(weighted + offset) % 97) + 97) % 97;
  return String(check).padStart(2, '0');
}

/**
 * The i18n key of what is wrong with a VAT number as typed, or undefined when it is fine (an
 * empty answer is fine too: not every supplier is VAT-registered).
 */
export function vatNumberProblem(value: string): string | undefined {
  const digits = normaliseVatNumber(value);
  if (digits === '') return undefined;
  if (!/^[0-9]+$/.test(digits)) return 'procurement.supplier.vat.characters';
  if (digits.length !== 9 && digits.length !== 12) return 'procurement.supplier.vat.length';
  if (!vatCheckScheme(digits)) return 'procurement.supplier.vat.checkDigits';
  return undefined;
}
