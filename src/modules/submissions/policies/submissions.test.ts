import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { canAgentSee, canApplicantSee, canStaffWork } from './submissions.js';

const submission = { applicant_user_id: 'alice', organisation_id: 'stroud' };

describe('submission policies', () => {
  it('let the applicant see their own application and nobody else’s', () => {
    expect(canApplicantSee(aCitizen({ id: 'alice' }), submission)).toBe(true);
    expect(canApplicantSee(aCitizen({ id: 'bob' }), submission)).toBe(false);
    expect(canApplicantSee(null, submission)).toBe(false);
  });

  it('let an agent acting for the applicant see it only with authority for its service', () => {
    const actingForAlice = aCitizen({
      id: 'agent',
      actingFor: { userId: 'alice', displayName: 'Alice' },
    });
    expect(canAgentSee(actingForAlice, submission, true)).toBe(true);
    expect(canAgentSee(actingForAlice, submission, false)).toBe(false);
    expect(canApplicantSee(actingForAlice, submission)).toBe(false);
    const actingForBob = aCitizen({
      id: 'agent',
      actingFor: { userId: 'bob', displayName: 'Bob' },
    });
    expect(canAgentSee(actingForBob, submission, true)).toBe(false);
    expect(canAgentSee(aCitizen({ id: 'agent' }), submission, true)).toBe(false);
    expect(canAgentSee(null, submission, true)).toBe(false);
  });

  it('let a caseworker of the providing council work it, and not one of another council', () => {
    expect(canStaffWork(aStaffMember('stroud', ['caseworker']), submission)).toBe(true);
    expect(canStaffWork(aStaffMember('cheltenham', ['caseworker']), submission)).toBe(false);
    expect(canStaffWork(aStaffMember('stroud', ['service-owner']), submission)).toBe(false);
    expect(canStaffWork(aCitizen({ id: 'alice' }), submission)).toBe(false);
  });

  it('let a team leader of the providing council work it too, and not one of another council', () => {
    expect(canStaffWork(aStaffMember('stroud', ['team-leader']), submission)).toBe(true);
    expect(canStaffWork(aStaffMember('cheltenham', ['team-leader']), submission)).toBe(false);
    expect(canStaffWork(aStaffMember('stroud', ['counter-adviser']), submission)).toBe(false);
  });
});
