import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../../platform/http/types.js';
import {
  mayActOnOwn,
  mayManageAgreements,
  mayReceiveChanges,
  mayTellUsOnce,
  mayVerifyReports,
} from './sharing.js';

const person = (over: Partial<CurrentUser> = {}): CurrentUser => ({
  id: 'u1',
  email: 'a@example.com',
  displayName: 'A',
  kind: 'citizen',
  organisationId: null,
  organisationName: null,
  roles: [],
  credentialLevel: 'Cl',
  identityLevel: 'P0',
  ...over,
});
const staff = (roles: string[]) =>
  person({ kind: 'staff', organisationId: 'o1', organisationName: 'O', roles });

describe('sharing policies', () => {
  it('a person acts on their own changes and consents, nobody else’s', () => {
    expect(mayActOnOwn(person(), 'u1')).toBe(true);
    expect(mayActOnOwn(person(), 'u2')).toBe(false);
    expect(mayActOnOwn(staff(['admin']), 'u1')).toBe(false);
    expect(mayActOnOwn(null, 'u1')).toBe(false);
  });

  it('an agent acting for a client cannot give or withdraw the client’s consent', () => {
    expect(mayTellUsOnce(person({ actingFor: { userId: 'c', displayName: 'C' } }))).toBe(false);
    expect(mayTellUsOnce(person())).toBe(true);
  });

  it('only platform admins manage agreements and verify death reports', () => {
    expect(mayManageAgreements(staff(['platform-admin']))).toBe(true);
    expect(mayManageAgreements(staff(['admin']))).toBe(false);
    expect(mayVerifyReports(staff(['platform-admin']))).toBe(true);
    expect(mayVerifyReports(staff(['caseworker']))).toBe(false);
    expect(mayVerifyReports(person())).toBe(false);
  });

  it('only a body’s receive key takes and answers changes', () => {
    expect(mayReceiveChanges({ keyId: 'k', organisationId: 'o', scope: 'receive' })).toBe(true);
    expect(mayReceiveChanges({ keyId: 'k', organisationId: 'o', scope: 'submit' })).toBe(false);
  });
});
