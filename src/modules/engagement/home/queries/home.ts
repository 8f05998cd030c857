/** What the engagement home reads: national bodies, open petitions to some bodies, subscriptions. */
import type { Db } from '../../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../../platform/http/types.js';
import { findUserById } from '../../../identity/index.js';
import {
  listOrganisations,
  listOrganisationsByIds,
  type OrganisationRow,
} from '../../../organisations/index.js';
import { ukToday } from '../../../../platform/validation/validators.js';
import type { ConsultationRow } from '../../db/consultation-tables.js';
import type { PetitionRow } from '../../db/tables.js';

/** Whether a body's area is the whole country: central departments and executive agencies. */
export function isNationalBody(organisation: Pick<OrganisationRow, 'type'>): boolean {
  return organisation.type === 'central-department' || organisation.type === 'executive-agency';
}

/** The bodies whose area is the whole country. */
export async function nationalBodies(db: Db): Promise<OrganisationRow[]> {
  return (await listOrganisations(db)).filter(isNationalBody);
}

/** Petitions open to signatures now to any of `organisationIds`, newest first. */
export async function openPetitionsTo(
  db: Db,
  organisationIds: readonly string[],
  now: Date,
  limit = 50,
): Promise<PetitionRow[]> {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('petitions')
    .selectAll()
    .where('state', '=', 'open')
    .where('closes_at', '>', now)
    .where('organisation_id', 'in', [...new Set(organisationIds)])
    .orderBy('published_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Consultations taking responses on `now`'s London day (not withdrawn), closing soonest first. */
export async function openConsultations(db: Db, now: Date): Promise<ConsultationRow[]> {
  const today = ukToday(now);
  return db
    .selectFrom('consultations')
    .selectAll()
    .where('opens_on', '<=', today)
    .where('closes_on', '>=', today)
    .where('withdrawn_at', 'is', null)
    .orderBy('closes_on')
    .orderBy('published_at', 'desc')
    .limit(500)
    .execute();
}

/** Whether a consultation's area is the whole country (it lists no postcode districts). */
export function isNationalConsultation(consultation: Pick<ConsultationRow, 'area_districts'>) {
  return consultation.area_districts.length === 0;
}

/**
 * Whether a consultation concerns a place: its area lists the postcode's district, or it is by
 * one of the bodies serving the postcode (a council asking its whole area).
 */
export function consultsNear(
  consultation: Pick<ConsultationRow, 'area_districts' | 'organisation_id'>,
  district: string,
  localBodies: readonly string[],
): boolean {
  return (
    consultation.area_districts.includes(district) ||
    localBodies.includes(consultation.organisation_id)
  );
}

const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null);

/** The subscriptions made with the account's e-mail address, for the person's "My data". */
export async function subscriptionsPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const account = await findUserById(db, userId);
  const rows = account
    ? await db
        .selectFrom('engagement_subscriptions')
        .select([
          'email',
          'kind',
          'organisation_id',
          'topic',
          'district',
          'language',
          'created_at',
          'confirmed_at',
        ])
        .where('email', '=', account.email.trim().toLowerCase())
        .orderBy('created_at')
        .execute()
    : [];
  const bodies = new Map(
    (
      await listOrganisationsByIds(
        db,
        rows.flatMap((r) => (r.organisation_id ? [r.organisation_id] : [])),
      )
    ).map((o) => [o.id, o.name]),
  );
  return [
    {
      key: 'petitionSubscriptions',
      title: 'engagement.personalData.subscriptions',
      rows: rows.map((r) => ({
        email: r.email,
        to: r.kind,
        topic: r.topic,
        body: r.organisation_id ? (bodies.get(r.organisation_id) ?? null) : null,
        area: r.district ?? 'national',
        language: r.language,
        subscribedAt: iso(r.created_at),
        confirmedAt: iso(r.confirmed_at),
      })),
    },
  ];
}
