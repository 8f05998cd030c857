import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import type { ItemKind } from '../db/tables.js';
import {
  isAdviser,
  isContactCentre,
  itemVisible,
  mayAssistAtLevel,
  mayManageAgreements,
} from './desk.js';

const CENTRE = 'centre';
const shared = new Map<string, Set<ItemKind>>([['stroud', new Set<ItemKind>(['applications'])]]);

describe('the adviser’s desk policies', () => {
  it('lets staff with the counter-adviser role use the desk, and no one else', () => {
    expect(isAdviser(aStaffMember(CENTRE, ['counter-adviser']))).toBe(true);
    expect(isAdviser(aStaffMember(CENTRE, ['caseworker']))).toBe(false);
    expect(isAdviser(aStaffMember(CENTRE, ['admin']))).toBe(false);
    expect(isAdviser(aCitizen({ roles: ['counter-adviser'] }))).toBe(false);
    expect(isAdviser(null)).toBe(false);
  });

  it('lets only platform administrators manage agreements', () => {
    expect(mayManageAgreements(aStaffMember('cabinet-office', ['platform-admin']))).toBe(true);
    expect(mayManageAgreements(aStaffMember(CENTRE, ['admin', 'counter-adviser']))).toBe(false);
    expect(mayManageAgreements(aCitizen())).toBe(false);
  });

  it('shows the contact centre’s own items and the kinds another body shares, and nothing else', () => {
    expect(itemVisible(CENTRE, shared, CENTRE, 'payments')).toBe(true);
    expect(itemVisible(CENTRE, shared, 'stroud', 'applications')).toBe(true);
    expect(itemVisible(CENTRE, shared, 'stroud', 'payments')).toBe(false);
    expect(itemVisible(CENTRE, shared, 'cheltenham', 'applications')).toBe(false);
    expect(itemVisible(CENTRE, shared, null, 'applications')).toBe(false);
  });

  it('counts a body as a contact centre only while an agreement names it', () => {
    expect(isContactCentre(shared)).toBe(true);
    expect(isContactCentre(new Map())).toBe(false);
  });

  it('lets a level 3 service be assisted only for a customer whose account holds a verified identity', () => {
    const unverified = { identity_verified_at: null };
    const verified = { identity_verified_at: new Date('2026-11-01T10:00:00Z') };
    expect(mayAssistAtLevel(3, unverified)).toBe(false);
    expect(mayAssistAtLevel(3, verified)).toBe(true);
    expect(mayAssistAtLevel(2, unverified)).toBe(true);
    expect(mayAssistAtLevel(0, unverified)).toBe(true);
  });
});
