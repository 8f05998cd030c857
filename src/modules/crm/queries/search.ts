/**
 * Finding the customer: an adviser searches people's accounts by name, date of birth,
 * postcode, reference number (an application's or case's, or a body's account number the
 * person enrolled with), e-mail address or phone number. Each search is audited with which
 * criteria were used (not their values, which are personal data themselves).
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { normalisePostcode, parseDateParts } from '../../../platform/validation/validators.js';
import { findPeopleByEnrolmentReference } from '../../enrolment/index.js';
import { findPeople, type PeopleSearch, type PersonFound } from '../../identity/index.js';
import { findApplicantOfReference, parseReference } from '../../submissions/index.js';

/** The search form as typed. */
export interface SearchInput {
  name: string;
  birthDay: string;
  birthMonth: string;
  birthYear: string;
  postcode: string;
  reference: string;
  email: string;
  phone: string;
}

export const EMPTY_SEARCH: SearchInput = {
  name: '',
  birthDay: '',
  birthMonth: '',
  birthYear: '',
  postcode: '',
  reference: '',
  email: '',
  phone: '',
};

/** True when the form was sent with nothing in it (the first visit). */
export function isBlank(input: SearchInput): boolean {
  return Object.values(input).every((v) => v === '');
}

/** The criteria, checked: at least one, a real date, a real postcode, a name of 2+ letters. */
export function readSearch(
  input: SearchInput,
): Outcome<{ search: PeopleSearch & { reference?: string } }> {
  const errors: FieldError[] = [];
  const search: PeopleSearch & { reference?: string } = {};
  if (input.name) {
    if (input.name.length < 2 || input.name.length > 100)
      errors.push({ field: 'name', message: 'crm.search.error.name' });
    else search.name = input.name;
  }
  const date = parseDateParts(input.birthDay, input.birthMonth, input.birthYear);
  if ('date' in date) search.birthdate = date.date;
  else if (date.problem !== 'required')
    errors.push({ field: 'birthDay', message: 'crm.search.error.birthdate' });
  if (input.postcode) {
    const postcode = normalisePostcode(input.postcode);
    if (postcode) search.postcode = postcode;
    else errors.push({ field: 'postcode', message: 'crm.search.error.postcode' });
  }
  if (input.reference) {
    if (input.reference.length > 40)
      errors.push({ field: 'reference', message: 'crm.search.error.reference' });
    else search.reference = input.reference;
  }
  if (input.email) search.email = input.email;
  if (input.phone) {
    if (input.phone.replace(/\D/g, '').length < 7)
      errors.push({ field: 'phone', message: 'crm.search.error.phone' });
    else search.phone = input.phone;
  }
  if (!errors.length && Object.keys(search).length === 0)
    errors.push({ field: 'name', message: 'crm.search.error.empty' });
  return errors.length ? { ok: false, errors } : { ok: true, search };
}

/** The accounts a reference number leads to: an application's applicant, or enrolled people. */
async function peopleOfReference(db: Db, reference: string): Promise<string[]> {
  const applicationReference = parseReference(reference);
  if (applicationReference) {
    const application = await findApplicantOfReference(db, applicationReference);
    return application?.userId ? [application.userId] : [];
  }
  return findPeopleByEnrolmentReference(db, reference.trim().toUpperCase());
}

/**
 * The people matching every criterion, audited as a search by the adviser (criteria names and
 * how many were found).
 */
export async function searchCustomers(
  db: Db,
  actor: Actor,
  search: PeopleSearch & { reference?: string },
): Promise<PersonFound[]> {
  const { reference, ...rest } = search;
  const criteria: PeopleSearch = reference
    ? { ...rest, userIds: await peopleOfReference(db, reference) }
    : rest;
  const found = await findPeople(db, criteria);
  await recordAudit(db, actor, {
    action: 'crm.customer.searched',
    resourceType: 'crm_search',
    resourceId: actor.organisationId ?? '',
    subjectUserId: null,
    details: { criteria: Object.keys(search), found: found.length },
  });
  return found;
}
