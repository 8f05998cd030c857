/**
 * Reports as the public may see them: what kind of problem, where (to street level), when, who
 * is responsible and whether it is open — never what the reporter wrote or who they are. Both
 * Open311's GET requests and the public list of open reports read them from here. The status
 * is the submission's, read from the submissions module.
 */
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { Locale, Translate } from '../../../platform/i18n/i18n.js';
import { findPublishedServiceById } from '../../catalogue/index.js';
import { publishedForm } from '../../forms/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import {
  submissionStatuses,
  type SubmissionProgress,
  type SubmissionStatus,
} from '../../submissions/index.js';
import type { Open311RequestRow } from '../db/tables.js';

/** Open311's two statuses: a report is open until the body has dealt with it, one way or another. */
export type RequestStatus = 'open' | 'closed';

const OPEN: ReadonlySet<SubmissionStatus> = new Set([
  'submitted',
  'received',
  'accepted',
  'in-progress',
]);

export function requestStatusOf(status: SubmissionStatus): RequestStatus {
  return OPEN.has(status) ? 'open' : 'closed';
}

/** One report as GeoReport v2's GET requests gives it. */
export interface RequestView {
  service_request_id: string;
  status: RequestStatus;
  status_notes: string;
  service_name: string;
  service_code: string;
  agency_responsible: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  zipcode: string;
  lat: number;
  long: number;
  media_url: string | null;
}

/** The most reports one GET requests returns (the spec's limit). */
export const MAX_REQUESTS = 1000;
/** The widest window of dates one GET requests covers (the spec's limit). */
export const MAX_WINDOW_DAYS = 90;

export interface RequestFilter {
  /** References: when given, the other filters are not applied (as the spec says). */
  ids?: string[] | undefined;
  codes?: string[] | undefined;
  statuses?: RequestStatus[] | undefined;
  from: Date;
  to: Date;
  organisationId?: string | undefined;
  districtGss?: string | undefined;
}

/** Names by id for one response, each read once. */
function names(db: Db, locale: Locale) {
  const services = new Map<string, Promise<string>>();
  const bodies = new Map<string, Promise<string>>();
  return {
    service(id: string): Promise<string> {
      let found = services.get(id);
      if (!found) {
        found = findPublishedServiceById(db, id, locale).then((s) => s?.title ?? '');
        services.set(id, found);
      }
      return found;
    },
    body(id: string): Promise<string> {
      let found = bodies.get(id);
      if (!found) {
        found = findOrganisationById(db, id).then(
          (o) => (locale === 'cy' ? o?.name_cy : null) ?? o?.name ?? '',
        );
        bodies.set(id, found);
      }
      return found;
    },
  };
}

/** What the status means, in words: the body's own notes are written for the reporter, not the public. */
function statusNotes(t: Translate, status: SubmissionStatus, body: string): string {
  return t(`open311.status.${status}`, { body });
}

async function views(
  db: Db,
  rows: Open311RequestRow[],
  progress: Map<string, SubmissionProgress>,
  locale: Locale,
  t: Translate,
): Promise<RequestView[]> {
  const named = names(db, locale);
  const found: RequestView[] = [];
  for (const row of rows) {
    const now = progress.get(row.submission_id);
    if (!now) continue; // the submission was removed (retention): so is the report
    const body = await named.body(row.organisation_id);
    found.push({
      service_request_id: row.reference,
      status: requestStatusOf(now.status),
      status_notes: statusNotes(t, now.status, body),
      service_name: await named.service(row.service_id),
      service_code: row.service_code,
      agency_responsible: body,
      requested_datetime: new Date(row.requested_at).toISOString(),
      updated_datetime: new Date(now.updatedAt).toISOString(),
      expected_datetime: null,
      address: row.public_address,
      zipcode: row.postcode,
      lat: row.latitude,
      long: row.longitude,
      media_url: row.media_url,
    });
  }
  return found;
}

/** One report by its reference (Open311's service_request_id), if there is one. */
export async function findRequest(
  db: Db,
  reference: string,
  locale: Locale,
  t: Translate,
): Promise<RequestView | undefined> {
  const row = await db
    .selectFrom('open311_requests')
    .selectAll()
    .where('reference', '=', reference.trim().toUpperCase())
    .executeTakeFirst();
  if (!row) return undefined;
  const [view] = await views(
    db,
    [row],
    await submissionStatuses(db, [row.submission_id]),
    locale,
    t,
  );
  return view;
}

/**
 * Reports newest first, filtered as GET requests asks, at most `limit`. The status is the
 * submissions module's, so reports are read a batch at a time and filtered by it until enough
 * are found.
 */
export async function listRequests(
  db: Db,
  filter: RequestFilter,
  locale: Locale,
  t: Translate,
  limit = MAX_REQUESTS,
): Promise<RequestView[]> {
  const found: RequestView[] = [];
  let after: { at: Date; id: string } | undefined;
  const batch = Math.max(limit, 200);
  for (;;) {
    let query = db.selectFrom('open311_requests').selectAll();
    if (filter.ids) query = query.where('reference', 'in', filter.ids.length ? filter.ids : ['']);
    else {
      query = query.where('requested_at', '>=', filter.from).where('requested_at', '<=', filter.to);
      if (filter.codes?.length) query = query.where('service_code', 'in', filter.codes);
      if (filter.organisationId) query = query.where('organisation_id', '=', filter.organisationId);
      if (filter.districtGss) query = query.where('district_gss', '=', filter.districtGss);
    }
    if (after) {
      const { at, id } = after;
      query = query.where(sql<boolean>`(requested_at, submission_id) < (${at}, ${id}::uuid)`);
    }
    const rows = await query
      .orderBy('requested_at', 'desc')
      .orderBy('submission_id', 'desc')
      .limit(batch)
      .execute();
    const progress = await submissionStatuses(
      db,
      rows.map((r) => r.submission_id),
    );
    for (const view of await views(db, rows, progress, locale, t)) {
      if (filter.statuses?.length && !filter.ids && !filter.statuses.includes(view.status))
        continue;
      found.push(view);
      if (found.length >= limit) return found;
    }
    if (rows.length < batch) return found;
    const last = rows.at(-1)!;
    after = { at: last.requested_at, id: last.submission_id };
  }
}

/** What the confirmation page says of a report just sent. */
export interface SentReport {
  reference: string;
  serviceName: string;
  body: string;
  postcode: string;
  /** What the service's form says happens next. */
  nextSteps: string;
}

/** A report just sent, for its confirmation page (found by the reference the browser holds). */
export async function sentReport(
  db: Db,
  reference: string,
  locale: Locale,
): Promise<SentReport | undefined> {
  const row = await db
    .selectFrom('open311_requests')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirst();
  if (!row) return undefined;
  const service = await findPublishedServiceById(db, row.service_id, locale);
  const form = service?.formKey ? await publishedForm(db, service.formKey) : undefined;
  return {
    reference: row.reference,
    serviceName: service?.title ?? '',
    body: service?.organisation.name ?? '',
    postcode: row.postcode,
    nextSteps: form?.definition.confirmation.body[locale] ?? '',
  };
}
