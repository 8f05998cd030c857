import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { AgreementRow, EventType, LegalBasis } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** Only `consent` needs the person's tick; the other Article 6 bases are shown as such. */
export function basisNeedsConsent(basis: LegalBasis): boolean {
  return basis === 'consent';
}

/** True when the agreement is in force at `at` and covers this kind of change. */
export function agreementCovers(agreement: AgreementRow, type: EventType, at: Date): boolean {
  return (
    agreement.ended_at === null &&
    new Date(agreement.starts_at).getTime() <= at.getTime() &&
    (agreement.ends_at === null || new Date(agreement.ends_at).getTime() > at.getTime()) &&
    agreement.event_types.includes(type)
  );
}

/** Every agreement, newest first (the admin list). */
export async function listAgreements(db: Db): Promise<AgreementRow[]> {
  return db
    .selectFrom('sharing_agreements')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function findAgreement(db: Db, id: string): Promise<AgreementRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('sharing_agreements').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The agreements in force at `at` for one kind of change, oldest first, so that for a body
 * with more than one the first made is used.
 */
export async function liveAgreements(
  db: Db,
  type: EventType,
  at: Date = new Date(),
): Promise<AgreementRow[]> {
  const rows = await db
    .selectFrom('sharing_agreements')
    .selectAll()
    .where('ended_at', 'is', null)
    .where('starts_at', '<=', at)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .where(sql<boolean>`event_types @> ${JSON.stringify([type])}::jsonb`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows;
}
