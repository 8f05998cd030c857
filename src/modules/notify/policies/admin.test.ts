import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { mayAdministerAnyNotify, mayAdministerNotify, notifyAdminRole } from './admin.js';

const STROUD = 'org-stroud';
const CHELTENHAM = 'org-cheltenham';

describe('who may run an organisation’s notifications', () => {
  it('lets the organisation’s admin and service owner in', () => {
    expect(mayAdministerNotify(aStaffMember(STROUD, ['admin']), STROUD)).toBe(true);
    expect(mayAdministerNotify(aStaffMember(STROUD, ['service-owner']), STROUD)).toBe(true);
  });

  it('keeps out a caseworker, a counter adviser, a citizen and nobody signed in', () => {
    expect(mayAdministerNotify(aStaffMember(STROUD, ['caseworker']), STROUD)).toBe(false);
    expect(mayAdministerNotify(aStaffMember(STROUD, ['counter-adviser']), STROUD)).toBe(false);
    expect(mayAdministerNotify(aCitizen(), STROUD)).toBe(false);
    expect(mayAdministerNotify(null, STROUD)).toBe(false);
  });

  it('keeps out another organisation’s admin', () => {
    expect(mayAdministerNotify(aStaffMember(CHELTENHAM, ['admin']), STROUD)).toBe(false);
  });

  it('lets a platform admin into every organisation', () => {
    const platformAdmin = aStaffMember('org-cabinet-office', ['platform-admin']);
    expect(mayAdministerNotify(platformAdmin, STROUD)).toBe(true);
    expect(notifyAdminRole(platformAdmin, STROUD)).toBe('platform-admin');
  });

  it('shows the navigation link only to those who may run some organisation’s notifications', () => {
    expect(mayAdministerAnyNotify(aStaffMember(STROUD, ['service-owner']))).toBe(true);
    expect(mayAdministerAnyNotify(aStaffMember(STROUD, ['caseworker']))).toBe(false);
    expect(mayAdministerAnyNotify(aCitizen())).toBe(false);
  });

  it('records an admin as admin and a service owner as service owner', () => {
    expect(notifyAdminRole(aStaffMember(STROUD, ['admin']), STROUD)).toBe('admin');
    expect(notifyAdminRole(aStaffMember(STROUD, ['caseworker', 'service-owner']), STROUD)).toBe(
      'service-owner',
    );
  });
});
