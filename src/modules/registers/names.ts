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

export { normalisePostcode } from '../../platform/validation/validators.js';
