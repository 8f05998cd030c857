import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { SHARED_PARTS, type CaseRow, type SharedPart } from '../db/tables.js';
import { canReadShared, visibleParts } from './policies.js';
import { standingReferralsTo } from './store.js';

/** How a member of another body may read a case: through which referral, and which parts of it. */
export interface SharedAccess {
  referralId: string;
  parts: SharedPart[];
}

/**
 * The referral check for `findCaseForStaff`: whether a caseworker of a body the case was
 * referred to (or shared with) may read it, and which parts. Null for anyone else — the case's
 * own staff included, as they read it as its owners. Only the parts returned may be shown:
 * the shared view (`/casework/referrals/:id`) is the page that shows them.
 *
 * @example
 * if (!isStaffOf(user, caseRow.organisation_id, 'caseworker')) {
 *   const shared = await sharedAccess(db, user, caseRow);
 *   if (!shared) throw notFound();
 * }
 */
export async function sharedAccess(
  db: Db,
  user: CurrentUser | null,
  caseRow: Pick<CaseRow, 'id' | 'organisation_id'>,
): Promise<SharedAccess | null> {
  if (!user?.organisationId || user.organisationId === caseRow.organisation_id) return null;
  const readable = (await standingReferralsTo(db, caseRow.id, user.organisationId)).filter(
    (referral) => canReadShared(user, referral),
  );
  if (readable.length === 0) return null;
  // Two standing referrals to one body (a share, then a referral) show what either allows.
  const allowed = new Set(readable.flatMap((referral) => visibleParts(user, referral)));
  return {
    referralId: readable[0]!.id,
    parts: SHARED_PARTS.filter((part) => allowed.has(part)),
  };
}
