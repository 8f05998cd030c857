/** Reading cases: by reference, for staff (audited), their history, notes and links. */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { parseReference } from '../../submissions/index.js';
import type { CaseEventRow, CaseNoteRow, CaseRow } from '../db/tables.js';
import { canWorkCase } from '../policies/cases.js';
import { sharedAccess, type SharedAccess } from '../referrals/access.js';
import { currentReason, inOwnQueue, reasonRequired, type AccessReason } from '../access/reasons.js';

/** A case by its reference (the submission's, in any case and with or without its hyphens). */
export async function findCaseByReference(db: Db, reference: string): Promise<CaseRow | undefined> {
  const standard = parseReference(reference) ?? reference.trim().toUpperCase();
  if (!standard || standard.length > 40) return undefined;
  return db.selectFrom('cases').selectAll().where('reference', '=', standard).executeTakeFirst();
}

export async function findCaseById(db: Db, id: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The case opened for a submission, if there is one yet. */
export async function findCaseOfSubmission(
  db: Db,
  submissionId: string,
): Promise<CaseRow | undefined> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .executeTakeFirst();
}

/**
 * A case opened by a member of staff, and how: as its own body's (shared null), or through a
 * referral to their body with the parts it lets them see. A case of their body outside their
 * own queue needs a reason given first (`access_reason_required`, 403, otherwise), which its
 * audit entry carries. Anyone else gets "not found", whether
 * or not the case exists; the refusal is audited for security review, the own body's look as
 * `casework.case.viewed` with the applicant as its subject. A look through a referral is not
 * audited here: nothing of the case is shown until the referral's page reads the shared parts,
 * which audits that read (`sharedCaseView`), once.
 */
export async function openCaseForStaff(
  db: Db,
  user: CurrentUser,
  reference: string,
  actor: Actor,
): Promise<{ caseRow: CaseRow; shared: SharedAccess | null }> {
  const caseRow = await findCaseByReference(db, reference);
  const refuse = () =>
    notFound({ reference, userId: user.id, reason: 'not a case of this body, nor shared with it' });
  if (!caseRow) throw refuse();
  const own = canWorkCase(user, caseRow);
  const shared = own ? null : await sharedAccess(db, user, caseRow);
  if (!own && !shared) {
    await recordAudit(db, actor, {
      action: 'casework.case.view_refused',
      resourceType: 'case',
      resourceId: caseRow.id,
      subjectUserId: null,
      details: { reference: caseRow.reference },
    });
    throw refuse();
  }
  // A case of their body outside their own queue opens only with a reason (access/reasons.ts).
  let reason: AccessReason | undefined;
  if (own && !inOwnQueue(user, caseRow)) {
    reason = await currentReason(db, user.id, caseRow.id);
    if (!reason) throw reasonRequired(caseRow.reference);
  }
  if (!shared) await auditLook(db, actor, caseRow, 'casework.case.viewed', undefined, reason);
  return { caseRow, shared };
}

function auditLook(
  db: Db,
  actor: Actor,
  caseRow: CaseRow,
  action: 'casework.case.viewed' | 'casework.case.viewed_shared',
  shared?: SharedAccess,
  reason?: AccessReason,
) {
  return recordAudit(db, actor, {
    action,
    resourceType: 'case',
    resourceId: caseRow.id,
    subjectUserId: caseRow.applicant_user_id,
    details: {
      reference: caseRow.reference,
      ...(shared ? { referral_id: shared.referralId, parts: shared.parts } : {}),
      ...(reason ? { accessReason: reason.code, accessReasonDetails: reason.details } : {}),
    },
  });
}

/**
 * A case for a member of staff of its body, or of a body it was referred to or shared with
 * (which sees only the parts shared: see `referrals/access.ts`); "not found" otherwise. Audited,
 * as `casework.case.viewed_shared` for a body it was shared with (the caller may show it).
 *
 * @example const caseRow = await findCaseForStaff(db, user, 'JU-7K3M-Q2XD', actor);
 */
export async function findCaseForStaff(
  db: Db,
  user: CurrentUser,
  reference: string,
  actor: Actor,
): Promise<CaseRow> {
  const { caseRow, shared } = await openCaseForStaff(db, user, reference, actor);
  if (shared) await auditLook(db, actor, caseRow, 'casework.case.viewed_shared', shared);
  return caseRow;
}

/** A case's history, oldest first. */
export async function caseEvents(db: Db, caseId: string): Promise<CaseEventRow[]> {
  return db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

/** A case's internal notes, newest first. */
export async function caseNotes(db: Db, caseId: string): Promise<CaseNoteRow[]> {
  return db
    .selectFrom('case_notes')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** The cases linked to one, by reference. */
export async function linkedCases(
  db: Db,
  caseId: string,
): Promise<Pick<CaseRow, 'id' | 'reference' | 'state' | 'workflow_id' | 'closed_at'>[]> {
  return db
    .selectFrom('case_links')
    .innerJoin('cases', 'cases.id', 'case_links.linked_case_id')
    .select(['cases.id', 'cases.reference', 'cases.state', 'cases.workflow_id', 'cases.closed_at'])
    .where('case_links.case_id', '=', caseId)
    .orderBy('cases.reference')
    .execute();
}
