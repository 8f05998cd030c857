import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import type { ReferralStatus, SharedPart } from '../db/tables.js';
import {
  canRefer,
  canReadShared,
  canReadSharedFiles,
  canRespond,
  canSeeOutgoing,
  canWithdraw,
  isReceiver,
  visibleParts,
} from './policies.js';

function referral(
  status: ReferralStatus = 'offered',
  parts: SharedPart[] = ['answers', 'history'],
) {
  return {
    from_organisation_id: 'org-stroud',
    to_organisation_id: 'org-county',
    status,
    shared_parts: parts,
  };
}

const stroudCaseworker = aStaffMember('org-stroud', ['caseworker']);
const countyCaseworker = aStaffMember('org-county', ['caseworker']);
const thirdCaseworker = aStaffMember('org-cheltenham', ['caseworker']);
const countyOwner = aStaffMember('org-county', ['service-owner']);

describe('referral policies', () => {
  it('lets the receiving body download the files only when the attachments are shared and the referral stands', () => {
    const withFiles = referral('offered', ['attachments']);
    expect(canReadSharedFiles(countyCaseworker, withFiles)).toBe(true);
    expect(
      canReadSharedFiles(countyCaseworker, referral('accepted', ['answers', 'attachments'])),
    ).toBe(true);
    expect(canReadSharedFiles(countyCaseworker, referral('offered', ['answers', 'history']))).toBe(
      false,
    );
    expect(canReadSharedFiles(countyCaseworker, referral('declined', ['attachments']))).toBe(false);
    expect(canReadSharedFiles(countyCaseworker, referral('withdrawn', ['attachments']))).toBe(
      false,
    );
    expect(canReadSharedFiles(thirdCaseworker, withFiles)).toBe(false);
    expect(canReadSharedFiles(stroudCaseworker, withFiles)).toBe(false);
    expect(canReadSharedFiles(countyOwner, withFiles)).toBe(false);
  });

  it('lets a caseworker refer a case of their own body, and nobody else', () => {
    const caseRow = { organisation_id: 'org-stroud' };
    expect(canRefer(stroudCaseworker, caseRow)).toBe(true);
    expect(canRefer(aStaffMember('org-stroud', ['team-leader']), caseRow)).toBe(true);
    expect(canRefer(countyCaseworker, caseRow)).toBe(false);
    expect(canRefer(aStaffMember('org-stroud', ['counter-adviser']), caseRow)).toBe(false);
    expect(canRefer(aCitizen(), caseRow)).toBe(false);
    expect(canRefer(null, caseRow)).toBe(false);
  });

  it('lets the receiving body read an offered or accepted referral, nobody else', () => {
    expect(canReadShared(countyCaseworker, referral('offered'))).toBe(true);
    expect(canReadShared(countyCaseworker, referral('accepted'))).toBe(true);
    expect(canReadShared(thirdCaseworker, referral('offered'))).toBe(false);
    expect(canReadShared(countyOwner, referral('offered'))).toBe(false);
    expect(canReadShared(aCitizen(), referral('offered'))).toBe(false);
    expect(canReadShared(null, referral('offered'))).toBe(false);
  });

  it('stops the receiving body reading once the referral is declined or withdrawn', () => {
    expect(canReadShared(countyCaseworker, referral('declined'))).toBe(false);
    expect(canReadShared(countyCaseworker, referral('withdrawn'))).toBe(false);
  });

  it('knows the receiving body’s staff whatever became of the referral, and nobody else', () => {
    expect(isReceiver(countyCaseworker, referral('withdrawn'))).toBe(true);
    expect(isReceiver(stroudCaseworker, referral('offered'))).toBe(false);
    expect(isReceiver(countyOwner, referral('offered'))).toBe(false);
    expect(isReceiver(null, referral('offered'))).toBe(false);
  });

  it('does not let the referring body read through its own referral (it owns the case)', () => {
    expect(canReadShared(stroudCaseworker, referral('offered'))).toBe(false);
  });

  it('lets only the receiving body answer, and only while offered', () => {
    expect(canRespond(countyCaseworker, referral('offered'))).toBe(true);
    expect(canRespond(countyCaseworker, referral('accepted'))).toBe(false);
    expect(canRespond(countyCaseworker, referral('withdrawn'))).toBe(false);
    expect(canRespond(stroudCaseworker, referral('offered'))).toBe(false);
    expect(canRespond(thirdCaseworker, referral('offered'))).toBe(false);
  });

  it('lets only the referring body withdraw, and only before an answer', () => {
    expect(canWithdraw(stroudCaseworker, referral('offered'))).toBe(true);
    expect(canWithdraw(stroudCaseworker, referral('declined'))).toBe(false);
    expect(canWithdraw(stroudCaseworker, referral('accepted'))).toBe(false);
    expect(canWithdraw(countyCaseworker, referral('offered'))).toBe(false);
    expect(canWithdraw(thirdCaseworker, referral('offered'))).toBe(false);
  });

  it('shows the referring body its referrals whatever their state', () => {
    expect(canSeeOutgoing(stroudCaseworker, referral('declined'))).toBe(true);
    expect(canSeeOutgoing(countyCaseworker, referral('declined'))).toBe(false);
  });

  it('gives the reader exactly the chosen parts, in a fixed order', () => {
    expect(visibleParts(countyCaseworker, referral('offered', ['history', 'answers']))).toEqual([
      'answers',
      'history',
    ]);
    expect(visibleParts(countyCaseworker, referral('accepted', ['notes']))).toEqual(['notes']);
  });

  it('gives anyone the referral does not let read no parts at all', () => {
    const all: SharedPart[] = ['answers', 'attachments', 'history', 'notes'];
    expect(visibleParts(thirdCaseworker, referral('offered', all))).toEqual([]);
    expect(visibleParts(countyCaseworker, referral('withdrawn', all))).toEqual([]);
    expect(visibleParts(null, referral('offered', all))).toEqual([]);
  });
});
