import type { CurrentUser } from '../../../platform/http/types.js';
import { SHARED_PARTS, type CaseReferralRow, type CaseRow, type SharedPart } from '../db/tables.js';
import { canWorkCase } from '../policies/cases.js';

type ReferralFacts = Pick<
  CaseReferralRow,
  'from_organisation_id' | 'to_organisation_id' | 'status' | 'shared_parts'
>;

/** Staff who work cases (caseworkers, team leaders) at this body. */
function worksCasesAt(user: CurrentUser | null, organisationId: string): boolean {
  return canWorkCase(user, { organisation_id: organisationId });
}

/** Staff who work cases refer or share only a case of their own body. */
export function canRefer(
  user: CurrentUser | null,
  caseRow: Pick<CaseRow, 'organisation_id'>,
): boolean {
  return worksCasesAt(user, caseRow.organisation_id);
}

/** Staff of the receiving body, whatever has become of the referral: to anyone else it does not exist. */
export function isReceiver(
  user: CurrentUser | null,
  referral: Pick<CaseReferralRow, 'to_organisation_id'>,
): boolean {
  return worksCasesAt(user, referral.to_organisation_id);
}

/**
 * The receiving body reads the parts it was given while the referral stands: offered (to
 * decide whether to take it) or accepted. Declined or withdrawn, it sees nothing any more.
 */
export function canReadShared(user: CurrentUser | null, referral: ReferralFacts): boolean {
  return (
    (referral.status === 'offered' || referral.status === 'accepted') && isReceiver(user, referral)
  );
}

/** Only the receiving body answers an offered referral, once. */
export function canRespond(user: CurrentUser | null, referral: ReferralFacts): boolean {
  return referral.status === 'offered' && isReceiver(user, referral);
}

/** The referring body may take back a referral the other body has not answered yet. */
export function canWithdraw(user: CurrentUser | null, referral: ReferralFacts): boolean {
  return referral.status === 'offered' && worksCasesAt(user, referral.from_organisation_id);
}

/** The referring body sees its referrals of its cases (and how they were answered). */
export function canSeeOutgoing(user: CurrentUser | null, referral: ReferralFacts): boolean {
  return worksCasesAt(user, referral.from_organisation_id);
}

/**
 * The parts of the case the reader may see: the referral's chosen parts, in a fixed order, and
 * nothing for anyone the referral does not let read. What the shared view loads is decided here.
 */
export function visibleParts(user: CurrentUser | null, referral: ReferralFacts): SharedPart[] {
  if (!canReadShared(user, referral)) return [];
  return SHARED_PARTS.filter((part) => referral.shared_parts.includes(part));
}

/**
 * The receiving body downloads the case's files only while the referral lets it read the
 * attachments part: offered or accepted, `attachments` among the shared parts.
 */
export function canReadSharedFiles(user: CurrentUser | null, referral: ReferralFacts): boolean {
  return visibleParts(user, referral).includes('attachments');
}
