import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { canApplicantSee, canStaffWork } from './submissions.js';

const submission = { applicant_user_id: 'alice', organisation_id: 'stroud' };

describe('submission policies', () => {
  it('let the applicant see their own application and nobody else’s', () => {
    expect(canApplicantSee(aCitizen({ id: 'alice' }), submission)).toBe(true);
    expect(canApplicantSee(aCitizen({ id: 'bob' }), submission)).toBe(false);
    expect(canApplicantSee(null, submission)).toBe(false);
  });

  it('let a caseworker of the providing council work it, and not one of another council', () => {
    expect(canStaffWork(aStaffMember('stroud', ['caseworker']), submission)).toBe(true);
    expect(canStaffWork(aStaffMember('cheltenham', ['caseworker']), submission)).toBe(false);
    expect(canStaffWork(aStaffMember('stroud', ['service-owner']), submission)).toBe(false);
    expect(canStaffWork(aCitizen({ id: 'alice' }), submission)).toBe(false);
  });
});
