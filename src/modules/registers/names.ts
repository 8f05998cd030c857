/**
 * Names, postcodes and dates compared as people write them: case, spaces and accents do not
 * matter ("Siân" is "sian"), and typographic apostrophes are the same as typed ones.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/**
 * A UK postcode in its standard form ("GL5 4UB"), or undefined. Accepts any case and spacing.
 * (The forms module has the same rule for its questions; a register cannot depend on forms.)
 */
export function normalisePostcode(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/\s+/g, '');
  if (compact === 'GIR0AA') return 'GIR 0AA';
  const match = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$/.exec(compact);
  if (!match) return undefined;
  const outward = match[1]!;
  if (/^[QVX]/.test(outward) || /^[A-Z][IJZ]/.test(outward)) return undefined;
  return `${outward} ${match[2]}`;
}
