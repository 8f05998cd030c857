import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { canDecideAuthority, canWorkAsAgent } from './agents.js';
import {
  canCreateBusiness,
  canManageBusiness,
  canSeeBusiness,
  isInvitee,
  mayApplyFor,
} from './businesses.js';

describe('business policies', () => {
  it('lets any member apply for their business, and through an agent only its administrators', () => {
    expect(mayApplyFor('administrator', false)).toBe(true);
    expect(mayApplyFor('assistant', false)).toBe(true);
    expect(mayApplyFor('administrator', true)).toBe(true);
    expect(mayApplyFor('assistant', true)).toBe(false);
    expect(mayApplyFor(null, false)).toBe(false);
    expect(mayApplyFor(null, true)).toBe(false);
  });

  it('lets citizens make business accounts, and not staff or visitors', () => {
    expect(canCreateBusiness(aCitizen())).toBe(true);
    expect(canCreateBusiness(aStaffMember('org-1', ['caseworker']))).toBe(false);
    expect(canCreateBusiness(null)).toBe(false);
  });

  it('shows a business to its members only, and lets only administrators manage it', () => {
    expect(canSeeBusiness('assistant')).toBe(true);
    expect(canSeeBusiness(null)).toBe(false);
    expect(canManageBusiness('administrator')).toBe(true);
    expect(canManageBusiness('assistant')).toBe(false);
    expect(canManageBusiness(null)).toBe(false);
  });

  it('matches an invitation to the account whatever the case of the e-mail', () => {
    expect(isInvitee(aCitizen({ email: 'helper@example.com' }), 'Helper@Example.com')).toBe(true);
    expect(isInvitee(aCitizen({ email: 'other@example.com' }), 'helper@example.com')).toBe(false);
  });
});

describe('agent policies', () => {
  it('lets members of an agent business work as agents, and no one else', () => {
    expect(canWorkAsAgent({ is_agent: true }, 'assistant')).toBe(true);
    expect(canWorkAsAgent({ is_agent: true }, null)).toBe(false);
    expect(canWorkAsAgent({ is_agent: false }, 'administrator')).toBe(false);
  });

  it('lets only the client decide on an authority in their name', () => {
    const client = aCitizen({ id: 'client-1' });
    expect(canDecideAuthority(client, { client_user_id: 'client-1' })).toBe(true);
    expect(canDecideAuthority(aCitizen({ id: 'other' }), { client_user_id: 'client-1' })).toBe(
      false,
    );
    expect(
      canDecideAuthority(aStaffMember('org-1', ['caseworker'], { id: 'client-1' }), {
        client_user_id: 'client-1',
      }),
    ).toBe(false);
    expect(canDecideAuthority(null, { client_user_id: 'client-1' })).toBe(false);
  });
});
