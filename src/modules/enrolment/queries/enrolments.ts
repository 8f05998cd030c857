import type { Db } from '../../../platform/db/database.js';
import type { EnrolableService } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** A register a person can enrol into: one body's records of one service. */
export interface EnrolableRegister {
  organisationId: string;
  organisationSlug: string;
  organisationName: string;
  organisationNameCy: string | null;
  service: EnrolableService;
}

/** Every register that holds at least one record, by body then service. */
export async function enrolableRegisters(db: Db): Promise<EnrolableRegister[]> {
  const rows = await db
    .selectFrom('enrolment_records as r')
    .innerJoin('organisations as o', 'o.id', 'r.held_by')
    .select([
      'o.id as organisationId',
      'o.slug as organisationSlug',
      'o.name as organisationName',
      'o.name_cy as organisationNameCy',
      'r.service',
    ])
    .distinct()
    .orderBy('o.name')
    .orderBy('r.service')
    .execute();
  return rows;
}

/** One register by the body's slug and the service, or undefined. */
export async function findRegister(
  db: Db,
  organisationSlug: string,
  service: string,
): Promise<EnrolableRegister | undefined> {
  return (await enrolableRegisters(db)).find(
    (r) => r.organisationSlug === organisationSlug && r.service === service,
  );
}

/** An enrolment (a person's or a business's) with what the pages and other modules need to show it. */
export interface EnrolmentView {
  id: string;
  /** The person who enrolled, or for a business the member who asked. */
  userId: string;
  /** Null for a person's own enrolment. */
  businessAccountId: string | null;
  status: 'pending' | 'active';
  service: EnrolableService;
  reference: string;
  organisationId: string;
  organisationName: string;
  organisationNameCy: string | null;
  requestedAt: Date;
  codeExpiresAt: Date;
  activatedAt: Date | null;
}

function allEnrolments(db: Db) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('enrolment_records as r', 'r.id', 'e.record_id')
    .innerJoin('organisations as o', 'o.id', 'r.held_by')
    .select([
      'e.id',
      'e.user_id as userId',
      'e.business_account_id as businessAccountId',
      'e.status',
      'r.service',
      'r.reference',
      'o.id as organisationId',
      'o.name as organisationName',
      'o.name_cy as organisationNameCy',
      'e.requested_at as requestedAt',
      'e.code_expires_at as codeExpiresAt',
      'e.activated_at as activatedAt',
    ]);
}

/** A person's own enrolments; those they asked for on a business's behalf are the business's. */
function enrolmentsOf(db: Db, userId: string) {
  return allEnrolments(db)
    .where('e.user_id', '=', userId)
    .where('e.business_account_id', 'is', null);
}

function businessEnrolmentsOf(db: Db, businessAccountId: string) {
  return allEnrolments(db).where('e.business_account_id', '=', businessAccountId);
}

/** A person's enrolments, active and pending, newest first. */
export async function listEnrolments(db: Db, userId: string): Promise<EnrolmentView[]> {
  return enrolmentsOf(db, userId).orderBy('e.requested_at', 'desc').orderBy('e.id').execute();
}

/**
 * The services a person has proved they hold a record in: what the personal home page and
 * other modules may rely on.
 *
 * @example const councilTax = (await activeEnrolments(db, user.id)).find((e) => e.service === 'council-tax');
 */
export async function activeEnrolments(db: Db, userId: string): Promise<EnrolmentView[]> {
  return enrolmentsOf(db, userId)
    .where('e.status', '=', 'active')
    .orderBy('e.activated_at', 'desc')
    .execute();
}

/** A business account's enrolments, active and pending, newest first. */
export async function listBusinessEnrolments(
  db: Db,
  businessAccountId: string,
): Promise<EnrolmentView[]> {
  if (!isUuid(businessAccountId)) return [];
  return businessEnrolmentsOf(db, businessAccountId)
    .orderBy('e.requested_at', 'desc')
    .orderBy('e.id')
    .execute();
}

/**
 * The services a business account has proved it holds a record in (activated by one of its
 * administrators with the code posted to the registered business address).
 *
 * @example const rates = (await activeBusinessEnrolments(db, businessId)).filter((e) => e.service === 'business-rates');
 */
export async function activeBusinessEnrolments(
  db: Db,
  businessAccountId: string,
): Promise<EnrolmentView[]> {
  if (!isUuid(businessAccountId)) return [];
  return businessEnrolmentsOf(db, businessAccountId)
    .where('e.status', '=', 'active')
    .orderBy('e.activated_at', 'desc')
    .execute();
}

/** Any enrolment by id, a person's or a business's, for the caller to check who may see it. */
export async function findAnyEnrolment(db: Db, id: string): Promise<EnrolmentView | undefined> {
  if (!isUuid(id)) return undefined;
  return allEnrolments(db).where('e.id', '=', id).executeTakeFirst();
}

/** One of a person's own enrolments, or undefined if it is not theirs or does not exist. */
export async function findEnrolment(
  db: Db,
  userId: string,
  id: string,
): Promise<EnrolmentView | undefined> {
  if (!isUuid(id)) return undefined;
  return enrolmentsOf(db, userId).where('e.id', '=', id).executeTakeFirst();
}

/**
 * The person whose own active enrolment links them to the body's record with this reference,
 * or undefined: how a body ties its record to a person exactly (tell us once), never by
 * guessing from a name.
 */
export async function findEnrolledPerson(
  db: Db,
  organisationId: string,
  reference: string,
): Promise<{ userId: string; enrolmentId: string } | undefined> {
  const row = await db
    .selectFrom('enrolments as e')
    .innerJoin('enrolment_records as r', 'r.id', 'e.record_id')
    .select(['e.user_id as userId', 'e.id as enrolmentId'])
    .where('r.held_by', '=', organisationId)
    .where('r.reference', '=', reference)
    .where('e.status', '=', 'active')
    .where('e.business_account_id', 'is', null)
    .executeTakeFirst();
  return row;
}

/**
 * The people actively enrolled with a body's record of this reference (a Council Tax account
 * number …), at any body: for a contact centre adviser finding the caller.
 */
export async function findPeopleByEnrolmentReference(db: Db, reference: string): Promise<string[]> {
  const rows = await db
    .selectFrom('enrolments as e')
    .innerJoin('enrolment_records as r', 'r.id', 'e.record_id')
    .select('e.user_id')
    .where('r.reference', '=', reference)
    .where('e.status', '=', 'active')
    .where('e.business_account_id', 'is', null)
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}
