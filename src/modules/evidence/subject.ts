import type { SubjectKind } from './db/tables.js';

/**
 * What a form gives about whom it asks, from earlier answers: a person's basic identity set
 * (full name, date of birth, National Insurance number, address), an address, or a business's
 * Companies House number. Only what the subject kind needs is sent.
 */
export interface SubjectInput {
  fullName?: string;
  /** YYYY-MM-DD */
  dateOfBirth?: string;
  nino?: string;
  address?: { uprn?: string; line1?: string; town?: string; postcode?: string };
  companyNumber?: string;
}

/** The subject sent to the answering body, and the key a table-answered type is looked up by. */
export interface Subject {
  data: Record<string, string>;
  key: string;
}

const NINO = /^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/;
const UPRN = /^\d{1,12}$/;
const COMPANY = /^(?:\d{8}|[A-Z]{2}\d{6})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A National Insurance number as the tables key it: upper case, no spaces; undefined if malformed. */
export function normaliseNino(value: string): string | undefined {
  const nino = value.replace(/\s+/g, '').toUpperCase();
  return NINO.test(nino) ? nino : undefined;
}

/** The key a table row of this kind of subject is stored under, or undefined if it is not one. */
export function subjectKeyOf(kind: SubjectKind, value: string): string | undefined {
  const text = value.trim();
  if (kind === 'person') return normaliseNino(text);
  if (kind === 'address') return UPRN.test(text) ? text.replace(/^0+(?=\d)/, '') : undefined;
  const company = text.replace(/\s+/g, '').toUpperCase();
  return COMPANY.test(company) ? company : undefined;
}

/**
 * The minimal subject of a request: for a person, name, date of birth, NI number and (if given)
 * postcode and UPRN; for an address, its UPRN; for a business, its company number. Undefined
 * when the form did not give what the kind needs (then the journey asks for evidence instead).
 */
export function subjectOf(kind: SubjectKind, input: SubjectInput): Subject | undefined {
  if (kind === 'person') {
    const nino = input.nino ? normaliseNino(input.nino) : undefined;
    const fullName = input.fullName?.trim();
    if (!nino || !fullName || !input.dateOfBirth || !DATE.test(input.dateOfBirth)) return undefined;
    const data: Record<string, string> = { fullName, dateOfBirth: input.dateOfBirth, nino };
    if (input.address?.postcode) data.postcode = input.address.postcode;
    if (input.address?.uprn) data.uprn = input.address.uprn;
    return { data, key: nino };
  }
  if (kind === 'address') {
    const uprn = input.address?.uprn ? subjectKeyOf('address', input.address.uprn) : undefined;
    return uprn ? { data: { uprn }, key: uprn } : undefined;
  }
  const company = input.companyNumber ? subjectKeyOf('business', input.companyNumber) : undefined;
  return company ? { data: { companyNumber: company }, key: company } : undefined;
}
