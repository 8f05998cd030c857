/** What the submissions module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { publishedServiceTitles } from '../../catalogue/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { isoInstant } from '../../../platform/http/personal-data.js';
import { withSummaries } from './summary.js';

/**
 * The person's applications with their answers (the English summary they checked before
 * sending), including those an agent sent for them and those they sent for clients as an agent,
 * and what happened to each.
 */
export async function submissionsPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const stored = await db
    .selectFrom('submissions')
    .select([
      'id',
      'reference',
      'service_id',
      'organisation_id',
      'applicant_user_id',
      'status',
      'channel',
      'answers',
      'form_key',
      'form_version',
      'applicant',
      'submitted_at',
      'updated_at',
    ])
    .where((eb) =>
      eb.or([eb('applicant_user_id', '=', userId), eb('submitted_by_user_id', '=', userId)]),
    )
    .orderBy('submitted_at')
    .execute();
  const submissions = await withSummaries(db, stored);
  const ids = submissions.map((s) => s.id);
  const events = ids.length
    ? await db
        .selectFrom('submission_events')
        .select(['submission_id', 'status', 'occurred_at'])
        .where('submission_id', 'in', ids)
        .orderBy('id')
        .execute()
    : [];
  const [services, bodies] = await Promise.all([
    publishedServiceTitles(
      db,
      submissions.map((s) => s.service_id),
      'en',
    ),
    listOrganisationsByIds(
      db,
      submissions.map((s) => s.organisation_id),
    ).then((rows) => new Map(rows.map((o) => [o.id, o.name]))),
  ]);
  const referenceOf = new Map(submissions.map((s) => [s.id, s.reference]));
  return [
    {
      key: 'applications',
      title: 'submissions.personalData.applications',
      rows: submissions.map((s) => ({
        reference: s.reference,
        service: services.get(s.service_id) ?? s.service_id,
        body: bodies.get(s.organisation_id) ?? s.organisation_id,
        status: s.status,
        sentFor: s.applicant_user_id === userId ? 'you' : 'a client',
        channel: s.channel,
        submittedAt: isoInstant(s.submitted_at),
        updatedAt: isoInstant(s.updated_at),
        applicantName: s.applicant?.name ?? null,
        applicantEmail: s.applicant?.email ?? null,
        applicantPhone: s.applicant?.phone ?? null,
        answers: s.answers.summary.en.map((row) => `${row.question}: ${row.answer}`).join('\n'),
      })),
    },
    {
      key: 'application-history',
      title: 'submissions.personalData.history',
      rows: events.map((e) => ({
        reference: referenceOf.get(e.submission_id) ?? null,
        status: e.status,
        at: isoInstant(e.occurred_at),
      })),
    },
  ];
}
