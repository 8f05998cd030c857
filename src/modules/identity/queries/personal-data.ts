/**
 * What the identity module holds about one person, for their own "My data": their profile, the
 * identity they proved and how, and their sessions. Never a password hash, an authenticator key,
 * a code or a session token: only what the person may read back.
 */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { isoInstant } from '../../../platform/http/personal-data.js';

export async function identityPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const [user, verified, attempts, documents, sessions] = await Promise.all([
    db
      .selectFrom('users')
      .select([
        'display_name',
        'email',
        'email_verified_at',
        'phone',
        'phone_verified_at',
        'kind',
        'identity_level',
        'identity_method',
        'identity_verified_at',
        'second_factor',
        'created_at',
        'last_signed_in_at',
      ])
      .where('id', '=', userId)
      .executeTakeFirst(),
    db
      .selectFrom('verified_identities')
      .select(['given_name', 'family_name', 'birthdate', 'address', 'method', 'verified_at'])
      .where('user_id', '=', userId)
      .execute(),
    db
      .selectFrom('identity_verification_attempts')
      .select(['attempted_at', 'matched'])
      .where('user_id', '=', userId)
      .orderBy('attempted_at')
      .execute(),
    db
      .selectFrom('identity_document_checks')
      .select(['checked_at', 'documents'])
      .where('user_id', '=', userId)
      .orderBy('checked_at')
      .execute(),
    db
      .selectFrom('sessions')
      .select(['created_at', 'last_seen_at', 'expires_at', 'user_agent', 'credential_level'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
  ]);
  if (!user) return [];
  return [
    {
      key: 'profile',
      title: 'identity.personalData.profile',
      rows: [
        {
          name: user.display_name,
          email: user.email,
          emailConfirmedAt: isoInstant(user.email_verified_at),
          phone: user.phone,
          phoneConfirmedAt: isoInstant(user.phone_verified_at),
          accountKind: user.kind,
          identityLevel: user.identity_level === 'P2' ? 'verified (P2)' : 'not checked (P0)',
          identityMethod: user.identity_method,
          identityVerifiedAt: isoInstant(user.identity_verified_at),
          secondFactor: user.second_factor,
          createdAt: isoInstant(user.created_at),
          lastSignedInAt: isoInstant(user.last_signed_in_at),
        },
      ],
    },
    {
      key: 'verified-identity',
      title: 'identity.personalData.verifiedIdentity',
      rows: verified.map((v) => ({
        givenName: v.given_name,
        familyName: v.family_name,
        dateOfBirth: isoInstant(v.birthdate)?.slice(0, 10) ?? null,
        address: [...v.address.lines, v.address.town, v.address.postcode]
          .filter(Boolean)
          .join(', '),
        identityMethod: v.method,
        verifiedAt: isoInstant(v.verified_at),
      })),
    },
    {
      key: 'identity-checks',
      title: 'identity.personalData.checks',
      rows: [
        ...attempts.map((a) => ({
          kind: 'online',
          at: isoInstant(a.attempted_at),
          matched: a.matched,
        })),
        ...documents.map((d) => ({
          kind: 'face-to-face',
          at: isoInstant(d.checked_at),
          documents: d.documents.map((doc) => `${doc.type} …${doc.last4}`).join('; '),
        })),
      ],
    },
    {
      key: 'sessions',
      title: 'identity.personalData.sessions',
      rows: sessions.map((s) => ({
        signedInAt: isoInstant(s.created_at),
        lastUsedAt: isoInstant(s.last_seen_at),
        endsAt: isoInstant(s.expires_at),
        browser: s.user_agent,
        credentialLevel: s.credential_level === 'Cl.Cm' ? 'password and second factor' : 'password',
      })),
    },
  ];
}
