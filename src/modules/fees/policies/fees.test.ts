import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../../platform/http/types.js';
import { mayManageAnyCharges, mayManageCharges, mayPayOwn } from './fees.js';

const STROUD = '00000000-0000-4000-8000-000000000001';
const CHELTENHAM = '00000000-0000-4000-8000-000000000002';
const citizen: CurrentUser = {
  id: 'a0000000-0000-4000-8000-000000000001',
  email: 'sam@example.com',
  displayName: 'Sam',
  kind: 'citizen',
  organisationId: null,
  organisationName: null,
  roles: [],
  credentialLevel: 'Cl',
  identityLevel: 'P0',
};
const staff = (roles: string[], organisationId = STROUD): CurrentUser => ({
  ...citizen,
  id: 'b0000000-0000-4000-8000-000000000002',
  kind: 'staff',
  organisationId,
  roles,
});

describe('mayManageCharges', () => {
  it('lets a body’s caseworkers, counter advisers and admins manage its bills', () => {
    for (const role of ['caseworker', 'counter-adviser', 'admin'])
      expect(mayManageCharges(staff([role]), STROUD), role).toBe(true);
    expect(mayManageAnyCharges(staff(['caseworker']))).toBe(true);
  });

  it('refuses another body’s staff, a service owner, a citizen and nobody', () => {
    expect(mayManageCharges(staff(['caseworker'], CHELTENHAM), STROUD)).toBe(false);
    expect(mayManageCharges(staff(['service-owner']), STROUD)).toBe(false);
    expect(mayManageCharges(citizen, STROUD)).toBe(false);
    expect(mayManageCharges(null, STROUD)).toBe(false);
    expect(mayManageAnyCharges(citizen)).toBe(false);
  });
});

describe('mayPayOwn', () => {
  it('lets the person who owes a charge pay it', () => {
    expect(mayPayOwn(citizen, { user_id: citizen.id })).toBe(true);
  });

  it('refuses another person, an agent acting for them, staff, nobody and no charge', () => {
    expect(mayPayOwn({ ...citizen, id: 'someone-else' }, { user_id: citizen.id })).toBe(false);
    expect(
      mayPayOwn(
        { ...citizen, id: 'agent', actingFor: { userId: citizen.id, displayName: 'Sam' } },
        { user_id: citizen.id },
      ),
    ).toBe(false);
    expect(mayPayOwn(staff(['admin']), { user_id: citizen.id })).toBe(false);
    expect(mayPayOwn(null, { user_id: citizen.id })).toBe(false);
    expect(mayPayOwn(citizen, undefined)).toBe(false);
    expect(mayPayOwn(citizen, { user_id: null })).toBe(false);
  });
});
