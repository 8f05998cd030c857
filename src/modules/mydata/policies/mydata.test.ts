import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import {
  handlesRequests,
  isRequester,
  mayHandleRequest,
  mayRequestAccess,
  mayViewOwnData,
} from './mydata.js';

const BODY = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

describe('My data policies', () => {
  it('lets a signed-in person see their own data, but not while acting for a client', () => {
    expect(mayViewOwnData(aCitizen())).toBe(true);
    expect(mayViewOwnData(aStaffMember(BODY, ['caseworker']))).toBe(true);
    expect(mayViewOwnData(null)).toBe(false);
    expect(mayViewOwnData(aCitizen({ actingFor: { userId: 'x', displayName: 'X' } }))).toBe(false);
  });

  it('lets only a citizen acting for themselves send a subject access request', () => {
    expect(mayRequestAccess(aCitizen())).toBe(true);
    expect(mayRequestAccess(aStaffMember(BODY, ['caseworker']))).toBe(false);
    expect(mayRequestAccess(aCitizen({ actingFor: { userId: 'x', displayName: 'X' } }))).toBe(
      false,
    );
  });

  it('shows a request as theirs only to the person who sent it', () => {
    const person = aCitizen({ id: 'person-1' });
    expect(isRequester(person, { user_id: person.id })).toBe(true);
    expect(isRequester(aCitizen({ id: 'person-2' }), { user_id: person.id })).toBe(false);
  });

  it('lets a body’s team leaders and admins handle its requests, and nobody of another body', () => {
    const leader = aStaffMember(BODY, ['caseworker', 'team-leader']);
    const admin = aStaffMember(BODY, ['admin']);
    const caseworker = aStaffMember(BODY, ['caseworker']);
    const otherLeader = aStaffMember(OTHER, ['team-leader']);
    expect(mayHandleRequest(leader, { organisation_id: BODY })).toBe(true);
    expect(mayHandleRequest(admin, { organisation_id: BODY })).toBe(true);
    expect(mayHandleRequest(caseworker, { organisation_id: BODY })).toBe(false);
    expect(mayHandleRequest(otherLeader, { organisation_id: BODY })).toBe(false);
    expect(mayHandleRequest(aCitizen(), { organisation_id: BODY })).toBe(false);
    expect(handlesRequests(leader)).toBe(true);
    expect(handlesRequests(caseworker)).toBe(false);
  });
});
