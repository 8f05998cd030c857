import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import {
  formatDate,
  formatDateTime,
  type Locale,
  type Translate,
} from '../../../platform/i18n/i18n.js';

/** The signed-in person as the audit log records them: staff by their handling role. */
export function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  const role =
    user.kind === 'staff'
      ? (['team-leader', 'admin', 'caseworker'].find((r) => user.roles.includes(r)) ?? 'staff')
      : 'citizen';
  return { userId: user.id, organisationId: user.organisationId, role, requestId: request.id };
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A record's value as the page shows it: dates in UK time, yes/no, "none" for nothing. */
export function shownValue(
  value: string | number | boolean | null,
  t: Translate,
  locale: Locale,
): string {
  if (value === null || value === '') return t('mydata.value.none');
  if (typeof value === 'boolean') return t(value ? 'mydata.value.yes' : 'mydata.value.no');
  if (typeof value === 'number') return String(value);
  if (DATE_TIME.test(value)) return formatDateTime(value, locale);
  if (DATE.test(value)) return formatDate(value, locale);
  return value;
}

/** A field's label in the reader's language, or its name when there is none. */
export function fieldLabel(field: string, t: Translate): string {
  const key = `mydata.field.${field}`;
  const label = t(key);
  return label === key ? field : label;
}

/** A key's text, or the fallback when the key has none. */
export function textOr(t: Translate, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}
