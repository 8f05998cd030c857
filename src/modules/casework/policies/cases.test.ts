import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import {
  canAssign,
  canLink,
  canManageWorkflows,
  canSeeCase,
  canWorkCase,
  caseRolesOf,
  isAgentFor,
  isApplicantOf,
} from './cases.js';

const CASE = { organisation_id: 'stroud', applicant_user_id: 'citizen-1' };
const caseworker = aStaffMember('stroud', ['caseworker']);
const leader = aStaffMember('stroud', ['caseworker', 'team-leader']);
const admin = aStaffMember('stroud', ['admin']);
const owner = aStaffMember('stroud', ['service-owner']);
const elsewhere = aStaffMember('cheltenham', ['caseworker', 'team-leader']);
const applicant = aCitizen({ id: 'citizen-1' });
const stranger = aCitizen({ id: 'citizen-2' });
const agent = aCitizen({ id: 'agent-1', actingFor: { userId: 'citizen-1', displayName: 'Sam' } });
const colleague = {
  id: 'staff-2',
  kind: 'staff' as const,
  organisation_id: 'stroud',
  roles: ['caseworker'],
  deleted_at: null,
};

describe('working a case', () => {
  it('is for the case’s own caseworkers, team leaders and admins', () => {
    expect(canWorkCase(caseworker, CASE)).toBe(true);
    expect(canWorkCase(aStaffMember('stroud', ['team-leader']), CASE)).toBe(true);
    expect(canWorkCase(admin, CASE)).toBe(true);
  });

  it('is not for another body’s staff, a service owner, the applicant or nobody', () => {
    expect(canWorkCase(elsewhere, CASE)).toBe(false);
    expect(canWorkCase(owner, CASE)).toBe(false);
    expect(canWorkCase(applicant, CASE)).toBe(false);
    expect(canWorkCase(null, CASE)).toBe(false);
  });
});

describe('roles on a case', () => {
  it('gives staff their casework roles, an admin both', () => {
    expect(caseRolesOf(caseworker, CASE)).toEqual(['caseworker']);
    expect(caseRolesOf(leader, CASE)).toEqual(['caseworker', 'team-leader']);
    expect(caseRolesOf(admin, CASE)).toEqual(['caseworker', 'team-leader']);
  });

  it('gives the applicant, and an agent with authority, the applicant’s role', () => {
    expect(caseRolesOf(applicant, CASE)).toEqual(['applicant']);
    expect(caseRolesOf(agent, CASE, true)).toEqual(['applicant']);
  });

  it('gives nobody else any role, so they cannot see the case', () => {
    expect(caseRolesOf(elsewhere, CASE)).toEqual([]);
    expect(caseRolesOf(stranger, CASE)).toEqual([]);
    expect(caseRolesOf(agent, CASE, false)).toEqual([]);
    expect(caseRolesOf(owner, CASE)).toEqual([]);
    expect(caseRolesOf(null, CASE)).toEqual([]);
    expect(canSeeCase(stranger, CASE)).toBe(false);
    expect(canSeeCase(applicant, CASE)).toBe(true);
  });

  it('does not take an agent acting for someone for the applicant themselves', () => {
    expect(
      isApplicantOf(
        aCitizen({ id: 'citizen-1', actingFor: { userId: 'x', displayName: 'X' } }),
        CASE,
      ),
    ).toBe(false);
    expect(isApplicantOf(applicant, { ...CASE, applicant_user_id: null })).toBe(false);
    expect(isAgentFor(agent, { ...CASE, applicant_user_id: 'citizen-9' }, true)).toBe(false);
  });
});

describe('assigning a case', () => {
  it('is to a caseworker or team leader of the same body, by its staff', () => {
    expect(canAssign(caseworker, CASE, colleague)).toBe(true);
    expect(canAssign(leader, CASE, { ...colleague, roles: ['team-leader'] })).toBe(true);
  });

  it('is not to another body’s staff, a citizen, a closed account or someone who does not work cases', () => {
    expect(canAssign(caseworker, CASE, { ...colleague, organisation_id: 'cheltenham' })).toBe(
      false,
    );
    expect(canAssign(caseworker, CASE, { ...colleague, kind: 'citizen' })).toBe(false);
    expect(canAssign(caseworker, CASE, { ...colleague, deleted_at: new Date() })).toBe(false);
    expect(canAssign(caseworker, CASE, { ...colleague, roles: ['service-owner'] })).toBe(false);
    expect(canAssign(elsewhere, CASE, colleague)).toBe(false);
  });
});

describe('linking and workflows', () => {
  it('links only two cases of the user’s own body', () => {
    expect(canLink(caseworker, CASE, CASE)).toBe(true);
    expect(canLink(caseworker, CASE, { organisation_id: 'cheltenham' })).toBe(false);
  });

  it('lets a body’s service owners and admins manage its workflows, not caseworkers or other bodies', () => {
    expect(canManageWorkflows(owner, 'stroud')).toBe(true);
    expect(canManageWorkflows(admin, 'stroud')).toBe(true);
    expect(canManageWorkflows(caseworker, 'stroud')).toBe(false);
    expect(canManageWorkflows(owner, 'cheltenham')).toBe(false);
  });
});
