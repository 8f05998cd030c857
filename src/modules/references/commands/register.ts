/**
 * Registering a body's reference for a person or a business, and matching it to an account:
 * only an exact match of every fact links it; anything less waits in the resolution queue.
 */
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { findPeople, findVerifiedIdentity } from '../../identity/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import {
  IDENTITY_REGISTER_HOLDER,
  maskNino,
  matchPerson,
  normaliseName,
} from '../../registers/index.js';
import type {
  BusinessFacts,
  LinkMethod,
  PersonFacts,
  QueueReason,
  RecordStatus,
  ReferenceRecordRow,
} from '../db/tables.js';
import { BUSINESS_SCHEMES } from '../validation/identifiers.js';
import { identitySetRow, keepIdentityFacts } from '../queries/identity-set.js';

/** What matching found for the facts a body told. */
export type MatchOutcome =
  | { status: 'linked'; userId: string; ninoConfirmedBy?: 'register' }
  | { status: 'queued'; reason: QueueReason; candidate: string | null }
  | { status: 'unmatched' };

/** Whether two names are the same once case, spaces and accents are set aside (no fuzziness). */
const sameName = (a: string, b: string) => normaliseName(a) === normaliseName(b);

/** Accounts whose proved identity has exactly these names and date of birth (and postcode, if given). */
async function accountsWith(
  db: Db,
  facts: PersonFacts,
  { postcode }: { postcode: boolean },
): Promise<string[]> {
  const found = await findPeople(db, {
    birthdate: facts.dateOfBirth,
    ...(postcode ? { postcode: facts.postcode } : {}),
  });
  const exact: string[] = [];
  for (const person of found) {
    const identity = await findVerifiedIdentity(db, person.userId);
    if (
      identity &&
      identity.birthdate === facts.dateOfBirth &&
      (!postcode || identity.address.postcode === facts.postcode) &&
      sameName(identity.givenName, facts.givenName) &&
      sameName(identity.familyName, facts.familyName)
    )
      exact.push(person.userId);
  }
  return exact;
}

/**
 * Matches a person's facts to an account: linked only when the names, date of birth and
 * postcode equal one account's proved identity and the National Insurance number is that
 * account's (known to the index, or confirmed now by the benefits register against the same
 * facts). A UPRN, when both sides know one, must agree too. Anything less is queued with why.
 */
export async function matchPersonFacts(db: Db, facts: PersonFacts): Promise<MatchOutcome> {
  const ninoOwner = await db
    .selectFrom('reference_identity_sets')
    .select('user_id')
    .where('nino', '=', facts.nino)
    .executeTakeFirst();
  const exact = await accountsWith(db, facts, { postcode: true });
  if (exact.length > 1) return { status: 'queued', reason: 'several-matches', candidate: null };
  if (exact.length === 1) {
    const userId = exact[0]!;
    if (ninoOwner && ninoOwner.user_id !== userId)
      return { status: 'queued', reason: 'claimed-elsewhere', candidate: userId };
    const set = await identitySetRow(db, userId);
    if (set?.nino && set.nino !== facts.nino)
      return { status: 'queued', reason: 'nino-differs', candidate: userId };
    if (set?.uprn && facts.uprn && set.uprn !== facts.uprn)
      return { status: 'queued', reason: 'partial-match', candidate: userId };
    if (set?.nino === facts.nino) return { status: 'linked', userId };
    const register = await findOrganisationBySlug(db, IDENTITY_REGISTER_HOLDER);
    const confirmed = register
      ? await matchPerson(db, { ...facts, heldBy: register.id })
      : { matched: false };
    return confirmed.matched
      ? { status: 'linked', userId, ninoConfirmedBy: 'register' }
      : { status: 'queued', reason: 'nino-unconfirmed', candidate: userId };
  }
  if (ninoOwner) return { status: 'queued', reason: 'partial-match', candidate: ninoOwner.user_id };
  const moved = await accountsWith(db, facts, { postcode: false });
  if (moved.length === 1)
    return { status: 'queued', reason: 'partial-match', candidate: moved[0]! };
  if (moved.length > 1) return { status: 'queued', reason: 'several-matches', candidate: null };
  return { status: 'unmatched' };
}

/** Matches a business's numbers to the business account that holds them, if exactly one does. */
export async function matchBusinessFacts(
  db: Db,
  facts: BusinessFacts,
): Promise<
  | { status: 'linked'; businessId: string }
  | { status: 'queued'; reason: QueueReason; candidate: string | null }
  | { status: 'unmatched' }
> {
  const pairs = BUSINESS_SCHEMES.filter((s) => facts[s]).map((s) => ({
    scheme: s,
    value: facts[s]!,
  }));
  if (pairs.length === 0) return { status: 'unmatched' };
  const rows = await db
    .selectFrom('reference_business_numbers')
    .select(['business_id', 'scheme', 'value'])
    .where((eb) =>
      eb.or(pairs.map((p) => eb.and([eb('scheme', '=', p.scheme), eb('value', '=', p.value)]))),
    )
    .execute();
  const businesses = [...new Set(rows.map((r) => r.business_id))];
  if (businesses.length === 0) return { status: 'unmatched' };
  if (businesses.length > 1)
    return { status: 'queued', reason: 'claimed-elsewhere', candidate: null };
  // Every number the business holds for a scheme the body told must agree with it.
  const held = await db
    .selectFrom('reference_business_numbers')
    .select(['scheme', 'value'])
    .where('business_id', '=', businesses[0]!)
    .execute();
  const disagrees = held.some((h) => facts[h.scheme] && facts[h.scheme] !== h.value);
  return disagrees
    ? { status: 'queued', reason: 'partial-match', candidate: businesses[0]! }
    : { status: 'linked', businessId: businesses[0]! };
}

export interface Registration {
  organisationId: string;
  reference: string;
  registeredByUser?: string | null;
  registeredByKey?: string | null;
}

export type Registered = { record: ReferenceRecordRow; created: boolean };

/** One registration of a body's reference at a time, across nodes (until the transaction ends). */
async function lockReference(db: Db, organisationId: string, reference: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${`references:${organisationId}:${reference}`}))`.execute(
    db,
  );
}

/** The record a body's reference stands for now (linked), if any. */
async function linkedRecord(
  db: Db,
  organisationId: string,
  subject: 'person' | 'business',
  reference: string,
) {
  return db
    .selectFrom('reference_records')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('subject', '=', subject)
    .where('reference', '=', reference)
    .where('status', '=', 'linked')
    .executeTakeFirst();
}

/** Ends the body's earlier unlinked registrations of a reference: the new one replaces them. */
async function replaceUnlinked(
  db: Db,
  actor: Actor,
  organisationId: string,
  subject: 'person' | 'business',
  reference: string,
) {
  const replaced = await db
    .updateTable('reference_records')
    .set({ status: 'ended', queue_reason: null, updated_at: new Date() })
    .where('organisation_id', '=', organisationId)
    .where('subject', '=', subject)
    .where('reference', '=', reference)
    .where('status', 'in', ['queued', 'unmatched'])
    .returning(['id', 'candidate_user_id'])
    .execute();
  for (const row of replaced)
    await recordAudit(db, actor, {
      action: 'references.record.replaced',
      resourceType: 'reference_record',
      resourceId: row.id,
      subjectUserId: row.candidate_user_id,
      details: { reference },
    });
}

/**
 * Registers a body's reference for a person from the facts it holds (already read into normal
 * forms): links it when they match one account exactly, queues it when they match partly or
 * disagree with what is linked already, and keeps it unmatched otherwise. Registering the
 * same reference for the same person again changes nothing. The caller opens the transaction.
 *
 * @example await db.transaction().execute((trx) => registerPersonReference(trx, actor, { organisationId, reference: 'CT-1' }, facts));
 */
export async function registerPersonReference(
  db: Db,
  actor: Actor,
  registration: Registration,
  facts: PersonFacts,
): Promise<Registered> {
  const { organisationId, reference } = registration;
  await lockReference(db, organisationId, reference);
  const match = await matchPersonFacts(db, facts);
  const existing = await linkedRecord(db, organisationId, 'person', reference);
  if (existing && match.status === 'linked' && existing.user_id === match.userId)
    return { record: existing, created: false };
  await replaceUnlinked(db, actor, organisationId, 'person', reference);

  let status: RecordStatus = match.status;
  let reason: QueueReason | null = match.status === 'queued' ? match.reason : null;
  const candidate: string | null =
    match.status === 'queued' ? match.candidate : match.status === 'linked' ? match.userId : null;
  if (existing) {
    // The body already holds this reference for someone else: a person decides which is right.
    status = 'queued';
    reason = 'reference-conflict';
  }
  const linked = status === 'linked' && match.status === 'linked';
  const record = await db
    .insertInto('reference_records')
    .values({
      organisation_id: organisationId,
      subject: 'person',
      reference,
      status,
      user_id: linked ? match.userId : null,
      link_method: linked ? ('known-facts' satisfies LinkMethod) : null,
      facts: JSON.stringify(facts),
      queue_reason: reason,
      candidate_user_id: linked ? null : candidate,
      registered_by_user: registration.registeredByUser ?? null,
      registered_by_key: registration.registeredByKey ?? null,
      linked_at: linked ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (linked)
    await keepIdentityFacts(db, match.userId, {
      nino: facts.nino,
      ninoConfirmedBy: match.ninoConfirmedBy ?? null,
      uprn: facts.uprn ?? null,
    });
  await recordAudit(db, actor, {
    action: linked ? 'references.record.linked' : 'references.record.registered',
    resourceType: 'reference_record',
    resourceId: record.id,
    subjectUserId: linked ? match.userId : null,
    details: {
      reference,
      status,
      queueReason: reason,
      method: linked ? 'known-facts' : null,
      nino: maskNino(facts.nino),
      ...(existing ? { conflictsWith: existing.id } : {}),
      ...(candidate && !linked ? { candidate } : {}),
    },
  });
  return { record, created: true };
}

/**
 * Registers a body's reference for a business from its numbers (already validated): linked to
 * the business account that holds those numbers, when exactly one does and none disagrees.
 */
export async function registerBusinessReference(
  db: Db,
  actor: Actor,
  registration: Registration,
  facts: BusinessFacts,
): Promise<Registered> {
  const { organisationId, reference } = registration;
  await lockReference(db, organisationId, reference);
  const match = await matchBusinessFacts(db, facts);
  const existing = await linkedRecord(db, organisationId, 'business', reference);
  if (existing && match.status === 'linked' && existing.business_id === match.businessId)
    return { record: existing, created: false };
  await replaceUnlinked(db, actor, organisationId, 'business', reference);
  const linked = !existing && match.status === 'linked';
  const reason: QueueReason | null = existing
    ? 'reference-conflict'
    : match.status === 'queued'
      ? match.reason
      : null;
  const status: RecordStatus = linked ? 'linked' : reason ? 'queued' : 'unmatched';
  const candidate =
    match.status === 'linked'
      ? match.businessId
      : match.status === 'queued'
        ? match.candidate
        : null;
  const record = await db
    .insertInto('reference_records')
    .values({
      organisation_id: organisationId,
      subject: 'business',
      reference,
      status,
      business_id: linked ? candidate : null,
      link_method: linked ? 'known-facts' : null,
      facts: JSON.stringify(facts),
      queue_reason: reason,
      candidate_business_id: linked ? null : candidate,
      registered_by_user: registration.registeredByUser ?? null,
      registered_by_key: registration.registeredByKey ?? null,
      linked_at: linked ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: linked ? 'references.record.linked' : 'references.record.registered',
    resourceType: 'reference_record',
    resourceId: record.id,
    subjectUserId: null,
    details: { reference, subject: 'business', status, queueReason: reason, businessId: candidate },
  });
  return { record, created: true };
}
