import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../factories.js';
import { hasRole, isCitizen, isPlatformAdmin, isStaffOf } from './roles.js';

const staff = (roles: string[], organisationId = 'org-a') => aStaffMember(organisationId, roles);
const citizen = aCitizen();

describe('role policies', () => {
  it('lets a caseworker act for their own organisation only', () => {
    expect(isStaffOf(staff(['caseworker']), 'org-a', 'caseworker')).toBe(true);
    expect(isStaffOf(staff(['caseworker']), 'org-b', 'caseworker')).toBe(false);
  });

  it('does not give a service owner the caseworker role, but an admin has every role', () => {
    expect(isStaffOf(staff(['service-owner']), 'org-a', 'caseworker')).toBe(false);
    expect(isStaffOf(staff(['admin']), 'org-a', 'caseworker')).toBe(true);
    expect(hasRole(staff(['admin']), 'service-owner')).toBe(true);
  });

  it('never treats a citizen or nobody as staff', () => {
    expect(isStaffOf(citizen, 'org-a')).toBe(false);
    expect(isStaffOf(null, 'org-a')).toBe(false);
    expect(hasRole(null, 'caseworker')).toBe(false);
    expect(isCitizen(citizen)).toBe(true);
    expect(isCitizen(staff(['caseworker']))).toBe(false);
  });

  it('gives platform administration only to the platform-admin role', () => {
    expect(isPlatformAdmin(staff(['platform-admin']))).toBe(true);
    expect(isPlatformAdmin(staff(['admin']))).toBe(false);
  });
});
