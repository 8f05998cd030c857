import type { ColumnType, Generated, Selectable } from 'kysely';

export const STAFF_ROLES = [
  'caseworker',
  // Leads a casework team: escalated and overdue work comes to them.
  'team-leader',
  'service-owner',
  'admin',
  'platform-admin',
  'counter-adviser',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface UserTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  display_name: string;
  kind: 'citizen' | 'staff';
  organisation_id: string | null;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
  last_signed_in_at: ColumnType<Date | null, never, Date>;
  identity_level: ColumnType<'P0' | 'P2', 'P0' | 'P2' | undefined, 'P0' | 'P2'>;
  email_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Consecutive wrong passwords since the last good sign-in or unlock (lockout at 5). */
  failed_sign_ins: ColumnType<number, number | undefined, number>;
  locked_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** A mobile number for codes by text message (added by 0006 and 0007, whichever runs first). */
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  phone_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the person deleted their account; its personal details are gone (0006). */
  deleted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The second factor chosen for level 2 (`Cl.Cm`); 'none' until one is set up. */
  second_factor: ColumnType<SecondFactor, SecondFactor | undefined, SecondFactor>;
  /** The TOTP secret, sealed (AES-256-GCM); see commands/second-factor.ts. */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  /** A sealed TOTP secret being set up, until a code from the app proves it. */
  totp_pending_secret: ColumnType<string | null, string | null | undefined, string | null>;
  /** The last TOTP time step accepted: a code of that step or earlier is a replay. */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  /** When and how the person's identity was verified to P2 (0009). */
  identity_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  identity_method: ColumnType<
    IdentityMethod | null,
    IdentityMethod | null | undefined,
    IdentityMethod | null
  >;
  /** Online verification refused until then, after 3 failed attempts in 24 hours (0009). */
  identity_verification_locked_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When an e-mail to this address bounced for good; cleared when the address changes or is confirmed (0017). */
  email_bounced_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When a text message to this number failed for good (an invalid number); cleared likewise (0017). */
  phone_failed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type IdentityMethod = 'online-known-facts' | 'face-to-face';

/** An online identity verification in progress: the answers so far (0009). */
export interface IdentityVerificationJourneyTable {
  user_id: string;
  return_to: string;
  answers: ColumnType<Record<string, string>, string | undefined, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** One online verification attempt, counted to lock the account after 3 failures a day (0009). */
export interface IdentityVerificationAttemptTable {
  id: Generated<string>;
  user_id: string;
  matched: boolean;
  attempted_at: Generated<Date>;
}

/** A face-to-face check: the documents a counter adviser saw (type and last 4 only) (0009). */
export interface IdentityDocumentCheckTable {
  id: Generated<string>;
  user_id: string;
  adviser_user_id: string;
  organisation_id: string;
  documents: ColumnType<{ type: string; last4: string }[], string, never>;
  checked_at: Generated<Date>;
}

/** A postal address as a verified identity holds it (0013). */
export interface VerifiedAddress {
  lines: string[];
  town: string;
  postcode: string;
  /** ISO 3166-1 alpha-2; always 'GB' for now. */
  country: string;
}

/** The identity a person proved at P2, which single sign-on releases at P2 only (0013). */
export interface VerifiedIdentityTable {
  user_id: string;
  given_name: string;
  family_name: string;
  /** Written as YYYY-MM-DD; read back with to_char so no time zone can move the day. */
  birthdate: ColumnType<Date, string, string>;
  address: ColumnType<VerifiedAddress, string, string>;
  method: IdentityMethod;
  verified_at: ColumnType<Date, Date | undefined, Date>;
}

export const SECOND_FACTORS = ['none', 'totp', 'sms', 'email'] as const;
export type SecondFactor = (typeof SECOND_FACTORS)[number];

/** A sign-in whose password was right, waiting for its second factor (no session yet). */
export interface PendingSignInTable {
  id_hash: string;
  user_id: string;
  return_to: ColumnType<string, string | undefined, string>;
  created_at: Generated<Date>;
  expires_at: Date;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Date;
  credential_level: ColumnType<'Cl' | 'Cl.Cm', 'Cl' | 'Cl.Cm' | undefined, 'Cl' | 'Cl.Cm'>;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  /** The browser the session was started from, truncated. */
  user_agent: ColumnType<string | null, string | null | undefined, string | null>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    users: UserTable;
    sessions: SessionTable;
    pending_sign_ins: PendingSignInTable;
    identity_verification_journeys: IdentityVerificationJourneyTable;
    identity_verification_attempts: IdentityVerificationAttemptTable;
    identity_document_checks: IdentityDocumentCheckTable;
    verified_identities: VerifiedIdentityTable;
  }
}

export type UserRow = Selectable<UserTable>;
