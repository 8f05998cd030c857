import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { normalisePostcode, parseDateParts } from '../../../platform/validation/validators.js';
import type { IdentityMethod, VerifiedAddress } from '../db/tables.js';

/**
 * The identity a person proved at P2: what DWP's register holds for them (online) or what a
 * counter adviser confirmed from their documents (face to face). Single sign-on releases it
 * to a relying party as `name`, `given_name`, `family_name`, `birthdate` and `address`, for a
 * P2 sign-in that asks for it, and never otherwise.
 */
export interface VerifiedIdentity {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  birthdate: string;
  address: VerifiedAddress;
}

/** A kept verified identity with how and when it was proved. */
export interface KeptVerifiedIdentity extends VerifiedIdentity {
  method: IdentityMethod;
  verifiedAt: Date;
}

/**
 * Keeps (or replaces) the identity a person just proved. Called inside the transaction that
 * raises them to P2, so the level and the details never disagree.
 */
export async function keepVerifiedIdentity(
  db: Db,
  userId: string,
  method: IdentityMethod,
  identity: VerifiedIdentity,
): Promise<void> {
  const values = {
    given_name: identity.givenName,
    family_name: identity.familyName,
    birthdate: identity.birthdate,
    address: JSON.stringify(identity.address),
    method,
    verified_at: new Date(),
  };
  await db
    .insertInto('verified_identities')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

/**
 * The identity a person proved, or undefined if they have not (or deleted their account).
 *
 * @example const identity = await findVerifiedIdentity(db, user.id);
 */
export async function findVerifiedIdentity(
  db: Db,
  userId: string,
): Promise<KeptVerifiedIdentity | undefined> {
  const row = await db
    .selectFrom('verified_identities')
    .select([
      'given_name',
      'family_name',
      sql<string>`to_char(birthdate, 'YYYY-MM-DD')`.as('birthdate'),
      'address',
      'method',
      'verified_at',
    ])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row
    ? {
        givenName: row.given_name,
        familyName: row.family_name,
        birthdate: row.birthdate,
        address: row.address,
        method: row.method,
        verifiedAt: row.verified_at,
      }
    : undefined;
}

/** Forgets a person's verified identity (account deletion). */
export async function forgetVerifiedIdentity(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('verified_identities').where('user_id', '=', userId).execute();
}

/** A register's address as a verified identity keeps it. */
export function addressFrom(parts: {
  addressLine1: string;
  addressLine2?: string | null;
  town: string;
  postcode: string;
}): VerifiedAddress {
  return {
    lines: [parts.addressLine1, parts.addressLine2 ?? ''].map((l) => l.trim()).filter(Boolean),
    town: parts.town.trim(),
    postcode: parts.postcode,
    country: 'GB',
  };
}

const NAME_MAX = 100;
const LINE_MAX = 200;

/**
 * Reads what a counter adviser confirms from the person's documents: name, date of birth
 * (three boxes) and address (GOV.UK address pattern). Messages are `identity.verifiedIdentity.*`.
 */
export function readConfirmedIdentity(
  form: Record<string, string>,
  today: string,
): Outcome<{ identity: VerifiedIdentity }> {
  const errors: FieldError[] = [];
  const fail = (field: string, key: string) =>
    errors.push({ field, message: `identity.verifiedIdentity.${key}` });
  const text = (name: string) => (form[name] ?? '').trim();

  const givenName = text('givenName');
  const familyName = text('familyName');
  if (!givenName) fail('givenName', 'givenName.missing');
  else if (givenName.length > NAME_MAX) fail('givenName', 'givenName.tooLong');
  if (!familyName) fail('familyName', 'familyName.missing');
  else if (familyName.length > NAME_MAX) fail('familyName', 'familyName.tooLong');

  const date = parseDateParts(
    text('dateOfBirth-day'),
    text('dateOfBirth-month'),
    text('dateOfBirth-year'),
  );
  let birthdate = '';
  if ('problem' in date) fail('dateOfBirth-day', `dateOfBirth.${date.problem}`);
  else if (date.date >= today) fail('dateOfBirth-day', 'dateOfBirth.future');
  else if (date.date < '1900-01-01') fail('dateOfBirth-day', 'dateOfBirth.tooOld');
  else birthdate = date.date;

  const addressLine1 = text('addressLine1');
  const addressLine2 = text('addressLine2');
  const town = text('town');
  if (!addressLine1) fail('addressLine1', 'addressLine1.missing');
  else if (addressLine1.length > LINE_MAX) fail('addressLine1', 'addressLine1.tooLong');
  if (addressLine2.length > LINE_MAX) fail('addressLine2', 'addressLine2.tooLong');
  if (!town) fail('town', 'town.missing');
  else if (town.length > LINE_MAX) fail('town', 'town.tooLong');
  const typedPostcode = text('postcode');
  const postcode = typedPostcode ? normalisePostcode(typedPostcode) : undefined;
  if (!typedPostcode) fail('postcode', 'postcode.missing');
  else if (!postcode) fail('postcode', 'postcode.invalid');

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    identity: {
      givenName,
      familyName,
      birthdate,
      address: addressFrom({ addressLine1, addressLine2, town, postcode: postcode! }),
    },
  };
}
