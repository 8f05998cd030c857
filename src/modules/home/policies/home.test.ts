import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { canChangeInterestsOf, canSeeHomeOf, homeOwnerOf } from './home.js';

const sam = aCitizen({ id: 'sam' });
const bo = aCitizen({ id: 'bo', email: 'bo@example.com', displayName: 'Bo Other' });

describe('home policies', () => {
  it('lets a citizen see their own home page and nobody else’s', () => {
    expect(canSeeHomeOf(sam, 'sam')).toBe(true);
    expect(canSeeHomeOf(bo, 'sam')).toBe(false);
    expect(canSeeHomeOf(null, 'sam')).toBe(false);
  });

  it('gives staff no personal home page, not even with their own id', () => {
    const staff = aStaffMember('org-stroud', ['caseworker']);
    expect(canSeeHomeOf(staff, staff.id)).toBe(false);
  });

  it('shows an agent acting for a client their own home page, never the client’s', () => {
    const agent = aCitizen({ id: 'agent', actingFor: { userId: 'sam', displayName: 'Sam' } });
    expect(homeOwnerOf(agent)).toBe('agent');
    expect(canSeeHomeOf(agent, 'agent')).toBe(true);
    expect(canSeeHomeOf(agent, 'sam')).toBe(false);
  });

  it('lets only the person change what they told us', () => {
    expect(canChangeInterestsOf(sam, 'sam')).toBe(true);
    expect(canChangeInterestsOf(bo, 'sam')).toBe(false);
    expect(canChangeInterestsOf(null, 'sam')).toBe(false);
    const agent = aCitizen({ id: 'agent', actingFor: { userId: 'sam', displayName: 'Sam' } });
    expect(canChangeInterestsOf(agent, 'sam')).toBe(false);
  });
});
