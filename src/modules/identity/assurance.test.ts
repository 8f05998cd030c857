import { describe, expect, it } from 'vitest';
import { assuranceLevel, stepUpPath, vectorOfTrust } from './assurance.js';
import { aCitizen } from './factories.js';

describe('assurance levels', () => {
  it('map sessions to the four levels and to vectors of trust', () => {
    expect(assuranceLevel(null)).toBe(0);
    expect(assuranceLevel(aCitizen())).toBe(1);
    expect(assuranceLevel(aCitizen({ identityLevel: 'P2' }))).toBe(1);
    expect(assuranceLevel(aCitizen({ credentialLevel: 'Cl.Cm' }))).toBe(2);
    expect(assuranceLevel(aCitizen({ credentialLevel: 'Cl.Cm', identityLevel: 'P2' }))).toBe(3);
    expect(vectorOfTrust(aCitizen())).toBe('Cl');
    expect(vectorOfTrust(aCitizen({ credentialLevel: 'Cl.Cm', identityLevel: 'P2' }))).toBe(
      'Cl.Cm.P2',
    );
  });

  it('step up in place and come back', () => {
    expect(stepUpPath(2, '/services/x/apply')).toBe(
      '/sign-in/second-factor?returnTo=%2Fservices%2Fx%2Fapply',
    );
    expect(stepUpPath(3, '/a?b=c')).toBe('/verify?returnTo=%2Fa%3Fb%3Dc');
  });
});
