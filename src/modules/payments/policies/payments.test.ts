import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { mayActOnPayment, mayAdministerPayments, mayTakeMotoCard } from './payments.js';

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

describe('mayTakeMotoCard', () => {
  const adviser = aStaffMember('contact-centre', ['counter-adviser'], { id: 'adviser-1' });
  const named = { moto: true, moto_user_id: 'adviser-1', organisation_id: 'stroud' };
  const unopened = { moto: true, moto_user_id: null, organisation_id: 'stroud' };
  it('lets only the member of staff a MOTO payment names use its card page', () => {
    expect(mayTakeMotoCard(adviser, named)).toBe(true);
    expect(mayTakeMotoCard(aStaffMember('contact-centre', ['counter-adviser']), named)).toBe(false);
    expect(mayTakeMotoCard(aCitizen({ id: 'adviser-1' }), named)).toBe(false);
    expect(mayTakeMotoCard(null, named)).toBe(false);
  });
  it('lets the body’s own staff open an API MOTO payment no one has opened, and no one else', () => {
    expect(mayTakeMotoCard(aStaffMember('stroud', ['caseworker']), unopened)).toBe(true);
    expect(mayTakeMotoCard(aStaffMember('cheltenham', ['caseworker']), unopened)).toBe(false);
    expect(mayTakeMotoCard(aCitizen(), unopened)).toBe(false);
  });
  it('leaves any other payment to the browser that followed its link', () => {
    const web = { moto: false, moto_user_id: null, organisation_id: 'stroud' };
    expect(mayTakeMotoCard(null, web)).toBe(true);
  });
});
