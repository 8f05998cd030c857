/**
 * What the receiving body reads of a referred or shared case: exactly the parts the referral
 * names, built here from `shared_parts` and nothing else, each read audited with the reading body.
 */
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { attachmentsByIds, type Attachment } from '../../attachments/index.js';
import { findUserById } from '../../identity/index.js';
import { findSubmissionById, type SubmissionRow } from '../../submissions/index.js';
import type {
  CaseEventRow,
  CaseReferralRow,
  CaseRow,
  ReferralStatus,
  SharedPart,
} from '../db/tables.js';
import { auditActor, type CaseActor } from '../commands/actor.js';
import { caseEvents, caseNotes, findCaseById } from '../queries/cases.js';
import { canReadShared, canReadSharedFiles, isReceiver, visibleParts } from './policies.js';
import { findReferral, referralsTo } from './store.js';

/** An internal note as the receiving body reads it. */
export interface SharedNote {
  body: string;
  authorName: string;
  createdAt: Date;
}

/**
 * A referred or shared case as the receiving body sees it. A part not shared is absent (not
 * empty): nothing of it was read from the database, so nothing of it can reach a page.
 */
export interface SharedCaseView {
  referral: CaseReferralRow;
  /** The referred case's facts the receiving body needs to identify it and decide. */
  source: Pick<
    CaseRow,
    'id' | 'reference' | 'organisation_id' | 'service_id' | 'workflow_id' | 'applicant_name'
  >;
  parts: SharedPart[];
  answers?: { question: string; answer: string }[];
  attachments?: Attachment[];
  history?: CaseEventRow[];
  notes?: SharedNote[];
}

/** Attachment ids in a submission's answers: file answers (`{id, name, type, size}`), at any depth. */
export function fileAnswers(value: unknown): { id: string; name: string }[] {
  if (Array.isArray(value)) return value.flatMap(fileAnswers);
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (
    typeof record.id === 'string' &&
    typeof record.name === 'string' &&
    typeof record.type === 'string' &&
    typeof record.size === 'number'
  )
    return [{ id: record.id, name: record.name }];
  return Object.values(record).flatMap(fileAnswers);
}

/**
 * The answers as the applicant saw them. Without the attachments part, the names of the files
 * they sent are replaced too: a name can say more than it should ("sick-note-mental-health.pdf").
 */
export function sharedAnswers(
  submission: Pick<SubmissionRow, 'answers'>,
  locale: Locale,
  withFiles: boolean,
  withheld: string,
): { question: string; answer: string }[] {
  const fileNames = new Set(fileAnswers(submission.answers.values).map((file) => file.name));
  return submission.answers.summary[locale].map((row) => ({
    question: row.question,
    answer:
      withFiles || fileNames.size === 0
        ? row.answer
        : row.answer
            .split('\n')
            .map((line) => (fileNames.has(line) ? withheld : line))
            .join('\n'),
  }));
}

/** Every file of the case: sent with the application, with actions, with answers to requests. */
async function attachmentsOf(
  db: Db,
  submission: SubmissionRow | undefined,
  events: CaseEventRow[],
  caseId: string,
): Promise<Attachment[]> {
  const answered = await db
    .selectFrom('information_requests')
    .select('attachment_ids')
    .where('case_id', '=', caseId)
    .execute();
  const ids = [
    ...(submission ? fileAnswers(submission.answers.values).map((file) => file.id) : []),
    ...events.flatMap((event) => event.documents),
    ...answered.flatMap((row) => row.attachment_ids),
  ];
  return attachmentsByIds(db, ids);
}

async function notesOf(db: Db, caseId: string): Promise<SharedNote[]> {
  const names = new Map<string, Promise<string>>();
  const nameOf = (id: string | null) => {
    if (!id) return Promise.resolve('—');
    if (!names.has(id))
      names.set(
        id,
        findUserById(db, id).then((u) => u?.display_name ?? '—'),
      );
    return names.get(id)!;
  };
  return Promise.all(
    (await caseNotes(db, caseId)).map(async (note) => ({
      body: note.body,
      authorName: await nameOf(note.author_user_id),
      createdAt: note.created_at,
    })),
  );
}

/**
 * A referral opened by the receiving body: the parts of the case it names and nothing else.
 * Anyone the referral does not let read (another body, the referring body through this page, a
 * referral declined or withdrawn) gets "not found". Each read is audited as
 * `casework.case.viewed_shared` with the reading body and the parts read; when the answers are
 * read, also as `submission.viewed`, so the applicant sees who has looked at their application.
 *
 * @example const view = await sharedCaseView(db, user, request.params.id, request.locale, actor);
 */
export async function sharedCaseView(
  db: Db,
  user: CurrentUser,
  referralId: string,
  locale: Locale,
  actor: CaseActor,
  withheldFileText = '—',
): Promise<SharedCaseView> {
  const referral = await findReferral(db, referralId);
  if (!referral || !canReadShared(user, referral))
    throw notFound({ referralId, userId: user.id, reason: 'referral not readable by this body' });
  const caseRow = (await findCaseById(db, referral.case_id))!;
  const parts = visibleParts(user, referral);
  const has = (part: SharedPart) => parts.includes(part);
  const submission =
    caseRow.submission_id && (has('answers') || has('attachments'))
      ? await findSubmissionById(db, caseRow.submission_id)
      : undefined;
  const events = has('history') || has('attachments') ? await caseEvents(db, caseRow.id) : [];
  const view: SharedCaseView = {
    referral,
    source: {
      id: caseRow.id,
      reference: caseRow.reference,
      organisation_id: caseRow.organisation_id,
      service_id: caseRow.service_id,
      workflow_id: caseRow.workflow_id,
      applicant_name: caseRow.applicant_name,
    },
    parts,
  };
  if (has('answers'))
    view.answers = submission
      ? sharedAnswers(submission, locale, has('attachments'), withheldFileText)
      : [];
  if (has('attachments'))
    view.attachments = await attachmentsOf(db, submission, events, caseRow.id);
  if (has('history')) view.history = events;
  if (has('notes')) view.notes = await notesOf(db, caseRow.id);
  await auditRead(db, actor, caseRow, referral, parts);
  return view;
}

/**
 * One file of a referred or shared case, for the receiving body to download: only while the
 * referral lets it read the attachments, and only a file of that case (sent with the
 * application, an action or an answer). "Not found" otherwise — attachments not shared, a third
 * body, another case's file. The caller serves it with attachments' `sendSharedAttachment`,
 * which audits the read.
 *
 * @example const { file, caseRow } = await sharedFile(db, user, referralId, fileId);
 */
export async function sharedFile(
  db: Db,
  user: CurrentUser,
  referralId: string,
  fileId: string,
): Promise<{ file: Attachment; caseRow: CaseRow; referral: CaseReferralRow }> {
  const referral = await findReferral(db, referralId);
  if (!referral || !canReadSharedFiles(user, referral))
    throw notFound({
      referralId,
      fileId,
      userId: user.id,
      reason: 'files not shared with this body',
    });
  const caseRow = (await findCaseById(db, referral.case_id))!;
  const submission = caseRow.submission_id
    ? await findSubmissionById(db, caseRow.submission_id)
    : undefined;
  const files = await attachmentsOf(db, submission, await caseEvents(db, caseRow.id), caseRow.id);
  const file = files.find((f) => f.id === fileId.toLowerCase());
  if (!file) throw notFound({ referralId, fileId, reason: 'not a file of the shared case' });
  return { file, caseRow, referral };
}

async function auditRead(
  db: Db,
  actor: CaseActor,
  caseRow: CaseRow,
  referral: CaseReferralRow,
  parts: SharedPart[],
) {
  await recordAudit(db, auditActor(actor), {
    action: 'casework.case.viewed_shared',
    resourceType: 'case',
    resourceId: caseRow.id,
    subjectUserId: caseRow.applicant_user_id,
    details: {
      reference: caseRow.reference,
      referral_id: referral.id,
      reading_organisation_id: actor.user.organisationId,
      parts,
    },
  });
  if (caseRow.submission_id && parts.includes('answers'))
    await recordAudit(db, auditActor(actor), {
      action: 'submission.viewed',
      resourceType: 'submission',
      resourceId: caseRow.submission_id,
      subjectUserId: caseRow.applicant_user_id,
      details: { reference: caseRow.reference, referral_id: referral.id },
    });
}

/** A referral in the receiving body's list. */
export interface IncomingReferral {
  id: string;
  reference: string;
  fromOrganisationId: string;
  kind: 'refer' | 'share';
  status: ReferralStatus;
  sentAt: Date;
  /** Whether the body may still open it (offered or accepted). */
  readable: boolean;
}

/**
 * The referrals to the user's body: those waiting for an answer, or those answered (accepted,
 * declined, withdrawn), newest first. Nothing of the case but its reference is read here.
 */
export async function incomingReferrals(
  db: Db,
  user: CurrentUser,
  view: 'offered' | 'answered',
): Promise<IncomingReferral[]> {
  if (!user.organisationId || !isReceiver(user, { to_organisation_id: user.organisationId }))
    return [];
  const rows = await referralsTo(
    db,
    user.organisationId,
    view === 'offered' ? ['offered'] : ['accepted', 'declined', 'withdrawn'],
  );
  const references = await referencesOf(
    db,
    rows.map((row) => row.case_id),
  );
  return rows.map((row) => ({
    id: row.id,
    reference: references.get(row.case_id) ?? '—',
    fromOrganisationId: row.from_organisation_id,
    kind: row.kind,
    status: row.status,
    sentAt: row.created_at,
    readable: canReadShared(user, row),
  }));
}

async function referencesOf(db: Db, caseIds: string[]): Promise<Map<string, string>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'reference'])
    .where('id', 'in', [...new Set(caseIds)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.reference]));
}
