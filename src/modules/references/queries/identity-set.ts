import type { Db } from '../../../platform/db/database.js';
import { findVerifiedIdentity } from '../../identity/index.js';

/**
 * The basic identity set the index shares about a person, and nothing more: name, date of
 * birth, address with UPRN (when known) and National Insurance number (when confirmed).
 */
export interface IdentitySet {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  address: { lines: string[]; town: string; postcode: string; uprn: string | null };
  /** Compact, "JG103759A"; null until a register, the person or a staff check confirmed it. */
  nino: string | null;
}

/** The index's own row for a person (their confirmed number and UPRN), if any. */
export async function identitySetRow(db: Db, userId: string) {
  return db
    .selectFrom('reference_identity_sets')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/**
 * A person's basic identity set: the identity they proved (P2) with the number and UPRN the
 * index confirmed; undefined for an account that never proved its identity. For other modules
 * (evidence exchange, rules) that act for a body which holds a link; the caller checks that
 * and audits the read.
 *
 * @example const set = await identitySetFor(db, user.id);
 */
export async function identitySetFor(db: Db, userId: string): Promise<IdentitySet | undefined> {
  const identity = await findVerifiedIdentity(db, userId);
  if (!identity) return undefined;
  const row = await identitySetRow(db, userId);
  return {
    givenName: identity.givenName,
    familyName: identity.familyName,
    dateOfBirth: identity.birthdate,
    address: {
      lines: identity.address.lines,
      town: identity.address.town,
      postcode: identity.address.postcode,
      uprn: row?.uprn ?? null,
    },
    nino: row?.nino ?? null,
  };
}

/**
 * Keeps what a verified link confirmed about a person: their National Insurance number (only if
 * the index has none for them and no other account holds it) and the UPRN of their address
 * (only if none is known). Never overwrites: a disagreement is the resolution queue's to settle.
 */
export async function keepIdentityFacts(
  db: Db,
  userId: string,
  facts: {
    nino: string | null;
    ninoConfirmedBy: 'register' | 'person' | 'staff' | null;
    uprn: string | null;
  },
): Promise<void> {
  const current = await identitySetRow(db, userId);
  const ninoFree =
    facts.nino &&
    facts.ninoConfirmedBy &&
    !current?.nino &&
    !(await db
      .selectFrom('reference_identity_sets')
      .select('user_id')
      .where('nino', '=', facts.nino)
      .executeTakeFirst());
  const nino = ninoFree ? { nino: facts.nino, nino_confirmed_by: facts.ninoConfirmedBy } : {};
  const uprn = facts.uprn && !current?.uprn ? { uprn: facts.uprn } : {};
  if (Object.keys(nino).length === 0 && Object.keys(uprn).length === 0) return;
  await db
    .insertInto('reference_identity_sets')
    .values({ user_id: userId, ...nino, ...uprn })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ ...nino, ...uprn, updated_at: new Date() }),
    )
    .execute();
}

/** Forgets what the index confirmed about a person (their account was deleted). */
export async function forgetIdentitySet(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('reference_identity_sets').where('user_id', '=', userId).execute();
  await db.deleteFrom('reference_pseudonyms').where('user_id', '=', userId).execute();
}
