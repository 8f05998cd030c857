/**
 * Checks on what a person types as card details, before anything goes to a gateway. Pure, so
 * the pages and the gateways share them and they are property-tested.
 */

/** The digits of a card number as typed: spaces and dashes allowed, anything else refused. */
export function cardDigits(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{12,19}$/.test(digits) ? digits : null;
}

/** The Luhn (mod 10) check every card number passes. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Card brands as GOV.UK Pay names them in `card_details.card_brand`. */
export const CARD_BRANDS = {
  visa: 'Visa',
  'master-card': 'Mastercard',
  'american-express': 'American Express',
  'diners-club': 'Diners Club',
  discover: 'Discover',
  jcb: 'Jcb',
  unionpay: 'Union Pay',
  maestro: 'Maestro',
} as const;
export type CardBrand = keyof typeof CARD_BRANDS;

const BRAND_PREFIXES: [RegExp, CardBrand][] = [
  [/^4/, 'visa'],
  [/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/, 'master-card'],
  [/^3[47]/, 'american-express'],
  [/^(36|30[0-5]|38|39)/, 'diners-club'],
  [/^35(2[89]|[3-8]\d)/, 'jcb'],
  [/^(6011|64[4-9]|65)/, 'discover'],
  [/^62/, 'unionpay'],
  [/^(50|5[6-9]|6)/, 'maestro'],
];

/** The brand a card number's first digits show, or null for none we know. */
export function cardBrand(digits: string): CardBrand | null {
  return BRAND_PREFIXES.find(([prefix]) => prefix.test(digits))?.[1] ?? null;
}

/**
 * Whether a card whose expiry is `MM/YY` can still be used at `now`: cards are good to the end
 * of their expiry month (UTC, as gateways count it).
 */
export function expiryValid(expiry: string, now: Date): boolean {
  const match = /^(\d{2})\/(\d{2})$/.exec(expiry.trim());
  if (!match) return false;
  const month = Number(match[1]);
  if (month < 1 || month > 12) return false;
  const year = 2000 + Number(match[2]);
  const endOfMonth = Date.UTC(year, month, 1); // first instant of the month after
  return now.getTime() < endOfMonth;
}

/** What may be kept of a card: its last four digits and brand, never more. */
export function cardSummary(digits: string): { lastFour: string; brand: CardBrand | null } {
  return { lastFour: digits.slice(-4), brand: cardBrand(digits) };
}
