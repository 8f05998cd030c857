import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { HubCaller } from '../../submissions/index.js';
import {
  mayConfirmOwnRecords,
  mayKeepReferences,
  maySeeOwnLinks,
  mayUseReferenceApi,
} from './references.js';

const BODY = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const staff = (roles: string[], organisationId = BODY) =>
  ({
    id: 's',
    email: 's@x',
    kind: 'staff',
    organisationId,
    roles,
    identityLevel: 'P0',
  }) as unknown as CurrentUser;
const citizen = (more: Partial<CurrentUser> = {}) =>
  ({
    id: 'c',
    email: 'c@x',
    kind: 'citizen',
    organisationId: null,
    roles: [],
    identityLevel: 'P2',
    ...more,
  }) as CurrentUser;
const caller = (scope: string) => ({ keyId: 'k', organisationId: BODY, scope }) as HubCaller;

describe('who keeps a body’s references', () => {
  it('lets the body’s caseworkers, team leaders and administrators in', () => {
    expect(mayKeepReferences(staff(['caseworker']), BODY)).toBe(true);
    expect(mayKeepReferences(staff(['team-leader']), BODY)).toBe(true);
    expect(mayKeepReferences(staff(['admin']), BODY)).toBe(true);
  });
  it('refuses staff of another body, other roles, citizens and nobody', () => {
    expect(mayKeepReferences(staff(['caseworker'], OTHER), BODY)).toBe(false);
    expect(mayKeepReferences(staff(['service-owner']), BODY)).toBe(false);
    expect(mayKeepReferences(citizen(), BODY)).toBe(false);
    expect(mayKeepReferences(null, BODY)).toBe(false);
  });
});

describe('the API and a person’s own records', () => {
  it('takes only the receive key', () => {
    expect(mayUseReferenceApi(caller('receive'))).toBe(true);
    for (const scope of ['submit', 'submit-any', 'open311'])
      expect(mayUseReferenceApi(caller(scope))).toBe(false);
  });
  it('lets a person with a proved identity confirm, for themselves only', () => {
    expect(mayConfirmOwnRecords(citizen())).toBe(true);
    expect(mayConfirmOwnRecords(citizen({ identityLevel: 'P0' }))).toBe(false);
    expect(mayConfirmOwnRecords(citizen({ actingFor: { userId: 'x', displayName: 'X' } }))).toBe(
      false,
    );
    expect(mayConfirmOwnRecords(staff(['caseworker']))).toBe(false);
  });
  it('shows links to the person, not to an agent acting for them or to staff', () => {
    expect(maySeeOwnLinks(citizen({ identityLevel: 'P0' }))).toBe(true);
    expect(maySeeOwnLinks(citizen({ actingFor: { userId: 'x', displayName: 'X' } }))).toBe(false);
    expect(maySeeOwnLinks(staff(['caseworker']))).toBe(false);
    expect(maySeeOwnLinks(null)).toBe(false);
  });
});
