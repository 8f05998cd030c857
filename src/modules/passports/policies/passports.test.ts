import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { canDeclarePassports, canUsePassportsEditor, mayAnswerOffers } from './passports.js';

const stroud = { organisationId: 'stroud', ownerUserId: null };

describe('who may declare what an approval passports to', () => {
  it('a service owner of the service’s body may', () => {
    const owner = aStaffMember('stroud', ['service-owner']);
    expect(canUsePassportsEditor(owner)).toBe(true);
    expect(canDeclarePassports(owner, stroud)).toBe(true);
  });

  it('a service owner of another body may not', () => {
    expect(canDeclarePassports(aStaffMember('cheltenham', ['service-owner']), stroud)).toBe(false);
  });

  it('a caseworker may not, nor open the pages', () => {
    const caseworker = aStaffMember('stroud', ['caseworker']);
    expect(canUsePassportsEditor(caseworker)).toBe(false);
    expect(canDeclarePassports(caseworker, stroud)).toBe(false);
  });

  it('a citizen and nobody signed in may not', () => {
    expect(canDeclarePassports(aCitizen(), stroud)).toBe(false);
    expect(canDeclarePassports(null, stroud)).toBe(false);
  });
});

describe('who may answer offers', () => {
  it('a citizen acting for themselves may', () => {
    expect(mayAnswerOffers(aCitizen())).toBe(true);
  });

  it('an agent’s session acting for a client, staff and nobody may not', () => {
    expect(
      mayAnswerOffers({ ...aCitizen(), actingFor: { userId: 'client', displayName: 'Client' } }),
    ).toBe(false);
    expect(mayAnswerOffers(aStaffMember('stroud', ['caseworker']))).toBe(false);
    expect(mayAnswerOffers(null)).toBe(false);
  });
});
