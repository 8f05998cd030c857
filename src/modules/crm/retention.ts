/**
 * Retention of the contact log: by default 24 months after the contact, a contact centre's
 * record of a call or visit (and any call-back promised in it) is deleted; so is its record of
 * the questions an adviser asked to confirm a caller's identity, 24 months after the check.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type {
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../platform/http/types.js';
import { deleteRecords } from '../../platform/db/records.js';
import { uuidAsTyped } from '../../platform/validation/uuid.js';

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('crm_contacts')
    .select(['id', 'customer_user_id as personId'])
    .where('contact_centre_id', '=', query.organisationId)
    .where('created_at', '<=', query.cutoff);
  if (query.heldPersonIds.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('customer_user_id', 'is', null),
        eb('customer_user_id', 'not in', [...query.heldPersonIds]),
      ]),
    );
  if (query.heldRecordIds.length > 0)
    select = select.where('id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select
      .where(sql<string>`id::text`, 'not in', [...query.heldReferences])
      .where((eb) =>
        eb.or([
          eb('application_reference', 'is', null),
          eb('application_reference', 'not in', [...query.heldReferences]),
        ]),
      );
  return select
    .orderBy('created_at')
    .orderBy('id')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

async function dispose(trx: Db, _action: string, ids: readonly string[]): Promise<number> {
  // Call-backs go with their contact (on delete cascade).
  return deleteRecords(trx, 'crm_contacts', ids);
}

async function resolve(db: Db, organisationId: string, identifier: string) {
  const id = uuidAsTyped(identifier);
  if (!id) return undefined;
  const row = await db
    .selectFrom('crm_contacts')
    .select('id')
    .where('contact_centre_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { id: row.id, reference: row.id } : undefined;
}

/** The `crm-contact` record type, for the crm module's manifest. */
export const contactRetention: RetentionRecordType = {
  key: 'crm-contact',
  title: 'crm.retention.title',
  clockStarts: 'crm.retention.clock',
  defaultMonths: 24,
  minMonths: 1,
  maxMonths: 120,
  defaultAction: 'delete',
  actions: ['delete'],
  findDue,
  dispose,
  resolve,
};

async function findDueChecks(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('crm_identity_checks')
    .select(['id', 'customer_user_id as personId'])
    .where('contact_centre_id', '=', query.organisationId)
    .where('checked_at', '<=', query.cutoff);
  if (query.heldPersonIds.length > 0)
    select = select.where('customer_user_id', 'not in', [...query.heldPersonIds]);
  if (query.heldRecordIds.length > 0)
    select = select.where('id', 'not in', [...query.heldRecordIds]);
  return select
    .orderBy('checked_at')
    .orderBy('id')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

async function disposeChecks(trx: Db, _action: string, ids: readonly string[]) {
  return deleteRecords(trx, 'crm_identity_checks', ids);
}

async function resolveCheck(db: Db, organisationId: string, identifier: string) {
  const id = uuidAsTyped(identifier);
  if (!id) return undefined;
  const row = await db
    .selectFrom('crm_identity_checks')
    .select('id')
    .where('contact_centre_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { id: row.id, reference: row.id } : undefined;
}

/**
 * The `crm-identity-check` record type. An adviser assists a customer only on a check of the last
 * hour, so an older one is only the record that the questions were asked; it goes after 24
 * months by default, as the contact log does.
 */
export const identityCheckRetention: RetentionRecordType = {
  key: 'crm-identity-check',
  title: 'crm.retention.checks.title',
  clockStarts: 'crm.retention.checks.clock',
  defaultMonths: 24,
  minMonths: 1,
  maxMonths: 120,
  defaultAction: 'delete',
  actions: ['delete'],
  findDue: findDueChecks,
  dispose: disposeChecks,
  resolve: resolveCheck,
};
