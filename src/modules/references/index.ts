/**
 * The references module: the reference index of people and businesses across bodies, each
 * body's pseudonymous identifier for a person, the basic identity set, and the validators of
 * National Insurance, VAT, UTR, Companies House and charity numbers. Other modules import only
 * from here.
 */
export { referencesModule } from './module.js';
/** Validators: pure, total, each giving a normal form or a reason. */
export {
  BUSINESS_PARSERS,
  BUSINESS_SCHEMES,
  COMPANY_NUMBER_PREFIXES,
  parseCharityNumber,
  parseCompanyNumber,
  parseNationalInsuranceNumber,
  parseUtr,
  parseVatNumber,
  utrCheckDigit,
  vatCheckDigits,
  vatSchemeOf,
  type BusinessScheme,
  type CharityRegulator,
  type IdentifierProblem,
  type Parsed,
  type VatScheme,
} from './validation/identifiers.js';
/** A body's own identifier for a person, and back (only for that body). */
export { pseudonymFor, userOfPseudonym } from './pseudonyms.js';
/** The basic identity set (the caller checks the body holds a link, and audits the read). */
export { identitySetFor, type IdentitySet } from './queries/identity-set.js';
/** Whether a body holds a live link to a person; the live links of a business account. */
export { bodyHoldsLink, linksOfBusiness } from './queries/records.js';
/** Registering references (for the demo and other modules' tests). */
export {
  registerBusinessReference,
  registerPersonReference,
  type Registered,
} from './commands/register.js';
export { readBusinessFacts, readPersonFacts } from './commands/facts.js';
/** A business account's numbers: added (validated) and looked up. */
export { addBusinessNumber, businessWithNumber } from './commands/business-numbers.js';
/** Matching a number typed into a business's application to the account applied for (the forms journey). */
export { matchBusinessNumber, type BusinessNumberMatch } from './commands/match-business-number.js';
export type { BusinessFacts, PersonFacts } from './db/tables.js';
