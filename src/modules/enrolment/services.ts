import type { EnrolableService } from './db/tables.js';
import { normalisePostcode as standardPostcode } from '../../platform/validation/validators.js';

/** The shape of each service's reference, so a typing slip is caught before it counts as a guess. */
const REFERENCE_FORMATS: Record<EnrolableService, RegExp> = {
  // Council tax account numbers are 8 digits.
  'council-tax': /^\d{8}$/,
  // Business rates account numbers are 'BR' and 7 digits.
  'business-rates': /^BR\d{7}$/,
  // Trade waste collection accounts are 'TW' and 6 digits.
  'trade-waste': /^TW\d{6}$/,
};

/** Who may hold each kind of record: council tax is a person's, trade waste a business's. */
const HOLDERS: Record<EnrolableService, readonly EnrolmentHolder[]> = {
  'council-tax': ['person'],
  // Sole traders pay business rates in their own name, companies in the business's.
  'business-rates': ['person', 'business'],
  'trade-waste': ['business'],
};

/** Whether an enrolment is for the person themself or for a business account they belong to. */
export type EnrolmentHolder = 'person' | 'business';

/** True when a person (or a business, as asked) may enrol into this kind of record. */
export function enrolableBy(service: EnrolableService, holder: EnrolmentHolder): boolean {
  return HOLDERS[service].includes(holder);
}

/** True when the string names a service a body can hold records for. */
export function isEnrolableService(value: string): value is EnrolableService {
  return Object.hasOwn(REFERENCE_FORMATS, value);
}

/** A reference as typed, tidied: spaces and dashes gone, letters in capitals. */
export function normaliseReference(value: string): string {
  return value.replace(/[\s-]+/g, '').toUpperCase();
}

/** True when a tidied reference has the service's shape. */
export function referenceHasFormat(service: EnrolableService, reference: string): boolean {
  return REFERENCE_FORMATS[service].test(reference);
}

/**
 * A UK postcode in capitals with one space before the inward code, or null if it is not one.
 *
 * @example normalisePostcode('gl54ub') // 'GL5 4UB'
 */
export function normalisePostcode(value: string): string | null {
  return standardPostcode(value) ?? null;
}
