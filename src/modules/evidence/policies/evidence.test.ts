import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../../platform/http/types.js';
import { mayAnswerFor, mayManageEvidence, whyNotSent } from './evidence.js';

const ORG = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const staff = (roles: string[], organisationId = ORG) =>
  ({ id: 'u', kind: 'staff', organisationId, roles }) as unknown as CurrentUser;
const type = {
  status: 'published' as const,
  legal_basis: 'Free school meals',
  legal_basis_reference: 'Education Act 1996, s.512ZB',
  consent_needed: true,
};

describe('evidence policies', () => {
  it('lets a body’s service owner manage its evidence types, and not another body’s', () => {
    expect(mayManageEvidence(staff(['service-owner']), ORG)).toBe(true);
    expect(mayManageEvidence(staff(['service-owner'], OTHER), ORG)).toBe(false);
    expect(mayManageEvidence(staff(['caseworker']), ORG)).toBe(false);
    expect(mayManageEvidence(null, ORG)).toBe(false);
  });

  it('lets only the answering body’s receive key answer', () => {
    expect(mayAnswerFor({ keyId: 'k', organisationId: ORG, scope: 'receive' }, ORG)).toBe(true);
    expect(mayAnswerFor({ keyId: 'k', organisationId: OTHER, scope: 'receive' }, ORG)).toBe(false);
    expect(mayAnswerFor({ keyId: 'k', organisationId: ORG, scope: 'submit' }, ORG)).toBe(false);
  });

  it('sends only with a legal basis and, where needed, live consent', () => {
    expect(whyNotSent(type, 'given')).toBeNull();
    expect(whyNotSent({ ...type, consent_needed: false }, 'not-needed')).toBeNull();
    expect(whyNotSent({ ...type, legal_basis: '' }, 'given')).toBe('no-legal-basis');
    expect(whyNotSent({ ...type, legal_basis_reference: ' ' }, 'given')).toBe('no-legal-basis');
    expect(whyNotSent(type, 'refused')).toBe('no-consent');
    expect(whyNotSent(type, 'withdrawn')).toBe('consent-withdrawn');
    expect(whyNotSent({ ...type, status: 'withdrawn' }, 'given')).toBe('type-withdrawn');
  });
});
