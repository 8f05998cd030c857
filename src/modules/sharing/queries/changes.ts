import type { Db } from '../../../platform/db/database.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import type { AgreementRow, ChangeRow, ConsentRow, DeliveryRow, DraftRow } from '../db/tables.js';

/** A person's changes, newest first. */
export async function changesOf(db: Db, userId: string): Promise<ChangeRow[]> {
  return db
    .selectFrom('sharing_changes')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('submitted_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function findChangeByReference(
  db: Db,
  reference: string,
): Promise<ChangeRow | undefined> {
  return db
    .selectFrom('sharing_changes')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirst();
}

export async function findChangeById(db: Db, id: string): Promise<ChangeRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return db.selectFrom('sharing_changes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A delivery with its body's names and the agreement's purpose, for the status page. */
export interface DeliveryView extends DeliveryRow {
  organisationName: string;
  organisationNameCy: string | null;
  agreement: AgreementRow | null;
}

/** Each body's delivery of a change, by body name. */
export async function deliveriesOf(db: Db, changeId: string): Promise<DeliveryView[]> {
  const rows = await db
    .selectFrom('sharing_deliveries')
    .selectAll()
    .where('change_id', '=', changeId)
    .execute();
  const organisations = new Map(
    (
      await listOrganisationsByIds(
        db,
        rows.map((r) => r.organisation_id),
      )
    ).map((o) => [o.id, o]),
  );
  const agreementIds = rows.map((r) => r.agreement_id).filter((id): id is string => !!id);
  const agreements = new Map(
    agreementIds.length
      ? (
          await db
            .selectFrom('sharing_agreements')
            .selectAll()
            .where('id', 'in', agreementIds)
            .execute()
        ).map((a) => [a.id, a])
      : [],
  );
  return rows
    .map((row) => ({
      ...row,
      organisationName: organisations.get(row.organisation_id)?.name ?? '',
      organisationNameCy: organisations.get(row.organisation_id)?.name_cy ?? null,
      agreement: row.agreement_id ? (agreements.get(row.agreement_id) ?? null) : null,
    }))
    .sort((a, b) => a.organisationName.localeCompare(b.organisationName));
}

/** A consent with the agreement it was given to and the body's names. */
export interface ConsentView extends ConsentRow {
  agreement: AgreementRow;
  organisationName: string;
  organisationNameCy: string | null;
}

/** A person's consents, live first, then newest first. */
export async function consentsOf(db: Db, userId: string): Promise<ConsentView[]> {
  const consents = await db
    .selectFrom('sharing_consents')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('given_at', 'desc')
    .orderBy('id')
    .execute();
  if (consents.length === 0) return [];
  const agreements = new Map(
    (
      await db
        .selectFrom('sharing_agreements')
        .selectAll()
        .where(
          'id',
          'in',
          consents.map((c) => c.agreement_id),
        )
        .execute()
    ).map((a) => [a.id, a]),
  );
  const organisations = new Map(
    (
      await listOrganisationsByIds(
        db,
        [...agreements.values()].map((a) => a.organisation_id),
      )
    ).map((o) => [o.id, o]),
  );
  return consents
    .map((consent) => {
      const agreement = agreements.get(consent.agreement_id)!;
      const organisation = organisations.get(agreement.organisation_id);
      return {
        ...consent,
        agreement,
        organisationName: organisation?.name ?? '',
        organisationNameCy: organisation?.name_cy ?? null,
      };
    })
    .sort((a, b) => Number(a.withdrawn_at !== null) - Number(b.withdrawn_at !== null));
}

/** Death reports waiting for staff to check them, oldest first. */
export async function heldChanges(db: Db): Promise<ChangeRow[]> {
  return db
    .selectFrom('sharing_changes')
    .selectAll()
    .where('status', '=', 'held')
    .orderBy('submitted_at')
    .execute();
}

export async function findDraft(db: Db, userId: string): Promise<DraftRow | undefined> {
  return db
    .selectFrom('sharing_drafts')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
}
