/** What petitions hold about one person, for their own "My data". */
import type { Db } from '../../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../../platform/http/types.js';
import { findUserById } from '../../../identity/index.js';
import { isoInstant } from '../../../../platform/http/personal-data.js';

/**
 * The petitions the person started (with the name shown on them and any rejection reason), and
 * the signatures given with their account's e-mail address or while signed in.
 */
export async function petitionsPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const started = await db
    .selectFrom('petitions')
    .select([
      'id',
      'title',
      'creator_name',
      'state',
      'rejection_reason',
      'created_at',
      'published_at',
      'closes_at',
    ])
    .where('created_by', '=', userId)
    .orderBy('created_at')
    .execute();
  const account = await findUserById(db, userId);
  const email = account?.email.toLowerCase() ?? null;
  const signed = await db
    .selectFrom('petition_signatures')
    .innerJoin('petitions', 'petitions.id', 'petition_signatures.petition_id')
    .select([
      'petitions.id as petitionId',
      'petitions.title',
      'petition_signatures.name',
      'petition_signatures.email',
      'petition_signatures.postcode',
      'petition_signatures.ip_address',
      'petition_signatures.notify',
      'petition_signatures.created_at',
      'petition_signatures.confirmed_at',
      'petition_signatures.struck_at',
    ])
    .where((eb) =>
      email
        ? eb.or([
            eb('petition_signatures.user_id', '=', userId),
            eb('petition_signatures.email', '=', email),
          ])
        : eb('petition_signatures.user_id', '=', userId),
    )
    .orderBy('petition_signatures.created_at')
    .execute();
  return [
    {
      key: 'petitionsStarted',
      title: 'petitions.personalData.started',
      rows: started.map((p) => ({
        petition: p.id,
        title: p.title,
        nameShown: p.creator_name,
        state: p.state,
        rejectionReason: p.rejection_reason,
        startedAt: isoInstant(p.created_at),
        publishedAt: isoInstant(p.published_at),
        closesAt: isoInstant(p.closes_at),
      })),
    },
    {
      key: 'petitionSignatures',
      title: 'petitions.personalData.signatures',
      rows: signed.map((s) => ({
        petition: s.petitionId,
        title: s.title,
        name: s.name,
        email: s.email,
        postcode: s.postcode,
        ipAddress: s.ip_address,
        toldOfResponse: s.notify,
        signedAt: isoInstant(s.created_at),
        confirmedAt: isoInstant(s.confirmed_at),
        struckAt: isoInstant(s.struck_at),
      })),
    },
  ];
}
