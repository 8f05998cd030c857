/**
 * The case_referrals table: plain reads and writes, no policy. Commands and queries in this
 * folder check who may before they call these.
 */
import type { Db } from '../../../platform/db/database.js';
import type { CaseReferralRow, ReferralStatus } from '../db/tables.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** One referral by id; undefined for an unknown or malformed id (never a database error). */
export async function findReferral(db: Db, id: string): Promise<CaseReferralRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('case_referrals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A case's referrals, newest first: what the referring body sees on the case. */
export async function referralsOfCase(db: Db, caseId: string): Promise<CaseReferralRow[]> {
  return db
    .selectFrom('case_referrals')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** The referral a case was opened from (accepting it opened the case), if any. */
export async function referralThatOpened(
  db: Db,
  caseId: string,
): Promise<CaseReferralRow | undefined> {
  return db
    .selectFrom('case_referrals')
    .selectAll()
    .where('referred_case_id', '=', caseId)
    .executeTakeFirst();
}

/** Referrals to a body in these states, newest first. */
export async function referralsTo(
  db: Db,
  organisationId: string,
  statuses: readonly ReferralStatus[],
): Promise<CaseReferralRow[]> {
  return db
    .selectFrom('case_referrals')
    .selectAll()
    .where('to_organisation_id', '=', organisationId)
    .where('status', 'in', statuses)
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
}

/**
 * The referrals of a case that let a body read it now (offered or accepted), newest first: the
 * referral check behind a shared case's access.
 */
export async function standingReferralsTo(
  db: Db,
  caseId: string,
  organisationId: string,
): Promise<CaseReferralRow[]> {
  return db
    .selectFrom('case_referrals')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('to_organisation_id', '=', organisationId)
    .where('status', 'in', ['offered', 'accepted'])
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * Moves an offered referral on, only if it is still offered: of two people answering (or one
 * answering while the other withdraws) exactly one wins; the other gets undefined.
 */
export async function answerOffered(
  db: Db,
  id: string,
  change: {
    status: Exclude<ReferralStatus, 'offered'>;
    respondedBy: string;
    response?: string | null;
    referredCaseId?: string | null;
  },
): Promise<CaseReferralRow | undefined> {
  return db
    .updateTable('case_referrals')
    .set({
      status: change.status,
      responded_by: change.respondedBy,
      responded_at: new Date(),
      response: change.response ?? null,
      referred_case_id: change.referredCaseId ?? null,
    })
    .where('id', '=', id)
    .where('status', '=', 'offered')
    .returningAll()
    .executeTakeFirst();
}

/** Records the case the receiving body opened on accepting the referral. */
export async function setReferredCase(db: Db, id: string, caseId: string): Promise<void> {
  await db
    .updateTable('case_referrals')
    .set({ referred_case_id: caseId })
    .where('id', '=', id)
    .execute();
}
