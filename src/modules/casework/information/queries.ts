/**
 * Reading requests for information: a case's, for its caseworkers, and one request for the
 * person allowed to answer it (the applicant, their agent, or the holder of the e-mail address
 * an application without an account gave).
 */
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import { AppError, notFound } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { canActFor } from '../../agents/index.js';
import { isEmailConfirmed } from '../../identity/index.js';
import { findSubmissionById, type SubmissionRow } from '../../submissions/index.js';
import type { CaseRow, InformationRequestRow } from '../db/tables.js';
import { findCaseByReference } from '../queries/cases.js';
import { answererRole, type AnswererRole } from './policies.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** Where a request stands. */
export type RequestStatus = 'open' | 'answered' | 'cancelled';

/** A request with what the history adds to it: its reply-by date. */
export interface InformationRequest extends InformationRequestRow {
  status: RequestStatus;
  /** YYYY-MM-DD, or null when the caseworker set no date. */
  replyBy: string | null;
}

export function statusOf(row: Pick<InformationRequestRow, 'answered_at' | 'cancelled_at'>) {
  if (row.answered_at) return 'answered';
  if (row.cancelled_at) return 'cancelled';
  return 'open';
}

/**
 * The reply-by dates of a case's requests, from their `information-requested` events (the date
 * is part of what was asked, recorded with the asking).
 */
async function replyByDates(db: Db, caseId: string): Promise<Map<string, string | null>> {
  const events = await db
    .selectFrom('case_events')
    .select('details')
    .where('case_id', '=', caseId)
    .where('kind', '=', 'information-requested')
    .execute();
  const dates = new Map<string, string | null>();
  for (const { details } of events) {
    const id = details.requestId;
    if (typeof id === 'string')
      dates.set(id, typeof details.replyBy === 'string' ? details.replyBy : null);
  }
  return dates;
}

function withReplyBy(rows: InformationRequestRow[], dates: Map<string, string | null>) {
  return rows.map((row): InformationRequest => ({
    ...row,
    status: statusOf(row),
    replyBy: dates.get(row.id) ?? null,
  }));
}

/**
 * Every request of a case, newest first. The caller has opened the case for the reader (staff
 * through `openCaseForStaff`, the applicant through {@link openRequestFor}).
 */
export async function requestsOfCase(db: Db, caseId: string): Promise<InformationRequest[]> {
  const rows = await db
    .selectFrom('information_requests')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('asked_at', 'desc')
    .orderBy('id')
    .execute();
  return withReplyBy(rows, await replyByDates(db, caseId));
}

/** One request of a case; undefined for an id that is not this case's (or not an id). */
export async function requestOfCase(
  db: Db,
  caseId: string,
  requestId: string,
): Promise<InformationRequest | undefined> {
  if (!isUuid(requestId)) return undefined;
  const row = await db
    .selectFrom('information_requests')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '=', requestId)
    .executeTakeFirst();
  return row ? withReplyBy([row], await replyByDates(db, caseId))[0] : undefined;
}

/** A case and the person's standing on it, for the applicant's pages. */
export interface ApplicantView {
  caseRow: CaseRow;
  role: AnswererRole;
  submission: SubmissionRow | undefined;
}

/**
 * The case for the person answering its requests — the applicant, their agent with authority,
 * or (for an application without an account) whoever is signed in with its confirmed e-mail
 * address; "not found" for anyone else, as for a reference that does not exist.
 */
export async function caseForApplicant(
  db: Db,
  user: CurrentUser | null,
  reference: string,
): Promise<ApplicantView> {
  const caseRow = await findCaseByReference(db, reference);
  if (!caseRow || !user) throw notFound({ reference, reason: 'no such case' });
  const submission = caseRow.submission_id
    ? await findSubmissionById(db, caseRow.submission_id)
    : undefined;
  const agentHasAuthority =
    !!user.actingFor &&
    user.actingFor.userId === caseRow.applicant_user_id &&
    (await canActFor(db, user, user.actingFor.userId, caseRow.service_id));
  const applicationEmail = caseRow.applicant_user_id
    ? null
    : (submission?.applicant?.email ?? null);
  const role = answererRole(user, caseRow, {
    agentHasAuthority,
    applicationEmail,
    emailConfirmed: applicationEmail !== null && (await isEmailConfirmed(db, user.id)),
  });
  if (!role)
    throw notFound({ reference, userId: user.id, reason: 'not the applicant of this case' });
  return { caseRow, role, submission };
}

/** One request, for the person answering it (see {@link caseForApplicant}); "not found" otherwise. */
export async function openRequestFor(
  db: Db,
  user: CurrentUser | null,
  reference: string,
  requestId: string,
): Promise<ApplicantView & { request: InformationRequest }> {
  const view = await caseForApplicant(db, user, reference);
  const request = await requestOfCase(db, view.caseRow.id, requestId);
  if (!request) throw notFound({ reference, requestId, reason: 'not this case’s request' });
  return { ...view, request };
}

/**
 * The requests waiting for the applicant's answer on their application, oldest first, each with
 * the address of its answer page: what the applicant's application page shows. Empty for anyone
 * who may not answer them, and for a closed case (its requests are no longer needed).
 *
 * @example const waiting = await openRequestsForApplicant(db, request.user, reference);
 */
export async function openRequestsForApplicant(
  db: Db,
  user: CurrentUser | null,
  reference: string,
): Promise<
  { id: string; question: string; askedAt: Date; replyBy: string | null; href: string }[]
> {
  let view: ApplicantView;
  try {
    view = await caseForApplicant(db, user, reference);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return [];
    throw error;
  }
  if (view.caseRow.closed_at) return [];
  const requests = await requestsOfCase(db, view.caseRow.id);
  return requests
    .filter((request) => request.status === 'open')
    .reverse()
    .map((request) => ({
      id: request.id,
      question: request.question,
      askedAt: request.asked_at,
      replyBy: request.replyBy,
      href: answerPath(view.caseRow.reference, request.id),
    }));
}

/** The applicant's page for answering one request. */
export function answerPath(reference: string, requestId: string): string {
  return `/applications/${reference}/information/${requestId}`;
}

/** The id of a case's newest event of an action (the one just taken), to say it was told. */
export async function latestActionEvent(
  db: Db,
  caseId: string,
  action: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('case_events')
    .select('id')
    .where('case_id', '=', caseId)
    .where('kind', '=', 'action')
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** How many requests a case has open (0 or 1: the database allows one at a time). */
export async function openRequestCount(db: Db, caseId: string): Promise<number> {
  const row = await db
    .selectFrom('information_requests')
    .select(sql<number>`count(*)`.as('count'))
    .where('case_id', '=', caseId)
    .where('answered_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
