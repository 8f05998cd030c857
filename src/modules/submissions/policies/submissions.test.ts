import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../../platform/http/types.js';
import { canApplicantSee, canStaffWork } from './submissions.js';

const citizen = (id: string): CurrentUser => ({
  id,
  email: 'c@x',
  displayName: 'C',
  kind: 'citizen',
  organisationId: null,
  organisationName: null,
  roles: [],
});
const staff = (organisationId: string, roles: string[]): CurrentUser => ({
  id: 's',
  email: 's@x',
  displayName: 'S',
  kind: 'staff',
  organisationId,
  organisationName: 'O',
  roles,
});
const submission = { applicant_user_id: 'alice', organisation_id: 'stroud' };

describe('submission policies', () => {
  it('let the applicant see their own application and nobody else’s', () => {
    expect(canApplicantSee(citizen('alice'), submission)).toBe(true);
    expect(canApplicantSee(citizen('bob'), submission)).toBe(false);
    expect(canApplicantSee(null, submission)).toBe(false);
  });

  it('let a caseworker of the providing council work it, and not one of another council', () => {
    expect(canStaffWork(staff('stroud', ['caseworker']), submission)).toBe(true);
    expect(canStaffWork(staff('cheltenham', ['caseworker']), submission)).toBe(false);
    expect(canStaffWork(staff('stroud', ['service-owner']), submission)).toBe(false);
    expect(canStaffWork(citizen('alice'), submission)).toBe(false);
  });
});
