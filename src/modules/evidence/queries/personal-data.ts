import type { Db } from '../../../platform/db/database.js';
import { isoInstant } from '../../../platform/http/personal-data.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';

/** The requests for evidence made about a person, for their "My data": what, to whom, and its outcome. */
export async function personalDataOf(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const rows = await db
    .selectFrom('evidence_requests as r')
    .innerJoin('evidence_types as t', 't.id', 'r.type_id')
    .select([
      'r.id',
      't.code',
      'r.subject',
      'r.consent',
      'r.status',
      'r.reason',
      'r.answer',
      'r.created_at',
      'r.answered_at',
    ])
    .where('r.user_id', '=', userId)
    .orderBy('r.created_at', 'desc')
    .execute();
  return [
    {
      key: 'evidence-requests',
      title: 'evidence.data.requests',
      rows: rows.map((r) => ({
        id: r.id,
        evidenceType: r.code,
        subject: JSON.stringify(r.subject),
        consent: r.consent,
        status: r.status,
        reason: r.reason,
        answer: r.answer ? String(r.answer.value) : null,
        requestedAt: isoInstant(r.created_at),
        answeredAt: isoInstant(r.answered_at),
      })),
    },
  ];
}
