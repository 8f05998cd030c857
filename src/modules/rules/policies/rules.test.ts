import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { canEditRules, canUseRulesEditor } from './rules.js';

const stroud = { organisationId: 'stroud', ownerUserId: null };

describe('who may write a service’s rules', () => {
  it('a service owner of the service’s body may', () => {
    const owner = aStaffMember('stroud', ['service-owner']);
    expect(canUseRulesEditor(owner)).toBe(true);
    expect(canEditRules(owner, stroud)).toBe(true);
  });

  it('a service owner of another body may not', () => {
    expect(canEditRules(aStaffMember('cheltenham', ['service-owner']), stroud)).toBe(false);
  });

  it('a caseworker of the body may not, nor open the editor', () => {
    const caseworker = aStaffMember('stroud', ['caseworker']);
    expect(canUseRulesEditor(caseworker)).toBe(false);
    expect(canEditRules(caseworker, stroud)).toBe(false);
  });

  it('a service owner not named on a service another owner is named on may not', () => {
    const named = { organisationId: 'stroud', ownerUserId: 'priya' };
    expect(canEditRules(aStaffMember('stroud', ['service-owner'], { id: 'sam' }), named)).toBe(
      false,
    );
    expect(canEditRules(aStaffMember('stroud', ['service-owner'], { id: 'priya' }), named)).toBe(
      true,
    );
  });

  it('a citizen and nobody signed in may not', () => {
    expect(canUseRulesEditor(aCitizen())).toBe(false);
    expect(canEditRules(aCitizen(), stroud)).toBe(false);
    expect(canEditRules(null, stroud)).toBe(false);
  });
});
