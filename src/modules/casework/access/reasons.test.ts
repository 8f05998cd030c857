import { describe, expect, it } from 'vitest';
import { aStaffMember } from '../../identity/index.js';
import { inOwnQueue, readReason } from './reasons.js';

const BODY = 'body-1';
const caseworker = aStaffMember(BODY, ['caseworker'], { id: 'me' });

describe('a caseworker’s own queue', () => {
  it('holds the body’s cases assigned to them or to nobody', () => {
    expect(inOwnQueue(caseworker, { organisation_id: BODY, assigned_to: 'me' })).toBe(true);
    expect(inOwnQueue(caseworker, { organisation_id: BODY, assigned_to: null })).toBe(true);
  });

  it('does not hold a case assigned to a colleague', () => {
    expect(inOwnQueue(caseworker, { organisation_id: BODY, assigned_to: 'colleague' })).toBe(false);
  });

  it('holds every case of the body for its team leaders and admins, who allocate the work', () => {
    const leader = aStaffMember(BODY, ['caseworker', 'team-leader'], { id: 'lead' });
    const admin = aStaffMember(BODY, ['admin'], { id: 'admin' });
    expect(inOwnQueue(leader, { organisation_id: BODY, assigned_to: 'colleague' })).toBe(true);
    expect(inOwnQueue(admin, { organisation_id: BODY, assigned_to: 'colleague' })).toBe(true);
    const otherLeader = aStaffMember('body-2', ['team-leader'], { id: 'lead-2' });
    expect(inOwnQueue(otherLeader, { organisation_id: BODY, assigned_to: 'colleague' })).toBe(
      false,
    );
  });
});

describe('the reason for opening a case outside one’s queue', () => {
  it('must be one from the list', () => {
    expect(readReason({ reason: '', details: '' })).toMatchObject({
      ok: false,
      errors: [{ field: 'reason', message: 'casework.access.error.reason' }],
    });
    expect(readReason({ reason: 'curiosity', details: '' }).ok).toBe(false);
    expect(readReason({ reason: 'covering', details: '' })).toEqual({
      ok: true,
      reason: { code: 'covering', details: '' },
    });
  });

  it('needs words for "another reason", and at most 500 characters of them', () => {
    expect(readReason({ reason: 'other', details: '' })).toMatchObject({
      ok: false,
      errors: [{ field: 'details', message: 'casework.access.error.otherDetails' }],
    });
    expect(readReason({ reason: 'other', details: 'Audit by the ombudsman' }).ok).toBe(true);
    expect(readReason({ reason: 'complaint', details: 'x'.repeat(501) }).ok).toBe(false);
  });
});
