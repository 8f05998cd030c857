import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import {
  canEnrolBusiness,
  canManageEnrolment,
  canSeeBusinessEnrolments,
  canSeeEnrolment,
} from './enrolments.js';

const BUSINESS = '00000000-0000-4000-8000-000000000001';

describe('who may manage a person’s enrolment', () => {
  it('lets the person who enrolled see and manage it', () => {
    const person = aCitizen();
    const own = { user_id: person.id, business_account_id: null };
    expect(canSeeEnrolment(person, own)).toBe(true);
    expect(canManageEnrolment(person, own)).toBe(true);
  });

  it('refuses anyone else, a member of staff, or nobody signed in', () => {
    const person = aCitizen();
    const own = { user_id: person.id, business_account_id: null };
    for (const other of [
      aCitizen({ id: 'citizen-2' }),
      aStaffMember('stroud', ['caseworker']),
      null,
    ]) {
      expect(canSeeEnrolment(other, own)).toBe(false);
      expect(canManageEnrolment(other, own)).toBe(false);
    }
    // Being an administrator of some business does not open a person's own enrolment.
    expect(canManageEnrolment(aCitizen({ id: 'citizen-2' }), own, 'administrator')).toBe(false);
  });
});

describe('who may manage a business’s enrolment', () => {
  const asker = aCitizen({ id: 'asker' });
  const theirs = { user_id: asker.id, business_account_id: BUSINESS };

  it('lets any administrator manage it, not only the one who asked', () => {
    const other = aCitizen({ id: 'admin-2' });
    expect(canManageEnrolment(other, theirs, 'administrator')).toBe(true);
    expect(canSeeEnrolment(other, theirs, 'administrator')).toBe(true);
  });

  it('lets an assistant see it but not manage it', () => {
    const assistant = aCitizen({ id: 'assistant' });
    expect(canSeeEnrolment(assistant, theirs, 'assistant')).toBe(true);
    expect(canManageEnrolment(assistant, theirs, 'assistant')).toBe(false);
  });

  it('refuses someone who is no longer a member, even the one who asked', () => {
    expect(canSeeEnrolment(asker, theirs, null)).toBe(false);
    expect(canManageEnrolment(asker, theirs, null)).toBe(false);
  });

  it('lets only administrators enrol a business, and every member see its enrolments', () => {
    expect(canEnrolBusiness(asker, 'administrator')).toBe(true);
    expect(canEnrolBusiness(asker, 'assistant')).toBe(false);
    expect(canEnrolBusiness(asker, null)).toBe(false);
    expect(canEnrolBusiness(null, 'administrator')).toBe(false);
    expect(canSeeBusinessEnrolments('assistant')).toBe(true);
    expect(canSeeBusinessEnrolments(null)).toBe(false);
  });
});
