import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../../identity/index.js';
import {
  isPetitionStaff,
  mayModeratePetitions,
  maySetPetitionRules,
  mayStartPetition,
  mayViewPetition,
} from './petitions.js';

const pending = { state: 'pending' as const, created_by: 'citizen-1', organisation_id: 'org-a' };

describe('petition policies', () => {
  it('a signed-in citizen may start a petition; nobody signed out, staff or an agent acting for a client may', () => {
    expect(mayStartPetition(aCitizen())).toBe(true);
    expect(mayStartPetition(null)).toBe(false);
    expect(mayStartPetition(aStaffMember('org-a', ['caseworker']))).toBe(false);
    expect(mayStartPetition(aCitizen({ actingFor: { userId: 'c', displayName: 'C' } }))).toBe(
      false,
    );
  });

  it("a body's caseworkers, service owners and admins moderate its petitions; a counter adviser or another body's staff may not", () => {
    expect(mayModeratePetitions(aStaffMember('org-a', ['caseworker']), 'org-a')).toBe(true);
    expect(mayModeratePetitions(aStaffMember('org-a', ['service-owner']), 'org-a')).toBe(true);
    expect(mayModeratePetitions(aStaffMember('org-a', ['admin']), 'org-a')).toBe(true);
    expect(mayModeratePetitions(aStaffMember('org-a', ['counter-adviser']), 'org-a')).toBe(false);
    expect(mayModeratePetitions(aStaffMember('org-b', ['caseworker']), 'org-a')).toBe(false);
    expect(mayModeratePetitions(aCitizen(), 'org-a')).toBe(false);
    expect(isPetitionStaff(aStaffMember('org-a', ['caseworker']))).toBe(true);
    expect(isPetitionStaff(aStaffMember('org-a', ['counter-adviser']))).toBe(false);
  });

  it('only service owners (and admins) of the body set its thresholds', () => {
    expect(maySetPetitionRules(aStaffMember('org-a', ['service-owner']), 'org-a')).toBe(true);
    expect(maySetPetitionRules(aStaffMember('org-a', ['admin']), 'org-a')).toBe(true);
    expect(maySetPetitionRules(aStaffMember('org-a', ['caseworker']), 'org-a')).toBe(false);
    expect(maySetPetitionRules(aStaffMember('org-b', ['service-owner']), 'org-a')).toBe(false);
  });

  it('a pending petition is seen by its creator and the moderators only; a published one by anyone', () => {
    expect(mayViewPetition(aCitizen(), pending)).toBe(true);
    expect(mayViewPetition(aCitizen({ id: 'someone-else' }), pending)).toBe(false);
    expect(mayViewPetition(null, pending)).toBe(false);
    expect(mayViewPetition(aStaffMember('org-a', ['caseworker']), pending)).toBe(true);
    expect(mayViewPetition(aStaffMember('org-b', ['caseworker']), pending)).toBe(false);
    expect(mayViewPetition(null, { ...pending, state: 'open' })).toBe(true);
    expect(mayViewPetition(null, { ...pending, state: 'rejected' })).toBe(false);
  });
});
