import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { listOrganisationsByIds } from '../../organisations/index.js';

/** What a person made while signed in, for their "My data" page and its downloads. */
export async function correspondencePersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const rows = await db
    .selectFrom('correspondence')
    .select([
      'correspondence.reference',
      'correspondence.kind',
      'correspondence.organisation_id',
      'correspondence.requester_name',
      'correspondence.requester_email',
      'correspondence.subject',
      'correspondence.details',
      'correspondence.state',
      'correspondence.stage',
      'correspondence.received_at',
      'correspondence.outcome',
      'correspondence.response',
      'correspondence.responded_at',
    ])
    .where('correspondence.account_id', '=', userId)
    .orderBy('correspondence.received_at')
    .execute();
  const bodies = new Map(
    (await listOrganisationsByIds(db, [...new Set(rows.map((r) => r.organisation_id))])).map(
      (o) => [o.id, o.name],
    ),
  );
  return [
    {
      key: 'correspondence',
      title: 'correspondence.personalData.title',
      rows: rows.map((r) => ({
        reference: r.reference,
        kind: r.kind,
        body: bodies.get(r.organisation_id) ?? '',
        name: r.requester_name,
        email: r.requester_email,
        subject: r.subject,
        details: r.details,
        state: r.state,
        stage: r.kind === 'complaint' ? r.stage : null,
        receivedAt: r.received_at.toISOString(),
        outcome: r.outcome,
        response: r.response,
        respondedAt: r.responded_at?.toISOString() ?? null,
      })),
    },
  ];
}
