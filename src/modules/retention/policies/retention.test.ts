import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { mayManageAnyRetention, mayManageRetention } from './retention.js';

describe('mayManageRetention', () => {
  it('lets the body’s admins and platform admins manage its retention', () => {
    expect(mayManageRetention(aStaffMember('stroud', ['admin']), 'stroud')).toBe(true);
    expect(mayManageRetention(aStaffMember('co', ['platform-admin']), 'stroud')).toBe(true);
  });
  it('refuses another body’s admin, the body’s caseworkers, citizens and visitors', () => {
    expect(mayManageRetention(aStaffMember('cheltenham', ['admin']), 'stroud')).toBe(false);
    expect(mayManageRetention(aStaffMember('stroud', ['caseworker']), 'stroud')).toBe(false);
    expect(mayManageRetention(aStaffMember('stroud', ['team-leader']), 'stroud')).toBe(false);
    expect(mayManageRetention(aCitizen(), 'stroud')).toBe(false);
    expect(mayManageRetention(null, 'stroud')).toBe(false);
  });
});

describe('mayManageAnyRetention', () => {
  it('shows the link to admins only', () => {
    expect(mayManageAnyRetention(aStaffMember('stroud', ['admin']))).toBe(true);
    expect(mayManageAnyRetention(aStaffMember('stroud', ['caseworker']))).toBe(false);
    expect(mayManageAnyRetention(null)).toBe(false);
  });
});
