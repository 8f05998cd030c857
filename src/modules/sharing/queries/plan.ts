import type { Db } from '../../../platform/db/database.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import type { AgreementRow, EventType } from '../db/tables.js';
import { toldByRelationship } from '../events.js';
import { basisNeedsConsent, liveAgreements } from './agreements.js';
import { relationshipsOf } from './relationships.js';

/** One body a change would go to (or could not), as the person is shown it before sending. */
export interface PlannedRecipient {
  organisationId: string;
  organisationName: string;
  organisationNameCy: string | null;
  /** The agreement it would be sent under; null when there is none (it is not sent). */
  agreement: AgreementRow | null;
  needsConsent: boolean;
  bodyReference: string | null;
}

/**
 * Which bodies a change of this kind would be told, worked out again at every step and at
 * submission (never trusted from the form): the person's bodies that have a live agreement
 * covering the change (and those that have none, shown as not told), or for a death every
 * body with a live agreement for deaths.
 */
export async function planRecipients(
  db: Db,
  userId: string,
  type: EventType,
  at: Date = new Date(),
): Promise<PlannedRecipient[]> {
  const agreements = await liveAgreements(db, type, at);
  const agreementOf = new Map<string, AgreementRow>();
  for (const agreement of agreements)
    if (!agreementOf.has(agreement.organisation_id))
      agreementOf.set(agreement.organisation_id, agreement);
  const candidates: { organisationId: string; bodyReference: string | null }[] = toldByRelationship(
    type,
  )
    ? (await relationshipsOf(db, userId)).map((r) => ({
        organisationId: r.organisationId,
        bodyReference: r.bodyReference,
      }))
    : [...agreementOf.keys()].map((organisationId) => ({ organisationId, bodyReference: null }));
  const organisations = new Map(
    (
      await listOrganisationsByIds(
        db,
        candidates.map((c) => c.organisationId),
      )
    ).map((o) => [o.id, o]),
  );
  return candidates
    .map((candidate) => {
      const organisation = organisations.get(candidate.organisationId);
      const agreement = agreementOf.get(candidate.organisationId) ?? null;
      return {
        organisationId: candidate.organisationId,
        organisationName: organisation?.name ?? '',
        organisationNameCy: organisation?.name_cy ?? null,
        agreement,
        needsConsent: !!agreement && basisNeedsConsent(agreement.legal_basis),
        bodyReference: candidate.bodyReference,
      };
    })
    .sort((a, b) => a.organisationName.localeCompare(b.organisationName));
}
