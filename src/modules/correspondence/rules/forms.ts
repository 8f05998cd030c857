/**
 * What people and staff type, read and checked the same way for every page: each reader returns
 * the values or every problem with its field and a locale key, and changes nothing.
 */
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import {
  COMPLAINT_OUTCOMES,
  FOI_OUTCOMES,
  MEMBER_ROLES,
  REVIEW_OUTCOMES,
  type CorrespondenceKind,
  type MemberRole,
  type Outcome as ResponseOutcome,
} from '../db/tables.js';
import { FOI_MAX_EXTENSION_DAYS } from '../clock/statutory-clock.js';

/** The longest text each field takes. */
export const LIMITS = {
  name: 200,
  email: 254,
  subject: 200,
  details: 10000,
  response: 20000,
  note: 5000,
} as const;

/**
 * The FOI Act's grounds for withholding, as refusal notices cite them: the cost limit (s.12),
 * vexatious requests (s.14) and the exemptions of Part II.
 */
export const EXEMPTIONS = [
  's12',
  's14',
  's21',
  's22',
  's22A',
  's23',
  's24',
  's26',
  's27',
  's28',
  's29',
  's30',
  's31',
  's32',
  's33',
  's34',
  's35',
  's36',
  's37',
  's38',
  's39',
  's40',
  's41',
  's42',
  's43',
  's44',
] as const;
export type Exemption = (typeof EXEMPTIONS)[number];

/**
 * Qualified exemptions: those subject to the public interest test, the only ones a s.10(3)
 * extension may be taken to consider (absolute ones such as s.21, s.23, s.32, s.41 and s.44, and
 * the s.12 and s.14 grounds, need no balancing).
 */
export const QUALIFIED_EXEMPTIONS: readonly Exemption[] = [
  's22',
  's22A',
  's24',
  's26',
  's27',
  's28',
  's29',
  's30',
  's31',
  's33',
  's35',
  's36',
  's37',
  's38',
  's39',
  's42',
  's43',
];

// A practical shape: one @, a local part of safe characters, a domain of labels with a dot.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** True for an e-mail address of a deliverable shape (lower-cased first). */
export function isEmailAddress(value: string): boolean {
  return value.length <= LIMITS.email && EMAIL.test(value) && !value.includes('..');
}

function required(
  errors: FieldError[],
  field: string,
  value: string,
  limit: number,
  prefix: string,
): void {
  if (value === '') errors.push({ field, message: `${prefix}.${field}.missing` });
  else if (value.length > limit) errors.push({ field, message: `${prefix}.${field}.tooLong` });
}

/** A complaint or FOI request as typed on the public form. */
export interface RequestForm {
  organisationId: string;
  name: string;
  email: string;
  subject: string;
  details: string;
}

/** The public form's values as typed, for showing again. */
export function requestFormValues(body: unknown): RequestForm {
  return {
    organisationId: formText(body, 'organisationId'),
    name: formText(body, 'name'),
    email: formText(body, 'email').toLowerCase(),
    subject: formText(body, 'subject'),
    details: formText(body, 'details'),
  };
}

/** Every problem with a complaint or FOI request (the body is checked by the command). */
export function requestErrors(values: RequestForm): FieldError[] {
  const errors: FieldError[] = [];
  const prefix = 'correspondence.make';
  if (values.organisationId === '')
    errors.push({ field: 'organisationId', message: `${prefix}.organisationId.missing` });
  required(errors, 'name', values.name, LIMITS.name, prefix);
  if (values.email === '') errors.push({ field: 'email', message: `${prefix}.email.missing` });
  else if (!isEmailAddress(values.email))
    errors.push({ field: 'email', message: `${prefix}.email.malformed` });
  required(errors, 'subject', values.subject, LIMITS.subject, prefix);
  required(errors, 'details', values.details, LIMITS.details, prefix);
  return errors;
}

/** A response to a complaint or FOI request. */
export interface ResponseForm {
  outcome: ResponseOutcome;
  exemptions: Exemption[];
  response: string;
}

function listOf(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
}

/**
 * The response form: an outcome the kind allows; for an FOI request given in part or refused,
 * the exemptions relied on (a refusal notice must cite them, s.17(1)); and the response text.
 */
export function readResponse(
  body: unknown,
  kind: CorrespondenceKind,
): Outcome<{ response: ResponseForm }> {
  const errors: FieldError[] = [];
  const outcome = formText(body, 'outcome');
  const allowed: readonly string[] = kind === 'foi' ? FOI_OUTCOMES : COMPLAINT_OUTCOMES;
  if (!allowed.includes(outcome))
    errors.push({ field: 'outcome', message: 'correspondence.respond.outcome.missing' });
  const exemptions = listOf(body, 'exemptions');
  if (exemptions.some((e) => !(EXEMPTIONS as readonly string[]).includes(e)))
    errors.push({ field: 'exemptions', message: 'correspondence.respond.exemptions.unknown' });
  else if (
    kind === 'foi' &&
    (outcome === 'given-in-part' || outcome === 'refused') &&
    exemptions.length === 0
  )
    errors.push({ field: 'exemptions', message: 'correspondence.respond.exemptions.missing' });
  const response = formText(body, 'response');
  required(errors, 'response', response, LIMITS.response, 'correspondence.respond');
  if (errors.length > 0) return { ok: false, errors };
  const keep = kind === 'foi' && (outcome === 'given-in-part' || outcome === 'refused');
  return {
    ok: true,
    response: {
      outcome: outcome as ResponseOutcome,
      exemptions: keep ? [...new Set(exemptions as Exemption[])] : [],
      response,
    },
  };
}

/** A required note (a clarification asked or received, an escalation's reason). */
export function readNote(body: unknown, field: string, prefix: string): Outcome<{ note: string }> {
  const note = formText(body, field);
  const errors: FieldError[] = [];
  required(errors, field, note, LIMITS.note, prefix);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, note };
}

/** The public interest extension: how many working days (1–20) and the qualified exemption weighed. */
export function readExtension(body: unknown): Outcome<{ days: number; reason: Exemption }> {
  const errors: FieldError[] = [];
  const text = formText(body, 'days');
  const days = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  if (text === '') errors.push({ field: 'days', message: 'correspondence.extend.days.missing' });
  else if (!(days >= 1 && days <= FOI_MAX_EXTENSION_DAYS))
    errors.push({ field: 'days', message: 'correspondence.extend.days.range' });
  const reason = formText(body, 'reason');
  if (!(QUALIFIED_EXEMPTIONS as readonly string[]).includes(reason))
    errors.push({ field: 'reason', message: 'correspondence.extend.reason.missing' });
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, days, reason: reason as Exemption };
}

/** A disclosure log entry: its title and the redacted response. */
export function readDisclosure(body: unknown): Outcome<{ title: string; text: string }> {
  const errors: FieldError[] = [];
  const title = formText(body, 'title');
  const text = formText(body, 'text');
  required(errors, 'title', title, LIMITS.subject, 'correspondence.publish');
  required(errors, 'text', text, LIMITS.response, 'correspondence.publish');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, title, text };
}

/** A member's letter as staff record it. */
export interface MemberLetterForm {
  memberName: string;
  memberRole: string;
  memberEmail: string;
  constituentName: string;
  subject: string;
  details: string;
  ownerId: string;
}

export function memberLetterValues(body: unknown): MemberLetterForm {
  return {
    memberName: formText(body, 'memberName'),
    memberRole: formText(body, 'memberRole'),
    memberEmail: formText(body, 'memberEmail').toLowerCase(),
    constituentName: formText(body, 'constituentName'),
    subject: formText(body, 'subject'),
    details: formText(body, 'details'),
    ownerId: formText(body, 'ownerId'),
  };
}

/** Every problem with a member's letter (the owner is checked by the command). */
export function memberLetterErrors(values: MemberLetterForm): FieldError[] {
  const errors: FieldError[] = [];
  const prefix = 'correspondence.member';
  required(errors, 'memberName', values.memberName, LIMITS.name, prefix);
  if (!(MEMBER_ROLES as readonly string[]).includes(values.memberRole))
    errors.push({ field: 'memberRole', message: `${prefix}.memberRole.missing` });
  if (values.memberEmail !== '' && !isEmailAddress(values.memberEmail))
    errors.push({ field: 'memberEmail', message: `${prefix}.memberEmail.malformed` });
  if (values.constituentName.length > LIMITS.name)
    errors.push({ field: 'constituentName', message: `${prefix}.constituentName.tooLong` });
  required(errors, 'subject', values.subject, LIMITS.subject, prefix);
  required(errors, 'details', values.details, LIMITS.details, prefix);
  return errors;
}

export function asMemberRole(value: string): MemberRole {
  return value as MemberRole;
}

/** A body's time limits: whole numbers of working days from 1 to 60. */
export function readSettings(
  body: unknown,
): Outcome<{ stage1: number; stage2: number; member: number }> {
  const errors: FieldError[] = [];
  const read = (field: string) => {
    const text = formText(body, field);
    const n = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    if (!(n >= 1 && n <= 60)) errors.push({ field, message: 'correspondence.settings.days.range' });
    return n;
  };
  const stage1 = read('stage1');
  const stage2 = read('stage2');
  const member = read('member');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, stage1, stage2, member };
}

/** An internal review's decision: upheld, partly upheld or overturned, and the reasons. */
export function readReviewDecision(
  body: unknown,
): Outcome<{ outcome: (typeof REVIEW_OUTCOMES)[number]; reasons: string }> {
  const errors: FieldError[] = [];
  const outcome = formText(body, 'outcome');
  if (!(REVIEW_OUTCOMES as readonly string[]).includes(outcome))
    errors.push({ field: 'outcome', message: 'correspondence.review.outcome.missing' });
  const reasons = formText(body, 'reasons');
  required(errors, 'reasons', reasons, LIMITS.response, 'correspondence.review');
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, outcome: outcome as (typeof REVIEW_OUTCOMES)[number], reasons };
}
