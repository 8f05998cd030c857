/** What the open311 module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { listForApplicant } from '../../submissions/index.js';

/**
 * The problems the person reported while signed in: where, to street level, and the photo link
 * an app sent. Their answers and contact details are kept with the application (submissions).
 * A report without an account is not linked to anyone, so it cannot be shown here.
 */
export async function open311PersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const submissions = await listForApplicant(db, userId);
  const ids = submissions.map((s) => s.id);
  const reports = ids.length
    ? await db
        .selectFrom('open311_requests')
        .select([
          'reference',
          'service_code',
          'public_address',
          'postcode',
          'latitude',
          'longitude',
          'media_url',
          'channel',
          'requested_at',
        ])
        .where('submission_id', 'in', ids)
        .orderBy('requested_at')
        .execute()
    : [];
  return [
    {
      key: 'problem-reports',
      title: 'open311.personalData.reports',
      rows: reports.map((r) => ({
        reference: r.reference,
        problem: r.service_code,
        address: r.public_address,
        postcode: r.postcode,
        latitude: r.latitude,
        longitude: r.longitude,
        photo: r.media_url,
        channel: r.channel,
        at: r.requested_at.toISOString(),
      })),
    },
  ];
}
