import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import { notFound } from '../../../platform/errors/errors.js';
import { formatDate, formatDateTime } from '../../../platform/i18n/i18n.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { requireSignIn } from '../../identity/index.js';
import type { AgreementRow, EventType } from '../db/tables.js';
import { EVENT_FIELDS } from '../events.js';
import { stepsFor } from '../journey.js';
import { basisNeedsConsent } from '../queries/agreements.js';
import { mayTellUsOnce } from '../policies/sharing.js';

export function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.kind,
    requestId: request.id,
  };
}

/** The signed-in person who may tell us once; anyone else is told there is no such page. */
export function citizen(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (!mayTellUsOnce(user)) throw notFound();
  return user;
}

/** A body's name in the page's language. */
export function nameIn(
  request: FastifyRequest,
  names: { organisationName: string; organisationNameCy: string | null },
): string {
  return (request.locale === 'cy' ? names.organisationNameCy : null) ?? names.organisationName;
}

export function purposeIn(request: FastifyRequest, agreement: AgreementRow): string {
  return request.locale === 'cy' ? agreement.purpose_cy : agreement.purpose;
}

/** "Public task (UK GDPR Article 6(1)(e))" and whether the person's consent is needed. */
export function basisText(request: FastifyRequest, agreement: AgreementRow): string {
  return request.t(`sharing.basis.${agreement.legal_basis}`);
}

export { basisNeedsConsent };

/** A change's answers as rows of a summary list, with links to change each page. */
export function answerRows(
  request: FastifyRequest,
  type: EventType,
  details: Record<string, unknown>,
  withChangeLinks: boolean,
) {
  const rows: { key: { text: string }; value: { text: string }; actions?: unknown }[] = [];
  for (const step of stepsFor(type))
    for (const question of step.questions) {
      if (question.kind === 'postcode') continue; // shown within the address
      const name = question.kind === 'address' ? 'address' : question.name;
      const raw = details[name];
      if (raw === undefined) continue;
      const value =
        question.kind === 'date'
          ? formatDate(String(raw), request.locale)
          : question.kind === 'relationship'
            ? request.t(`sharing.relationship.${String(raw)}`)
            : String(raw);
      rows.push({
        key: { text: request.t(`sharing.field.${name}`) },
        value: { text: value },
        ...(withChangeLinks
          ? {
              actions: {
                items: [
                  {
                    href: `/tell-us-once/step/${step.id}`,
                    text: request.t('sharing.change'),
                    visuallyHiddenText: request.t(`sharing.field.${name}`),
                  },
                ],
              },
            }
          : {}),
      });
    }
  return rows;
}

/** The fields an agreement sends, as the page names them. */
export function fieldNames(request: FastifyRequest, agreement: AgreementRow, type: EventType) {
  return EVENT_FIELDS[type]
    .filter((f) => agreement.fields.includes(`${type}.${f}`))
    .map((f) => request.t(`sharing.field.${f}`))
    .join(', ');
}

export function dateTime(request: FastifyRequest, value: Date | null): string {
  return value ? formatDateTime(value, request.locale) : '';
}
