import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import {
  IDENTITY_REGISTER_HOLDER,
  maskNino,
  matchedPersonDetails,
  matchPerson,
  type KnownFacts,
} from '../../registers/index.js';
import type { UserRow } from '../db/tables.js';
import { addressFrom, keepVerifiedIdentity, type VerifiedIdentity } from './verified-identity.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** Failed online attempts allowed per account in 24 hours; the next failure locks for 24 hours. */
export const MAX_FAILED_VERIFICATIONS = 3;
/** How long online verification stays locked after too many failures. */
export const VERIFICATION_LOCK_HOURS = 24;
/** An unfinished online verification is forgotten after this long. */
export const JOURNEY_MINUTES = 60;

// ---------------------------------------------------------------------------------------------
// Online: matching known facts against DWP's register

export type OnlineVerification =
  | { outcome: 'matched' }
  | { outcome: 'not-matched'; attemptsLeft: number }
  | { outcome: 'locked'; until: Date };

/** Failed online attempts by this account in the last 24 hours. */
export async function failedVerificationsToday(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('identity_verification_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('matched', '=', false)
    .where(
      'attempted_at',
      '>',
      sql<Date>`now() - make_interval(hours => ${VERIFICATION_LOCK_HOURS})`,
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When online verification is locked for this account, or undefined. */
export async function verificationLockedUntil(db: Db, userId: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('users')
    .select('identity_verification_locked_until as until')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.until && row.until.getTime() > Date.now() ? row.until : undefined;
}

/**
 * Checks a person's known facts against the benefits register and, when all four match,
 * raises their account to P2. At most {@link MAX_FAILED_VERIFICATIONS} failures per account
 * in 24 hours (counted in the database, so across nodes); the third locks online verification
 * for 24 hours. Every attempt is audited with the number masked. The caller opens the
 * transaction.
 *
 * @example const result = await db.transaction().execute((trx) => verifyOnline(trx, actor, user.id, facts));
 */
export async function verifyOnline(
  db: Db,
  actor: Actor,
  userId: string,
  facts: KnownFacts,
): Promise<OnlineVerification> {
  // One attempt at a time per account: a second node waits here, then counts this one.
  const user = await db
    .selectFrom('users')
    .select(['id', 'identity_level', 'identity_verification_locked_until'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const audit = (action: string, details: Record<string, unknown>) =>
    recordAudit(db, actor, {
      action,
      resourceType: 'user',
      resourceId: userId,
      subjectUserId: userId,
      details: { method: 'online-known-facts', ...details },
    });
  const masked = maskNino(facts.nino);
  const lockedUntil = user.identity_verification_locked_until;
  if (lockedUntil && lockedUntil.getTime() > Date.now()) {
    await audit('identity.verification_attempted', { outcome: 'refused-locked', nino: masked });
    return { outcome: 'locked', until: lockedUntil };
  }

  const holder = await findOrganisationBySlug(db, IDENTITY_REGISTER_HOLDER);
  if (!holder) throw new Error(`No organisation '${IDENTITY_REGISTER_HOLDER}' holds the register`);
  const result = await matchPerson(db, { ...facts, heldBy: holder.id });
  await db
    .insertInto('identity_verification_attempts')
    .values({ user_id: userId, matched: result.matched })
    .execute();
  await audit('identity.verification_attempted', {
    outcome: result.matched ? 'matched' : 'not-matched',
    nino: masked,
    register: IDENTITY_REGISTER_HOLDER,
  });

  if (result.matched) {
    // What the register holds (not what was typed) is the identity single sign-on releases.
    const details = await matchedPersonDetails(db, holder.id, result.personId);
    if (!details) throw new Error('A matched register record could not be read');
    await keepVerifiedIdentity(db, userId, 'online-known-facts', {
      givenName: details.givenName,
      familyName: details.familyName,
      birthdate: details.dateOfBirth,
      address: addressFrom(details),
    });
    await db
      .updateTable('users')
      .set({
        identity_level: 'P2',
        identity_verified_at: new Date(),
        identity_method: 'online-known-facts',
      })
      .where('id', '=', userId)
      .execute();
    await audit('identity.verified', { register: IDENTITY_REGISTER_HOLDER });
    return { outcome: 'matched' };
  }

  const failed = await failedVerificationsToday(db, userId);
  if (failed >= MAX_FAILED_VERIFICATIONS) {
    const until = new Date(Date.now() + VERIFICATION_LOCK_HOURS * 3600_000);
    await db
      .updateTable('users')
      .set({ identity_verification_locked_until: until })
      .where('id', '=', userId)
      .execute();
    await audit('identity.verification_locked', { until: until.toISOString(), failures: failed });
    return { outcome: 'locked', until };
  }
  return { outcome: 'not-matched', attemptsLeft: MAX_FAILED_VERIFICATIONS - failed };
}

// ---------------------------------------------------------------------------------------------
// The answers of a journey in progress (kept server-side, deleted when it ends)

export interface VerificationJourney {
  returnTo: string;
  answers: Record<string, string>;
}

/** Starts (or starts again) a person's online verification, coming back to `returnTo`. */
export async function startVerificationJourney(
  db: Db,
  userId: string,
  returnTo: string,
): Promise<void> {
  await db
    .insertInto('identity_verification_journeys')
    .values({ user_id: userId, return_to: returnTo, answers: '{}' })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ return_to: returnTo, answers: '{}', updated_at: new Date() }),
    )
    .execute();
}

/** The journey in progress, or undefined if there is none or it was left too long ago. */
export async function findVerificationJourney(
  db: Db,
  userId: string,
): Promise<VerificationJourney | undefined> {
  const row = await db
    .selectFrom('identity_verification_journeys')
    .select(['return_to', 'answers'])
    .where('user_id', '=', userId)
    .where('updated_at', '>', sql<Date>`now() - make_interval(mins => ${JOURNEY_MINUTES})`)
    .executeTakeFirst();
  return row ? { returnTo: row.return_to, answers: row.answers } : undefined;
}

/** Adds answers to the journey in progress. */
export async function saveVerificationAnswers(
  db: Db,
  userId: string,
  answers: Record<string, string>,
): Promise<void> {
  await db
    .updateTable('identity_verification_journeys')
    .set({ answers: JSON.stringify(answers), updated_at: new Date() })
    .where('user_id', '=', userId)
    .execute();
}

/** Forgets the journey's answers (the typed facts are not kept once it ends). */
export async function endVerificationJourney(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('identity_verification_journeys').where('user_id', '=', userId).execute();
}

// ---------------------------------------------------------------------------------------------
// Face to face: a counter adviser records the documents seen

export const IDENTITY_DOCUMENTS = [
  'passport',
  'driving-licence',
  'biometric-residence-permit',
] as const;
export type IdentityDocument = (typeof IDENTITY_DOCUMENTS)[number];

/** Who may verify a person's identity at a counter: staff holding the counter-adviser role. */
export function mayVerifyFaceToFace(user: CurrentUser | null): boolean {
  return !!user && user.kind === 'staff' && user.roles.includes('counter-adviser');
}

/** A citizen's account found by e-mail at the counter (never a deleted or staff account). */
export async function findCitizenByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .where('kind', '=', 'citizen')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** A citizen's account by id, for the counter pages. */
export async function findCitizenById(db: Db, id: string): Promise<UserRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'citizen')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export interface DocumentSeen {
  type: IdentityDocument;
  /** The last 4 characters of its number: never the whole number. */
  last4: string;
}

/**
 * Reads the counter form: the documents ticked, the last 4 characters of each one's number,
 * and the adviser's confirmation that they saw the person and the documents.
 */
export function readDocumentsSeen(input: {
  documents: string[];
  last4: Partial<Record<IdentityDocument, string>>;
  confirmed: boolean;
}): Outcome<{ documents: DocumentSeen[] }> {
  const errors: FieldError[] = [];
  const ticked = IDENTITY_DOCUMENTS.filter((d) => input.documents.includes(d));
  if (ticked.length === 0)
    errors.push({ field: 'documents', message: 'identity.verify.counter.documents.missing' });
  const documents: DocumentSeen[] = [];
  for (const type of ticked) {
    const last4 = (input.last4[type] ?? '').replace(/\s+/g, '').toUpperCase();
    if (!last4)
      errors.push({
        field: `last4-${type}`,
        message: `identity.verify.counter.last4.missing.${type}`,
      });
    else if (!/^[A-Z0-9]{4}$/.test(last4))
      errors.push({ field: `last4-${type}`, message: 'identity.verify.counter.last4.invalid' });
    else documents.push({ type, last4 });
  }
  if (!input.confirmed)
    errors.push({ field: 'confirmed', message: 'identity.verify.counter.confirmed.missing' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, documents };
}

/**
 * Raises a citizen to P2 on a counter adviser's word: the documents they saw are kept (type
 * and last 4 characters only), with the name, date of birth and address the adviser confirmed
 * from them (the verified identity single sign-on releases), and the audit entry names the
 * adviser as actor and the person as subject. The caller opens the transaction.
 */
export async function verifyFaceToFace(
  db: Db,
  adviser: CurrentUser,
  requestId: string,
  input: { userId: string; documents: DocumentSeen[]; identity: VerifiedIdentity },
): Promise<Outcome<{ user: UserRow }>> {
  if (!mayVerifyFaceToFace(adviser) || !adviser.organisationId)
    return {
      ok: false,
      errors: [{ field: 'documents', message: 'identity.verify.counter.notAllowed' }],
    };
  const person = await findCitizenById(db, input.userId);
  if (!person)
    return {
      ok: false,
      errors: [{ field: 'email', message: 'identity.verify.counter.email.unknown' }],
    };
  await db
    .insertInto('identity_document_checks')
    .values({
      user_id: person.id,
      adviser_user_id: adviser.id,
      organisation_id: adviser.organisationId,
      documents: JSON.stringify(input.documents),
    })
    .execute();
  await keepVerifiedIdentity(db, person.id, 'face-to-face', input.identity);
  const user = await db
    .updateTable('users')
    .set({
      identity_level: 'P2',
      identity_verified_at: new Date(),
      identity_method: 'face-to-face',
    })
    .where('id', '=', person.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(
    db,
    {
      userId: adviser.id,
      organisationId: adviser.organisationId,
      role: 'counter-adviser',
      requestId,
    },
    {
      action: 'identity.verified',
      resourceType: 'user',
      resourceId: person.id,
      subjectUserId: person.id,
      details: { method: 'face-to-face', documents: input.documents },
    },
  );
  return { ok: true, user };
}
