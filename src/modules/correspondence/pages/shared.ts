import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import {
  listOrganisations,
  listOrganisationsByIds,
  type OrganisationRow,
} from '../../organisations/index.js';
import { slaRisk, type SlaRisk } from '../../casework/index.js';
import { workingDaysOverdue } from '../clock/statutory-clock.js';
import type { CorrespondenceRow } from '../db/tables.js';

/** The signed-in person (or nobody) as the audit log records them. */
export function actorOf(request: FastifyRequest, user: CurrentUser | null): Actor {
  if (!user) return { userId: null, organisationId: null, role: 'public', requestId: request.id };
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.kind === 'staff' ? (user.roles[0] ?? 'staff') : user.kind,
    requestId: request.id,
  };
}

/** A body's name in the reader's language. */
export function bodyName(
  body: Pick<OrganisationRow, 'name' | 'name_cy'> | undefined,
  locale: Locale,
): string {
  if (!body) return '';
  return (locale === 'cy' && body.name_cy) || body.name;
}

/** Every body on the platform, for "Who is it to?", in the reader's language and order. */
export async function bodyChoices(db: Db, locale: Locale) {
  const bodies = await listOrganisations(db);
  return bodies
    .map((b) => ({ value: b.id, text: bodyName(b, locale) }))
    .sort((a, b) => a.text.localeCompare(b.text, locale === 'cy' ? 'cy' : 'en-GB'));
}

/** The bodies of some correspondence, by id. */
export async function bodiesOf(db: Db, items: Pick<CorrespondenceRow, 'organisation_id'>[]) {
  const rows = await listOrganisationsByIds(db, [...new Set(items.map((i) => i.organisation_id))]);
  return new Map(rows.map((o) => [o.id, o]));
}

/** How a piece of correspondence stands against its clock: a flag, and days overdue. */
export function clockView(item: Pick<CorrespondenceRow, 'due_at' | 'state'>, now: Date) {
  const risk: SlaRisk | 'paused' =
    item.state === 'clarification' || item.state === 'fee-due'
      ? 'paused'
      : slaRisk(item.due_at, now);
  return { risk, overdueDays: workingDaysOverdue(item.due_at, now) };
}

/** The state key the pages show: a complaint's stage is part of it. */
export function stateKey(item: Pick<CorrespondenceRow, 'kind' | 'state' | 'stage'>): string {
  if (item.kind === 'complaint' && (item.state === 'open' || item.state === 'responded'))
    return `${item.state}-stage${item.stage}`;
  return item.state;
}
