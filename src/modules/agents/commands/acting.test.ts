import { describe, expect, it } from 'vitest';
import { aCitizen } from '../../identity/index.js';
import { actingAuditDetails, actingDescription, rememberActing } from './acting.js';

describe('acting descriptions', () => {
  it('says "by X on behalf of Y" while acting, and "by X" otherwise', () => {
    const agent = aCitizen({ displayName: 'Chris Agent' });
    expect(actingDescription(agent)).toBe('by Chris Agent');
    expect(actingAuditDetails(agent)).toEqual({});
    rememberActing(agent, {
      clientUserId: 'c1',
      clientName: 'Sam Citizen',
      agentBusinessId: 'b1',
      agentBusinessName: 'Cotswold Accountants LLP',
      authorityId: 'a1',
    });
    expect(actingDescription(agent)).toBe('by Chris Agent on behalf of Sam Citizen');
    expect(actingAuditDetails(agent)).toEqual({ on_behalf_of: 'c1', agent_business_id: 'b1' });
    expect(actingDescription(agent, (key, v) => `${key}:${v.agent}/${v.client}`)).toBe(
      'agents.acting.byOnBehalfOf:Chris Agent/Sam Citizen',
    );
  });

  it('gives no acting details for another user object, even with actingFor copied onto it', () => {
    const forged = { ...aCitizen(), actingFor: { userId: 'c1', displayName: 'Sam' } };
    expect(actingAuditDetails(forged)).toEqual({});
  });
});
