import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../../platform/http/types.js';
import {
  isCorrespondenceStaff,
  mayClearReply,
  mayEscalateOwn,
  maySetCorrespondenceRules,
  mayViewOwn,
  mayWorkCorrespondence,
  requesterAccount,
} from './correspondence.js';

const STROUD = 'org-stroud';
const CHELTENHAM = 'org-cheltenham';

function person(overrides: Partial<CurrentUser> = {}): CurrentUser {
  return {
    id: 'user-1',
    email: 'someone@example.com',
    displayName: 'Someone',
    kind: 'citizen',
    organisationId: null,
    organisationName: null,
    roles: [],
    credentialLevel: 'Cl',
    identityLevel: 'P0',
    ...overrides,
  };
}

const staffOf = (organisationId: string, ...roles: string[]) =>
  person({ id: `staff-${roles.join('-')}`, kind: 'staff', organisationId, roles });

describe('correspondence policies', () => {
  it('a body’s caseworkers and team leaders work its correspondence; other bodies’ staff and citizens do not', () => {
    expect(mayWorkCorrespondence(staffOf(STROUD, 'caseworker'), STROUD)).toBe(true);
    expect(mayWorkCorrespondence(staffOf(STROUD, 'team-leader'), STROUD)).toBe(true);
    expect(mayWorkCorrespondence(staffOf(STROUD, 'admin'), STROUD)).toBe(true);
    expect(mayWorkCorrespondence(staffOf(CHELTENHAM, 'caseworker'), STROUD)).toBe(false);
    expect(mayWorkCorrespondence(staffOf(STROUD, 'counter-adviser'), STROUD)).toBe(false);
    expect(mayWorkCorrespondence(person(), STROUD)).toBe(false);
    expect(mayWorkCorrespondence(null, STROUD)).toBe(false);
  });

  it('only team leaders clear replies to members, and only service owners set time limits', () => {
    expect(mayClearReply(staffOf(STROUD, 'team-leader'), STROUD)).toBe(true);
    expect(mayClearReply(staffOf(STROUD, 'caseworker'), STROUD)).toBe(false);
    expect(mayClearReply(staffOf(CHELTENHAM, 'team-leader'), STROUD)).toBe(false);
    expect(maySetCorrespondenceRules(staffOf(STROUD, 'service-owner'), STROUD)).toBe(true);
    expect(maySetCorrespondenceRules(staffOf(STROUD, 'caseworker'), STROUD)).toBe(false);
    expect(isCorrespondenceStaff(staffOf(STROUD, 'service-owner'))).toBe(true);
    expect(isCorrespondenceStaff(staffOf(STROUD, 'counter-adviser'))).toBe(false);
    expect(isCorrespondenceStaff(person())).toBe(false);
  });

  it('files a request under the account of a signed-in citizen acting for themselves only', () => {
    expect(requesterAccount(person())).toBe('user-1');
    expect(requesterAccount(null)).toBeNull();
    expect(requesterAccount(staffOf(STROUD, 'caseworker'))).toBeNull();
    expect(
      requesterAccount(person({ actingFor: { userId: 'client', displayName: 'Client' } })),
    ).toBeNull();
  });

  it('a person sees and escalates only their own complaint, once stage 1 is answered', () => {
    const own = {
      account_id: 'user-1',
      kind: 'complaint' as const,
      state: 'responded' as const,
      stage: 1,
    };
    expect(mayViewOwn(person(), own)).toBe(true);
    expect(mayViewOwn(person({ id: 'user-2' }), own)).toBe(false);
    expect(mayViewOwn(person(), { account_id: null })).toBe(false);
    expect(mayEscalateOwn(person(), own)).toBe(true);
    expect(mayEscalateOwn(person(), { ...own, state: 'open' })).toBe(false);
    expect(mayEscalateOwn(person(), { ...own, stage: 2 })).toBe(false);
    expect(mayEscalateOwn(person(), { ...own, kind: 'foi' })).toBe(false);
    expect(mayEscalateOwn(person({ id: 'user-2' }), own)).toBe(false);
  });
});
