import type { FastifyRequest } from 'fastify';
import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { listOrganisationsByIds, type OrganisationRow } from '../../organisations/index.js';
import type { ProcurementActor } from '../commands/actor.js';
import type { NoticeRow } from '../db/tables.js';
import { isTenderOpen, mayAskClarification } from '../policies/procurement.js';
import { cpvName, cpvWithCheckDigit } from '../reference/cpv.js';
import { partnersOf } from '../queries/notices.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';

/** "£150,000" from pence, for pages. */
export function money(pence: number): string {
  return `£${(pence / 100).toLocaleString('en-GB', {
    minimumFractionDigits: pence % 100 ? 2 : 0,
    maximumFractionDigits: 2,
  })}`;
}

function bodyName(organisation: OrganisationRow | undefined, locale: Locale): string {
  return (organisation && ((locale === 'cy' && organisation.name_cy) || organisation.name)) ?? '';
}

/** The bodies of some notices (lead and partners), by id. */
export async function bodiesOfNotices(db: Db, notices: NoticeRow[]) {
  const ids = notices.map((n) => n.organisation_id);
  return new Map((await listOrganisationsByIds(db, ids)).map((o) => [o.id, o]));
}

/** What a page shows of a notice besides its row. */
export function noticeView(
  notice: NoticeRow,
  bodies: Map<string, OrganisationRow>,
  locale: Locale,
  now: Date,
) {
  return {
    ...notice,
    buyerName: bodyName(bodies.get(notice.organisation_id), locale),
    valueRange: `${money(notice.value_min_pence)} to ${money(notice.value_max_pence)}`,
    codes: notice.cpv_codes.map((code) => ({ code: cpvWithCheckDigit(code), name: cpvName(code) })),
    open: isTenderOpen(notice, now),
    asking: mayAskClarification(notice, now),
    paragraphs: notice.description
      .split(/\r?\n\s*\r?\n/)
      .map((p) => p.trim())
      .filter(Boolean),
  };
}

/** The partner bodies' names of a notice. */
export async function partnerNames(db: Db, noticeId: string, locale: Locale): Promise<string[]> {
  const orgs = await listOrganisationsByIds(db, await partnersOf(db, noticeId));
  return orgs.map((o) => bodyName(o, locale)).sort();
}

/** The actor of a procurement command from a request. */
export function actorOf(
  request: FastifyRequest,
  user: CurrentUser,
  context: AppContext,
): ProcurementActor {
  return {
    user,
    requestId: request.id,
    baseUrl: context.config.baseUrl,
    ocidPrefix: context.config.OCDS_OCID_PREFIX,
  };
}
