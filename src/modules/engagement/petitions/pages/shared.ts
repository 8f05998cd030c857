import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import type { CurrentUser } from '../../../../platform/http/types.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { listOrganisationsByIds, type OrganisationRow } from '../../../organisations/index.js';
import type { PetitionRow } from '../../db/tables.js';
import { districtCounts } from '../queries/petitions.js';
import { closingDay, petitionStage, petitionStatus } from '../rules.js';

/** The signed-in person as the audit log records them. */
export function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.kind,
    requestId: request.id,
  };
}

/** A body's name in the reader's language. */
export function bodyName(organisation: OrganisationRow | undefined, locale: Locale): string {
  if (!organisation) return '';
  return (locale === 'cy' && organisation.name_cy) || organisation.name;
}

/** The bodies of some petitions, by id. */
export async function bodiesOf(
  db: Db,
  petitions: Pick<PetitionRow, 'organisation_id'>[],
): Promise<Map<string, OrganisationRow>> {
  const rows = await listOrganisationsByIds(db, [
    ...new Set(petitions.map((p) => p.organisation_id)),
  ]);
  return new Map(rows.map((o) => [o.id, o]));
}

/** A count as people read it: "1,234". */
export function formatCount(n: number | null): string {
  return n === null ? '' : n.toLocaleString('en-GB');
}

/** What a list of petitions shows of each. */
export function petitionSummary(
  petition: PetitionRow,
  bodies: Map<string, OrganisationRow>,
  locale: Locale,
  now: Date,
) {
  return {
    id: petition.id,
    title: petition.title,
    body: bodyName(bodies.get(petition.organisation_id), locale),
    status: petitionStatus(petition, now),
    stage: petitionStage(petition),
    count: petition.signature_count,
    countText: formatCount(petition.signature_count),
    closingDay: petition.closes_at ? closingDay(petition.closes_at) : null,
    rejectionReason: petition.rejection_reason,
    rejectionDetail: petition.rejection_detail,
    held: petition.held_reasons,
    createdAt: petition.created_at,
  };
}

/** Bars of the chart of signatures by district: widths as per cent of the largest count. */
export interface DistrictBar {
  district: string;
  count: number;
  width: number;
  y: number;
}

export const BAR_HEIGHT = 28;
/** At most this many districts in the chart; the table lists all of them. */
export const CHART_DISTRICTS = 20;

/** Signatures by district, for the table (all) and the chart (the largest 20). */
export async function districtView(db: Db, petitionId: string) {
  const districts = await districtCounts(db, petitionId);
  const largest = Math.max(1, ...districts.map((d) => d.count));
  const bars: DistrictBar[] = districts.slice(0, CHART_DISTRICTS).map((d, i) => ({
    ...d,
    width: Math.max(0.5, Math.round((d.count / largest) * 1000) / 10),
    y: i * BAR_HEIGHT,
  }));
  return { districts, bars, chartHeight: Math.max(1, bars.length) * BAR_HEIGHT };
}
