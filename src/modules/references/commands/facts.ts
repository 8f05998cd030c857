/**
 * Reading what a body tells about a person or a business into normal forms, with the field and
 * the reason for each thing that is wrong. Used by the API and the staff pages alike.
 */
import type { Db } from '../../../platform/db/database.js';
import type { FieldError } from '../../../platform/errors/errors.js';
import { normalisePostcode } from '../../../platform/validation/validators.js';
import { findAddressByUprn } from '../../address/index.js';
import type { BusinessFacts, PersonFacts } from '../db/tables.js';
import {
  BUSINESS_PARSERS,
  BUSINESS_SCHEMES,
  parseNationalInsuranceNumber,
} from '../validation/identifiers.js';

/** A field error that also names the reason, for the API's answer. */
export interface ReasonedError extends FieldError {
  reason: string;
}

export type Read<T> = { ok: true; value: T } | { ok: false; errors: ReasonedError[] };

const NAME_MAX = 100;
const REFERENCE_MAX = 100;

/** The field names of a business's numbers, in the API and the forms. */
export const BUSINESS_FIELDS = {
  'companies-house': 'companyNumber',
  utr: 'utr',
  vat: 'vatNumber',
  charity: 'charityNumber',
} as const;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const fail = (field: string, reason: string): ReasonedError => ({
  field,
  reason,
  message: `references.error.${field}.${reason}`,
});

/** A body's own reference for its record: 1–100 printable characters. */
export function readReference(value: unknown): Read<string> {
  const reference = text(value);
  if (!reference) return { ok: false, errors: [fail('reference', 'missing')] };
  if (reference.length > REFERENCE_MAX)
    return { ok: false, errors: [fail('reference', 'too-long')] };
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(reference))
    return { ok: false, errors: [fail('reference', 'characters')] };
  return { ok: true, value: reference };
}

/** A calendar date YYYY-MM-DD that exists, not in the future, not before 1900. */
function readDate(value: string, today: string): string | 'missing' | 'format' {
  if (!value) return 'missing';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return 'format';
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return 'format';
  if (value > today || value < '1900-01-01') return 'format';
  return value;
}

/**
 * The basic identity set as a body tells it: names, date of birth, postcode and/or UPRN (the
 * address's postcode is used when only the UPRN is given), National Insurance number.
 */
export async function readPersonFacts(
  db: Db,
  input: Record<string, unknown>,
  today: string,
): Promise<Read<PersonFacts>> {
  const errors: ReasonedError[] = [];
  const givenName = text(input.givenName);
  const familyName = text(input.familyName);
  for (const [field, value] of [
    ['givenName', givenName],
    ['familyName', familyName],
  ] as const) {
    if (!value) errors.push(fail(field, 'missing'));
    else if (value.length > NAME_MAX) errors.push(fail(field, 'too-long'));
  }
  const date = readDate(text(input.dateOfBirth), today);
  if (date === 'missing' || date === 'format') errors.push(fail('dateOfBirth', date));

  const typedPostcode = text(input.postcode);
  const uprn = text(input.uprn);
  let postcode = typedPostcode ? normalisePostcode(typedPostcode) : undefined;
  if (typedPostcode && !postcode) errors.push(fail('postcode', 'format'));
  if (uprn) {
    if (!/^[0-9]{1,12}$/.test(uprn)) errors.push(fail('uprn', 'format'));
    else {
      const address = await findAddressByUprn(db, uprn);
      if (!address) errors.push(fail('uprn', 'unknown'));
      else if (postcode && address.postcode !== postcode) errors.push(fail('uprn', 'postcode'));
      else postcode = address.postcode;
    }
  } else if (!typedPostcode) errors.push(fail('postcode', 'missing'));

  const nino = parseNationalInsuranceNumber(text(input.nino));
  if (!nino.ok) errors.push(fail('nino', nino.reason));

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      givenName,
      familyName,
      dateOfBirth: date,
      postcode: postcode!,
      ...(uprn ? { uprn } : {}),
      nino: (nino as { value: string }).value,
    },
  };
}

/** A business's numbers as a body tells them: at least one, each valid for its scheme. */
export function readBusinessFacts(input: Record<string, unknown>): Read<BusinessFacts> {
  const errors: ReasonedError[] = [];
  const facts: BusinessFacts = {};
  const name = text(input.name);
  if (name.length > 200) errors.push(fail('name', 'too-long'));
  else if (name) facts.name = name;
  for (const scheme of BUSINESS_SCHEMES) {
    const field = BUSINESS_FIELDS[scheme];
    const typed = text(input[field]);
    if (!typed) continue;
    const parsed = BUSINESS_PARSERS[scheme](typed);
    if (parsed.ok) facts[scheme] = parsed.value;
    else errors.push(fail(field, parsed.reason));
  }
  if (errors.length === 0 && !BUSINESS_SCHEMES.some((s) => facts[s]))
    errors.push(fail('companyNumber', 'none'));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: facts };
}
