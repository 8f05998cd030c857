import type { Db } from '../../../platform/db/database.js';
import { findPublishedServiceById } from '../../catalogue/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import type { SubmissionRow } from '../db/tables.js';
import { eventsFor } from '../queries/submissions.js';
import { withSummaries } from '../queries/summary.js';
import { historyEntry, hubStatusOf, type HistoryEntry, type HubStatus } from './status.js';

/**
 * A page of the body's pull inbox: its submissions not yet delivered (acknowledged), oldest
 * first, after the cursor. The cursor pages through one poll; anything not acknowledged is
 * there again from the start of the next poll, so nothing is missed by a cursor kept too long.
 */
export async function inboxPage(
  db: Db,
  organisationId: string,
  after: number,
  limit: number,
): Promise<{ rows: SubmissionRow[]; more: boolean }> {
  const rows = await db
    .selectFrom('submissions')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'submitted')
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  return { rows: await withSummaries(db, rows.slice(0, limit)), more: rows.length > limit };
}

/** A submission's status as the API shows it, with every transition and when it happened. */
export interface StatusView {
  id: string;
  reference: string;
  status: HubStatus;
  service: string | null;
  organisation: string | null;
  channel: string;
  submittedAt: string;
  updatedAt: string;
  history: HistoryEntry[];
}

export async function statusView(db: Db, submission: SubmissionRow): Promise<StatusView> {
  const [events, service, organisation] = await Promise.all([
    eventsFor(db, submission.id),
    findPublishedServiceById(db, submission.service_id, 'en'),
    findOrganisationById(db, submission.organisation_id),
  ]);
  return {
    id: submission.id,
    reference: submission.reference,
    status: hubStatusOf(submission.status),
    service: service?.slug ?? null,
    organisation: organisation?.slug ?? null,
    channel: submission.channel,
    submittedAt: new Date(submission.submitted_at).toISOString(),
    updatedAt: new Date(submission.updated_at).toISOString(),
    history: events.map(historyEntry),
  };
}
