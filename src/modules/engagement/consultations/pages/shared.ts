import type { Db } from '../../../../platform/db/database.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { listOrganisationsByIds, type OrganisationRow } from '../../../organisations/index.js';
import type { ConsultationRow } from '../../db/consultation-tables.js';
import { consultationStatus } from '../schema.js';

/** The bodies of some consultations, by id. */
export async function bodiesOf(
  db: Db,
  consultations: Pick<ConsultationRow, 'organisation_id'>[],
): Promise<Map<string, OrganisationRow>> {
  const rows = await listOrganisationsByIds(db, [
    ...new Set(consultations.map((c) => c.organisation_id)),
  ]);
  return new Map(rows.map((o) => [o.id, o]));
}

/** What a page shows of a consultation besides its row: its body's name and where it stands. */
export function consultationView(
  consultation: ConsultationRow,
  bodies: Map<string, OrganisationRow>,
  locale: Locale,
  now: Date,
) {
  const organisation = bodies.get(consultation.organisation_id);
  return {
    ...consultation,
    bodyName:
      (organisation && ((locale === 'cy' && organisation.name_cy) || organisation.name)) ?? '',
    status: consultationStatus(consultation, now),
    paragraphs: consultation.body
      .split(/\r?\n\s*\r?\n/)
      .map((p) => p.trim())
      .filter(Boolean),
  };
}
