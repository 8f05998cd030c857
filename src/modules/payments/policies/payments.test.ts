import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { mayActOnPayment, mayAdministerPayments } from './payments.js';

describe('mayActOnPayment', () => {
  const caller = { keyId: 'k', organisationId: 'stroud' };
  it('lets a key act on its own body’s payment', () => {
    expect(mayActOnPayment(caller, { organisation_id: 'stroud' })).toBe(true);
  });
  it('refuses a key another body’s payment', () => {
    expect(mayActOnPayment(caller, { organisation_id: 'cheltenham' })).toBe(false);
  });
});

describe('mayAdministerPayments', () => {
  it('lets the body’s admins and platform admins run its keys', () => {
    expect(mayAdministerPayments(aStaffMember('stroud', ['admin']), 'stroud')).toBe(true);
    expect(mayAdministerPayments(aStaffMember('co', ['platform-admin']), 'stroud')).toBe(true);
  });
  it('refuses another body’s admin, other staff, citizens and visitors', () => {
    expect(mayAdministerPayments(aStaffMember('cheltenham', ['admin']), 'stroud')).toBe(false);
    expect(mayAdministerPayments(aStaffMember('stroud', ['caseworker']), 'stroud')).toBe(false);
    expect(mayAdministerPayments(aCitizen(), 'stroud')).toBe(false);
    expect(mayAdministerPayments(null, 'stroud')).toBe(false);
  });
});
