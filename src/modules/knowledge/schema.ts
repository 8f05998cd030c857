import type { FieldError } from '../../platform/errors/errors.js';
import { formText } from '../../platform/http/forms.js';
import { parseDateParts } from '../../platform/validation/validators.js';
import { parseEmail, parseUkPhone } from '../forms/index.js';
import { lookupGssCode } from '../organisations/index.js';
import { isUuid } from '../../platform/validation/uuid.js';
import { parseOpeningHours, type OpeningPeriod } from './hours.js';
import {
  ARTICLE_KINDS,
  ARTICLE_STATUSES,
  type ArticleKind,
  type ArticleStatus,
} from './db/tables.js';

/**
 * What staff type into the knowledge pages, read and checked before any command runs. Each
 * reader returns the values to store or the fields at fault, with locale keys for the messages;
 * the pages show them in an error summary and change nothing.
 */

export const LIMITS = {
  title: 200,
  body: 20_000,
  name: 120,
  address: 500,
  role: 120,
  topics: 500,
  howToReach: 300,
  topic: 120,
  notes: 500,
  serviceKey: 100,
} as const;

/** The form's fields as typed, to show again on a 400. */
export type FormValues = Record<string, string>;

export function formValues(body: unknown, names: readonly string[]): FormValues {
  return Object.fromEntries(names.map((name) => [name, formText(body, name)]));
}

/** A required text within its limit, or an error naming the field. */
function text(
  values: FormValues,
  field: string,
  max: number,
  errors: FieldError[],
  required = true,
): string {
  const value = values[field] ?? '';
  if (required && !value) errors.push({ field, message: `knowledge.error.${field}.required` });
  else if (value.length > max) errors.push({ field, message: `knowledge.error.${field}.tooLong` });
  return value;
}

/** Opening hours typed in a textarea, or an error naming the field and the problem. */
function hours(values: FormValues, field: string, errors: FieldError[]): OpeningPeriod[] {
  const reading = parseOpeningHours(values[field] ?? '');
  if (reading.ok) return reading.periods;
  errors.push({ field, message: `knowledge.error.hours.${reading.problem}` });
  return [];
}

export const ARTICLE_FIELDS = [
  'serviceId',
  'kind',
  'title',
  'titleCy',
  'body',
  'bodyCy',
  'ownerUserId',
  'reviewDue-day',
  'reviewDue-month',
  'reviewDue-year',
  'status',
] as const;

export interface ArticleInput {
  serviceId: string;
  kind: ArticleKind;
  title: string;
  titleCy: string;
  body: string;
  bodyCy: string;
  ownerUserId: string;
  reviewDue: string;
  status: ArticleStatus;
}

/**
 * An article as typed. Which services and owners are allowed, and whether the review date may
 * be in the past, the command checks against the database and the clock.
 */
export function readArticleForm(
  values: FormValues,
): { ok: true; article: ArticleInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const serviceId = values.serviceId ?? '';
  if (!isUuid(serviceId))
    errors.push({ field: 'serviceId', message: 'knowledge.error.serviceId.required' });
  const kind = values.kind as ArticleKind;
  if (!ARTICLE_KINDS.includes(kind))
    errors.push({ field: 'kind', message: 'knowledge.error.kind.required' });
  const title = text(values, 'title', LIMITS.title, errors);
  const titleCy = text(values, 'titleCy', LIMITS.title, errors, false);
  const body = text(values, 'body', LIMITS.body, errors);
  const bodyCy = text(values, 'bodyCy', LIMITS.body, errors, false);
  if (bodyCy && !titleCy)
    errors.push({ field: 'titleCy', message: 'knowledge.error.titleCy.required' });
  const ownerUserId = values.ownerUserId ?? '';
  if (!isUuid(ownerUserId))
    errors.push({ field: 'ownerUserId', message: 'knowledge.error.ownerUserId.required' });
  const date = parseDateParts(
    values['reviewDue-day'] ?? '',
    values['reviewDue-month'] ?? '',
    values['reviewDue-year'] ?? '',
  );
  if ('problem' in date)
    errors.push({ field: 'reviewDue-day', message: `knowledge.error.reviewDue.${date.problem}` });
  const status = values.status as ArticleStatus;
  if (!ARTICLE_STATUSES.includes(status))
    errors.push({ field: 'status', message: 'knowledge.error.status.required' });
  if (errors.length > 0 || 'problem' in date) return { ok: false, errors };
  return {
    ok: true,
    article: {
      serviceId,
      kind,
      title,
      titleCy,
      body,
      bodyCy,
      ownerUserId,
      reviewDue: date.date,
      status,
    },
  };
}

export const CONTACT_POINT_FIELDS = [
  'name',
  'nameCy',
  'phone',
  'email',
  'address',
  'hours',
] as const;

export interface ContactPointInput {
  name: string;
  nameCy: string;
  /** E.164. */
  phone: string | null;
  email: string | null;
  address: string;
  hours: OpeningPeriod[];
}

/** A contact point as typed: a name, at least one way to reach it, and valid opening hours. */
export function readContactPointForm(
  values: FormValues,
): { ok: true; contactPoint: ContactPointInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = text(values, 'name', LIMITS.name, errors);
  const nameCy = text(values, 'nameCy', LIMITS.name, errors, false);
  let phone: string | null = null;
  if (values.phone) {
    phone = parseUkPhone(values.phone)?.e164 ?? null;
    if (!phone) errors.push({ field: 'phone', message: 'knowledge.error.phone.invalid' });
  }
  let email: string | null = null;
  if (values.email) {
    email = parseEmail(values.email) ?? null;
    if (!email) errors.push({ field: 'email', message: 'knowledge.error.email.invalid' });
  }
  const address = text(values, 'address', LIMITS.address, errors, false);
  if (!values.phone && !values.email && !address)
    errors.push({ field: 'phone', message: 'knowledge.error.contact.required' });
  const periods = hours(values, 'hours', errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, contactPoint: { name, nameCy, phone, email, address, hours: periods } };
}

export const EXPERT_FIELDS = ['name', 'role', 'topics', 'howToReach'] as const;

export interface ExpertInput {
  name: string;
  role: string;
  topics: string;
  howToReach: string;
}

export function readExpertForm(
  values: FormValues,
): { ok: true; expert: ExpertInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const expert = {
    name: text(values, 'name', LIMITS.name, errors),
    role: text(values, 'role', LIMITS.role, errors),
    topics: text(values, 'topics', LIMITS.topics, errors, false),
    howToReach: text(values, 'howToReach', LIMITS.howToReach, errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, expert };
}

export const RULE_FIELDS = [
  'serviceKey',
  'topic',
  'area',
  'contactPointId',
  'hours',
  'notes',
] as const;

/** A routing rule as typed; the area is a GSS code or a postcode the command turns into one. */
export interface RoutingRuleInput {
  serviceKey: string | null;
  topic: string;
  area: string;
  contactPointId: string;
  /** Null: the contact point's own hours. */
  hours: OpeningPeriod[] | null;
  notes: string;
}

export function readRoutingRuleForm(
  values: FormValues,
): { ok: true; rule: RoutingRuleInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const serviceKey = text(values, 'serviceKey', LIMITS.serviceKey, errors, false);
  if (serviceKey && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(serviceKey))
    errors.push({ field: 'serviceKey', message: 'knowledge.error.serviceKey.invalid' });
  const topic = text(values, 'topic', LIMITS.topic, errors, false);
  if (!serviceKey && !topic)
    errors.push({ field: 'serviceKey', message: 'knowledge.error.serviceKey.required' });
  const area = (values.area ?? '').toUpperCase();
  if (!area) errors.push({ field: 'area', message: 'knowledge.error.area.required' });
  else if (area.length > 20)
    errors.push({ field: 'area', message: 'knowledge.error.area.unknown' });
  const contactPointId = values.contactPointId ?? '';
  if (!isUuid(contactPointId))
    errors.push({ field: 'contactPointId', message: 'knowledge.error.contactPointId.required' });
  const periods = values.hours ? hours(values, 'hours', errors) : null;
  const notes = text(values, 'notes', LIMITS.notes, errors, false);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    rule: {
      serviceKey: serviceKey || null,
      topic,
      area,
      contactPointId,
      hours: periods,
      notes,
    },
  };
}

/** The GSS codes of the four nations, for rules that hold across a whole country. */
export const COUNTRIES: Record<string, { en: string; cy: string }> = {
  E92000001: { en: 'England', cy: 'Lloegr' },
  W92000004: { en: 'Wales', cy: 'Cymru' },
  S92000003: { en: 'Scotland', cy: 'Yr Alban' },
  N92000002: { en: 'Northern Ireland', cy: 'Gogledd Iwerddon' },
};

/** The name of an area a rule may cover (a council area or a nation), or undefined when unknown. */
export function areaName(gss: string, locale: 'en' | 'cy'): string | undefined {
  return COUNTRIES[gss]?.[locale] ?? lookupGssCode(gss)?.name;
}
