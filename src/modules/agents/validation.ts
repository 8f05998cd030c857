/**
 * Format checks for the registration numbers a business or charity may give. Only the format is
 * checked: Joinedup does not look the number up at Companies House or a charity regulator.
 */

/** Upper-cases and removes spaces, as people write "SC 123456" or "oc301234". */
export function normaliseNumber(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/**
 * A Companies House company number is 8 characters: 8 digits (England and Wales, with leading
 * zeros), or a 2-letter prefix and 6 digits (SC Scotland, NI Northern Ireland, OC LLPs …).
 *
 * @example companiesHouseNumberProblem('01234567') // undefined
 */
export function companiesHouseNumberProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length !== 8) return 'agents.business.companyNumber.length';
  if (!/^([0-9]{8}|[A-Z]{2}[0-9]{6})$/.test(value)) return 'agents.business.companyNumber.invalid';
  return undefined;
}

/**
 * A registered charity number: 6 or 7 digits (Charity Commission for England and Wales), SC
 * and 6 digits (OSCR, Scotland) or NIC and 6 digits (Northern Ireland).
 */
export function charityNumberProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (!/^([0-9]{6,7}|SC[0-9]{6}|NIC[0-9]{6})$/.test(value))
    return 'agents.business.charityNumber.invalid';
  return undefined;
}
