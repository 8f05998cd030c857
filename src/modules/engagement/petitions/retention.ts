/**
 * Retention of petition signatures: by default 12 months after the petition closed, a
 * signature is anonymised. Its name, e-mail address, full postcode, IP address and account
 * link go; its district and its confirmation stay, so the petition's counts by area stand.
 */
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import { uuidAsTyped } from '../../../platform/validation/uuid.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../../platform/http/types.js';

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('petition_signatures')
    .innerJoin('petitions', 'petitions.id', 'petition_signatures.petition_id')
    .select(['petition_signatures.id', 'petition_signatures.user_id as personId'])
    .where('petitions.organisation_id', '=', query.organisationId)
    .where('petitions.closes_at', '<=', query.cutoff)
    .where('petition_signatures.anonymised_at', 'is', null);
  if (query.heldPersonIds.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('petition_signatures.user_id', 'is', null),
        eb('petition_signatures.user_id', 'not in', [...query.heldPersonIds]),
      ]),
    );
  if (query.heldPersonEmails.length > 0)
    select = select.where('petition_signatures.email', 'not in', [...query.heldPersonEmails]);
  if (query.heldRecordIds.length > 0)
    select = select.where('petition_signatures.id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select.where(sql<string>`petition_signatures.id::text`, 'not in', [
      ...query.heldReferences,
    ]);
  return select
    .orderBy('petitions.closes_at')
    .orderBy('petition_signatures.id')
    .limit(query.limit)
    .forUpdate('petition_signatures')
    .skipLocked()
    .execute();
}

async function dispose(trx: Db, _action: string, ids: readonly string[], now: Date) {
  if (ids.length === 0) return 0;
  const updated = await trx
    .updateTable('petition_signatures')
    .set({
      name: '—',
      email: sql<string>`'anonymised-' || id::text`,
      postcode: sql<string>`district`,
      ip_address: '',
      user_id: null,
      token_hash: sql<string>`'anonymised-' || id::text`,
      anonymised_at: now,
    })
    .where('id', 'in', [...ids])
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

async function resolve(db: Db, organisationId: string, identifier: string) {
  const id = uuidAsTyped(identifier);
  if (!id) return undefined;
  const row = await db
    .selectFrom('petition_signatures')
    .innerJoin('petitions', 'petitions.id', 'petition_signatures.petition_id')
    .select(['petition_signatures.id'])
    .where('petitions.organisation_id', '=', organisationId)
    .where('petition_signatures.id', '=', id)
    .executeTakeFirst();
  return row ? { id: row.id, reference: row.id } : undefined;
}

/** The `petition-signature` record type, for the engagement module's manifest. */
export const petitionSignatureRetention: RetentionRecordType = {
  key: 'petition-signature',
  title: 'petitions.retention.title',
  clockStarts: 'petitions.retention.clock',
  anonymiseKeeps: 'petitions.retention.keeps',
  defaultMonths: 12,
  minMonths: 1,
  maxMonths: 84,
  defaultAction: 'anonymise',
  actions: ['anonymise'],
  findDue,
  dispose,
  resolve,
};
